import type { JetStreamManager, StreamConfig } from "nats";

/** Creates each stream, or updates it to the wanted config; safe on every start of every process. */
export async function ensureStreams(jsm: JetStreamManager, configs: Partial<StreamConfig>[]): Promise<void> {
  for (const config of configs) {
    const name = config.name!;
    const exists = await jsm.streams.info(name).then(
      () => true,
      (error: unknown) => {
        if (/stream not found/i.test(String(error))) return false;
        throw error;
      },
    );
    if (exists) {
      await jsm.streams.update(name, config);
      continue;
    }
    try {
      await jsm.streams.add(config);
    } catch (error) {
      // Another process created it between our info and add.
      if (!/already in use/i.test(String(error))) throw error;
    }
  }
}
