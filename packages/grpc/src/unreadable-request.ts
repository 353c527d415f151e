import { fromBinary, type DescMessage } from "@bufbuild/protobuf";
import { KinoError } from "@kino/platform";

/**
 * What a server's deserializer hands on instead of throwing: grpc-js answers
 * a throwing deserializer with INTERNAL "Error deserializing request", which
 * blames the server for the client's bytes. The handler adapter answers this
 * with the error it carries.
 */
export class UnreadableRequest {
  constructor(readonly error: KinoError) {}
}

/** Reads a request message, or says why it cannot be read. */
export function readRequest(schema: DescMessage, bytes: Buffer, maxBytes: number): unknown {
  if (bytes.length > maxBytes) {
    return new UnreadableRequest(
      new KinoError("resource_exhausted", `the ${schema.typeName} message is ${bytes.length} bytes; the limit is ${maxBytes} bytes`),
    );
  }
  try {
    return fromBinary(schema, bytes);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return new UnreadableRequest(new KinoError("invalid_argument", `the request is not a valid ${schema.typeName} in protobuf binary: ${why}`));
  }
}
