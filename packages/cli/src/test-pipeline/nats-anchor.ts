import { connectNats } from "@kino/messaging";
import type { Logger } from "@kino/platform";

export const anchorStreamName = "KINO_TEST_ANCHOR";

/**
 * Gives the test NATS one stream that is never deleted. nats-server removes
 * an account's store directory with its last stream, and a stream created by
 * another test file at that moment fails ("could not create storage
 * directory ... no such file or directory"): test files create and drop
 * streams side by side all run long.
 */
export async function anchorJetStreamStore(url: string, logger: Logger): Promise<void> {
  const nc = await connectNats({ url, name: "kino test anchor", logger });
  try {
    const jsm = await nc.jetstreamManager();
    // Adding an existing stream with the same settings succeeds.
    await jsm.streams.add({ name: anchorStreamName, subjects: ["kino-test-anchor"], max_msgs: 1 });
  } finally {
    await nc.close();
  }
}
