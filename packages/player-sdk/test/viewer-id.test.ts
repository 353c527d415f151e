import assert from "node:assert/strict";
import { test } from "node:test";
import { persistentViewerId } from "../src/viewer-id.ts";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A Storage of its own: only the two methods the SDK calls. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value) } as Storage;
}

test("the viewer id is generated once and kept in storage across views", () => {
  const storage = memoryStorage();
  const first = persistentViewerId(() => storage);
  assert.match(first, uuid);
  assert.equal(persistentViewerId(() => storage), first);
  assert.notEqual(persistentViewerId(() => memoryStorage()), first);
});

test("without usable storage each page gets a fresh viewer id", () => {
  const refusing = () => {
    throw new DOMException("storage is disabled", "SecurityError");
  };
  assert.match(persistentViewerId(refusing), uuid);
  assert.match(persistentViewerId(() => undefined), uuid);
});
