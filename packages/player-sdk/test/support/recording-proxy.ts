import { createServer, type Server } from "node:http";
import type { SentEvent } from "./beacon-requests.ts";

export interface ProxiedBatch {
  /** The Sec-Fetch-Mode header: "cors" for the SDK's fetch, "no-cors" for a text/plain sendBeacon. */
  fetchMode: string;
  contentType: string;
  events: SentEvent[];
}

/**
 * Sits between the page and the collector and records each POST /v1/events
 * body. Beacons sent while a page unloads are invisible to Playwright and to
 * the page's DevTools session, so this is where they can be seen.
 */
export class RecordingProxy {
  readonly batches: ProxiedBatch[] = [];

  private constructor(private readonly server: Server) {}

  static async start(collectorUrl: string): Promise<RecordingProxy> {
    const server = createServer();
    const proxy = new RecordingProxy(server);
    server.on("request", async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const contentType = req.headers["content-type"] ?? "";
      if (req.method === "POST") {
        proxy.batches.push({ fetchMode: String(req.headers["sec-fetch-mode"] ?? ""), contentType, events: JSON.parse(body.toString()).events });
      }
      const headers: Record<string, string> = { "Content-Type": contentType };
      if (req.headers.origin) headers.Origin = req.headers.origin;
      const answer = await fetch(new URL(req.url ?? "/", collectorUrl), { method: req.method, headers, body: req.method === "POST" ? body : undefined });
      res.writeHead(answer.status, Object.fromEntries(answer.headers)).end(Buffer.from(await answer.arrayBuffer()));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return proxy;
  }

  get url(): string {
    const address = this.server.address();
    if (!address || typeof address === "string") throw new Error("proxy is not listening");
    return `http://127.0.0.1:${address.port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
