import assert from "node:assert/strict";
import { status as GrpcStatus } from "@grpc/grpc-js";

/** Asserts a gRPC call fails with `code` and a message matching `message`. */
export async function rejectsWith(promise: Promise<unknown>, code: GrpcStatus, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: { code: number; details: string }) => {
    assert.equal(error.code, code, `expected ${GrpcStatus[code]}, got ${GrpcStatus[error.code]}: ${error.details}`);
    if (message) assert.match(error.details, message);
    return true;
  });
}
