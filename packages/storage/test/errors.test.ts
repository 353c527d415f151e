import assert from "node:assert/strict";
import { it } from "node:test";
import { KinoError } from "@kino/platform";
import { StorageError, toKinoError, type StorageErrorCode } from "../src/index.ts";

it("maps each storage error to the KinoError an RPC edge reports, keeping it as the cause", () => {
  const expected: Record<StorageErrorCode, string> = {
    not_found: "not_found",
    invalid_key: "invalid_argument",
    invalid_range: "invalid_argument",
    unavailable: "unavailable",
  };
  for (const [code, kinoCode] of Object.entries(expected) as [StorageErrorCode, string][]) {
    const error = new StorageError(code, `failed with ${code}`, { cause: new Error("backend said no") });
    const converted = toKinoError(error);
    assert.ok(KinoError.is(converted));
    assert.equal(converted.code, kinoCode);
    assert.equal(converted.message, `failed with ${code}`);
    assert.equal(converted.cause, error);
  }
});

it("tells storage errors apart by code", () => {
  const error = new StorageError("not_found", "no object at raw/v1/source");
  assert.ok(StorageError.is(error));
  assert.ok(StorageError.is(error, "not_found"));
  assert.ok(!StorageError.is(error, "unavailable"));
  assert.ok(!StorageError.is(new Error("plain")));
});
