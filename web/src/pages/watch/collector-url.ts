/** Where the player SDK sends beacons: the gateway writes it into index.html; empty turns beacons off. */
export function collectorUrl(): string | undefined {
  const content = document.querySelector<HTMLMetaElement>('meta[name="kino-collector-url"]')?.content.trim();
  return content ? content : undefined;
}
