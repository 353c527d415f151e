import { tcpExchange } from "./tcp-exchange.ts";

/** Resolves when the NATS server on `port` greets with an INFO line that has JetStream on. */
export async function natsJetStreamReady(port: number): Promise<void> {
  const reply = await tcpExchange({ port, complete: (r) => r.includes("\r\n") });
  const match = /^INFO (\{.*\})/.exec(reply);
  if (!match?.[1]) throw new Error(`nats on port ${port} sent no INFO line`);
  const info = JSON.parse(match[1]) as { jetstream?: boolean };
  if (info.jetstream !== true) throw new Error(`nats on port ${port} runs without JetStream`);
}
