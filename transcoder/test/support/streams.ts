import { fromBinary } from "@bufbuild/protobuf";
import { VideoEventSchema, type VideoEvent } from "@kino/proto/events/v1";
import type { MsgHdrs, NatsConnection } from "nats";

export interface StoredMessage {
  seq: number;
  subject: string;
  data: Uint8Array;
  headers?: MsgHdrs;
}

/** Every message a stream holds now, oldest first. */
export async function streamMessages(nats: NatsConnection, stream: string): Promise<StoredMessage[]> {
  const jsm = await nats.jetstreamManager();
  const { state } = await jsm.streams.info(stream);
  const out: StoredMessage[] = [];
  if (state.messages === 0) return out;
  for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
    const message = await jsm.streams.getMessage(stream, { seq }).catch(() => undefined);
    if (message) out.push({ seq, subject: message.subject, data: message.data, ...(message.header ? { headers: message.header } : {}) });
  }
  return out;
}

/** The lifecycle events of one video in the events stream, oldest first. */
export async function videoEvents(nats: NatsConnection, stream: string, videoId: string): Promise<VideoEvent[]> {
  return (await streamMessages(nats, stream)).map((m) => fromBinary(VideoEventSchema, m.data)).filter((e) => e.videoId === videoId);
}
