import { ScalarType, type DescMessage, type DescMethod, type DescService } from "@bufbuild/protobuf";
import type { ConnectRouter, MethodImpl, ServiceImpl } from "@connectrpc/connect";
import { idRuleOf } from "./request-guard.ts";

/**
 * The read limit of a request whose every field the contract bounds (ids,
 * numbers, enums, timestamps): such a message is a few hundred bytes, so
 * anything past this is refused unparsed, from its Content-Length when it has
 * one. Parsing a 1 MB JSON body costs the event loop ~20 ms.
 */
const boundedRequestMaxBytes = 16 * 1024;

function isBounded(schema: DescMessage, depth = 0): boolean {
  if (depth > 8) return false;
  return schema.fields.every((field) => {
    switch (field.fieldKind) {
      case "scalar":
        return (field.scalar !== ScalarType.STRING && field.scalar !== ScalarType.BYTES) || idRuleOf(field) !== undefined;
      case "enum":
        return true;
      case "message":
        return isBounded(field.message, depth + 1);
      default:
        // Lists and maps grow with the client.
        return false;
    }
  });
}

/** The most bytes a request of `method` may have: `maxRequestBytes`, or less where the contract bounds it. */
function requestLimitOf(method: DescMethod, maxRequestBytes: number): number {
  return isBounded(method.input) ? Math.min(boundedRequestMaxBytes, maxRequestBytes) : maxRequestBytes;
}

/** Registers each method of `service` with the read limit its input allows. */
export function serveWithLimits<S extends DescService>(router: ConnectRouter, service: S, impl: ServiceImpl<S>, maxRequestBytes: number): void {
  const methods = impl as unknown as Record<string, MethodImpl<DescMethod>>;
  for (const method of service.methods) {
    router.rpc(method, methods[method.localName]!, { readMaxBytes: requestLimitOf(method, maxRequestBytes) });
  }
}
