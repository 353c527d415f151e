import assert from "node:assert/strict";
import { test } from "node:test";
import { ERRORS } from "@tus/server";
import { createPrimaryBroker, type PrimaryBroker } from "../src/workers/primary-broker.ts";
import { createWorkerLink, type WorkerLink } from "../src/workers/worker-link.ts";
import type { ToPrimary, ToWorker } from "../src/workers/worker-messages.ts";

// The primary's lock table and the workers' links over in-memory channels: the cheap tier beside e2e/test/gateway-workers.test.ts.
function cluster(workers: number, options: { lockTimeoutMs?: number } = {}) {
  const listeners = new Map<number, (message: ToWorker) => void>();
  const sent: { to: number; message: ToWorker }[] = [];
  const broker: PrimaryBroker = createPrimaryBroker({
    // Delivered on a later tick, as IPC is.
    send: (to, message) => {
      sent.push({ to, message });
      setImmediate(() => listeners.get(to)?.(message));
    },
    metricsText: async () => "# summed\n",
  });
  const links: WorkerLink[] = [];
  for (let id = 1; id <= workers; id++) {
    links.push(
      createWorkerLink(
        {
          send: (message: ToPrimary) => setImmediate(() => broker.handle(id, message)),
          onMessage: (listener) => listeners.set(id, listener),
        },
        options,
      ),
    );
  }
  return { broker, links, sent };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));
const noSignal = () => new AbortController().signal;

test("one request per upload across workers: the second waits, asks the first to let go, and holds the lock once it does", async () => {
  const { links } = cluster(2);
  const first = links[0]!.locker.newLock("upload-a");
  let asked = 0;
  await first.lock(noSignal(), () => void asked++);
  const second = links[1]!.locker.newLock("upload-a");
  let secondHolds = false;
  const waiting = second.lock(noSignal(), () => {}).then(() => (secondHolds = true));
  await tick();
  assert.equal(asked, 1, "the holder was asked to end its request");
  assert.equal(secondHolds, false);
  // Another upload is not held up.
  await links[1]!.locker.newLock("upload-b").lock(noSignal(), () => {});
  await first.unlock();
  await waiting;
  assert.equal(secondHolds, true);
  await second.unlock();
});

test("a worker that dies loses its locks: the next waiter holds the upload", async () => {
  const { broker, links } = cluster(2);
  await links[0]!.locker.newLock("upload-a").lock(noSignal(), () => {});
  const waiting = links[1]!.locker.newLock("upload-a").lock(noSignal(), () => {});
  await tick();
  broker.workerGone(1);
  await waiting;
});

test("a wait that times out is answered as tus's lock timeout, and frees a grant that arrives later", async () => {
  const { links } = cluster(2, { lockTimeoutMs: 50 });
  const held = links[0]!.locker.newLock("upload-a");
  await held.lock(noSignal(), () => {});
  await assert.rejects(links[1]!.locker.newLock("upload-a").lock(noSignal(), () => {}), (error) => error === ERRORS.ERR_LOCK_TIMEOUT);
  await held.unlock();
  await tick();
  // Had the timed-out wait kept its place, this would wait forever.
  await links[0]!.locker.newLock("upload-a").lock(noSignal(), () => {});
});

test("an aborted request gives up its wait", async () => {
  const { links } = cluster(2);
  const held = links[0]!.locker.newLock("upload-a");
  await held.lock(noSignal(), () => {});
  const abort = new AbortController();
  const waiting = links[1]!.locker.newLock("upload-a").lock(abort.signal, () => {});
  abort.abort();
  await assert.rejects(waiting, (error) => error === ERRORS.ERR_LOCK_TIMEOUT);
  await held.unlock();
  await links[0]!.locker.newLock("upload-a").lock(noSignal(), () => {});
});

test("exclusive work (finishing an upload) runs one at a time across workers and never asks the running one to stop", async () => {
  const { links, sent } = cluster(2);
  const order: string[] = [];
  let release!: () => void;
  const firstRuns = links[0]!.exclusive("finish:a", async () => {
    order.push("first starts");
    await new Promise<void>((resolve) => (release = resolve));
    order.push("first ends");
    return 1;
  });
  await tick();
  const secondRuns = links[1]!.exclusive("finish:a", async () => {
    order.push("second runs");
    return 2;
  });
  await tick();
  assert.deepEqual(order, ["first starts"]);
  release();
  assert.deepEqual(await Promise.all([firstRuns, secondRuns]), [1, 2]);
  assert.deepEqual(order, ["first starts", "first ends", "second runs"]);
  assert.ok(!sent.some((s) => s.message.kino === "lock-release-requested"), "nobody was asked to let go");
});

test("exclusive work that throws still frees the key", async () => {
  const { links } = cluster(1);
  await assert.rejects(links[0]!.exclusive("finish:a", async () => Promise.reject(new Error("storage down"))), /storage down/);
  assert.equal(await links[0]!.exclusive("finish:a", async () => "again"), "again");
});

test("/metrics in a worker answers what the primary summed", async () => {
  const { links } = cluster(2);
  const { Registry } = await import("prom-client");
  assert.equal(await links[1]!.metricsOf(new Registry())(), "# summed\n");
});
