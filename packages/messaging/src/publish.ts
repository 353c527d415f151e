import { toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import type { JetStreamClient, PubAck } from "nats";
import { KinoError } from "@kino/platform";

/**
 * Publishes a protobuf message and waits for the stream's ack. `messageId`
 * makes retries safe: within the duplicate window the server stores it once.
 */
export async function publishMessage<D extends DescMessage>(
  js: JetStreamClient,
  subject: string,
  schema: D,
  message: MessageShape<D>,
  messageId: string,
): Promise<PubAck> {
  try {
    return await js.publish(subject, toBinary(schema, message), { msgID: messageId });
  } catch (error) {
    throw new KinoError("unavailable", `publish to ${subject} failed`, { cause: error });
  }
}
