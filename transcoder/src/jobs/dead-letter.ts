import { KinoError } from "@kino/platform";
import type { Topology } from "@kino/messaging";
import { headers, type JetStreamClient } from "nats";

export const DEAD_LETTER_REASON_HEADER = "Kino-Dead-Letter-Reason";
export const DEAD_LETTER_DELIVERIES_HEADER = "Kino-Deliveries";

export interface DeadLetter {
  /** Empty when the job could not even be decoded. */
  jobId: string;
  /** The job message exactly as it was queued. */
  data: Uint8Array;
  reason: string;
  deliveries: number;
}

const MAX_HEADER_CHARS = 500;

/** Header values are one line of limited length. */
function headerValue(text: string): string {
  const line = text.replace(/[\r\n]+/g, " ").trim();
  return line.length > MAX_HEADER_CHARS ? `${line.slice(0, MAX_HEADER_CHARS - 1)}…` : line;
}

/**
 * Copies a job that will not be retried into the dead-letter stream, with
 * why and after how many deliveries. The message id is per job, so the job
 * handler and the MaxDeliver watcher reporting the same job store it once.
 */
export async function publishDeadLetter(js: JetStreamClient, topology: Topology, letter: DeadLetter): Promise<void> {
  const h = headers();
  h.set(DEAD_LETTER_REASON_HEADER, headerValue(letter.reason));
  h.set(DEAD_LETTER_DELIVERIES_HEADER, String(letter.deliveries));
  try {
    await js.publish(topology.transcodeDeadLetterSubject, letter.data, { headers: h, ...(letter.jobId ? { msgID: `${letter.jobId}.dead-letter` } : {}) });
  } catch (error) {
    throw new KinoError("unavailable", `dead-lettering job ${letter.jobId || "(undecodable)"} failed`, { cause: error });
  }
}
