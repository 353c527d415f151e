import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { isOwnerId, isVideoId, ownerIdShape, tokenIdPattern, tokenIdShape, videoIdShape } from "@kino/platform";

interface IdRule {
  test(value: string): boolean;
  shape: string;
}

const videoId: IdRule = { test: isVideoId, shape: `a video id (${videoIdShape})` };
const ownerId: IdRule = { test: isOwnerId, shape: ownerIdShape };
const otherId: IdRule = { test: (value) => tokenIdPattern.test(value), shape: tokenIdShape };

/**
 * The contract's rule for identifier fields, by proto name: `id` and `video_id`
 * are video ids, `owner_id` names an account, any other `*_id` is a short
 * token. An empty value is the service's to judge (often "not set").
 */
export function idRuleOf(field: DescField): IdRule | undefined {
  if (field.fieldKind !== "scalar" || field.scalar !== ScalarType.STRING) return undefined;
  if (field.name === "id" || field.name === "video_id") return videoId;
  if (field.name === "owner_id") return ownerId;
  return field.name.endsWith("_id") ? otherId : undefined;
}

/** Throws InvalidArgument for the first identifier field of `message` that breaks its rule; never echoes the value. */
export function checkIdentifiers(schema: DescMessage, message: Record<string, unknown>, path = ""): void {
  for (const field of schema.fields) {
    const value = message[field.localName];
    const name = `${path}${field.name}`;
    const rule = idRuleOf(field);
    if (rule && typeof value === "string" && value !== "" && !rule.test(value)) {
      throw new ConnectError(`${name} must be ${rule.shape}; got ${[...value].length} characters that are not`, Code.InvalidArgument);
    }
    if (field.fieldKind === "message" && value) checkIdentifiers(field.message, value as Record<string, unknown>, `${name}.`);
    if (field.fieldKind === "list" && field.listKind === "message" && Array.isArray(value)) {
      for (const item of value) checkIdentifiers(field.message, item as Record<string, unknown>, `${name}[].`);
    }
  }
}

/**
 * Checks every request's identifiers before any upstream call, so a hostile
 * id (a megabyte of text, say) is refused at the door instead of travelling to
 * a service and back inside an error.
 */
export const requestGuard: Interceptor = (next) => async (req) => {
  const input = req.method.input;
  if (!req.stream) {
    checkIdentifiers(input, req.message as unknown as Record<string, unknown>);
    return next(req);
  }
  const messages = req.message;
  async function* checked() {
    for await (const message of messages) {
      checkIdentifiers(input, message as unknown as Record<string, unknown>);
      yield message;
    }
  }
  return next({ ...req, message: checked() });
};
