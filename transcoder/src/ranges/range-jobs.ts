import { create, fromBinary } from "@bufbuild/protobuf";
import { publishMessage, type Topology } from "@kino/messaging";
import { RangeJobSchema, type RangeJob } from "@kino/proto/media/v1";
import type { JetStreamClient } from "nats";

/** What a range job asks for, decoded; undefined for a message that is not one. */
export type RangeStep = { videoId: string; outputId: string } & ({ kind: "range"; index: number } | { kind: "join" });

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function decodeRangeJob(data: Uint8Array): RangeStep | undefined {
  let job: RangeJob;
  try {
    job = fromBinary(RangeJobSchema, data);
  } catch {
    return undefined;
  }
  if (!ID.test(job.videoId) || !ID.test(job.outputId)) return undefined;
  if (job.step.case === "range") return { videoId: job.videoId, outputId: job.outputId, kind: "range", index: job.step.value };
  if (job.step.case === "join" && job.step.value) return { videoId: job.videoId, outputId: job.outputId, kind: "join" };
  return undefined;
}

/** Queues one step; its message id makes a repeat within the stream's duplicate window a no-op. */
export async function publishRangeStep(js: JetStreamClient, topology: Topology, step: RangeStep): Promise<void> {
  const job = create(RangeJobSchema, {
    videoId: step.videoId,
    outputId: step.outputId,
    step: step.kind === "range" ? { case: "range", value: step.index } : { case: "join", value: true },
  });
  const id = `${step.outputId}/${step.kind === "range" ? step.index : "join"}`;
  await publishMessage(js, topology.rangeJobSubject(step.videoId), RangeJobSchema, job, id);
}
