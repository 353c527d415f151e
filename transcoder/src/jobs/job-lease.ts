import type { Logger } from "@kino/platform";
import type { JsMsg } from "nats";

/**
 * Keeps a long job's lease from the main thread: tells the server at a
 * third of the ack wait that work goes on, so a slow encode is not
 * redelivered to another host while a process that died stops renewing
 * and loses it within one ack wait. Returns the function that stops.
 */
export function holdLease(message: JsMsg, ackWaitMs: number, logger: Logger): () => void {
  const timer = setInterval(() => {
    try {
      message.working();
    } catch (error) {
      // Disconnected: the client reconnects on its own; if the lease lapses meanwhile, the job is redelivered.
      logger.warn({ err: error }, "could not renew a job's lease");
    }
  }, Math.max(100, Math.floor(ackWaitMs / 3)));
  return () => clearInterval(timer);
}
