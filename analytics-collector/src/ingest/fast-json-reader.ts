import { create, ScalarType, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import type { GenMessage } from "@bufbuild/protobuf/codegenv2";

/*
 * protobuf-es's fromJson is general and reflective: about 4 µs for one beacon
 * event, most of the collector's CPU per batch. This reader handles the
 * common shape of canonical JSON (camelCase names, plain values) in a
 * fraction of that and gives up — returns undefined — on anything else, so
 * the caller falls back to fromJson, which then decides (accepts snake_case
 * names, int64 forms, offsets in timestamps, or reports the error). It only
 * accepts inputs that fromJson accepts, with the same result; a test checks
 * that on generated and mutated events.
 */

const giveUp = Symbol("give up");
type Read = (json: unknown) => unknown;

interface FieldPlan {
  localName: string;
  oneof: string | undefined;
  read: Read;
}

interface MessagePlan {
  template: Record<string, unknown>;
  byJsonName: Map<string, FieldPlan>;
  /** Proto names that differ from the JSON name: fromJson accepts them, this reader leaves them to it. */
  aliases: Set<string>;
}

const uint64Text = /^(0|[1-9][0-9]{0,14})$/;
const rfc3339Utc = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?Z$/;
const timestampMsMin = -62135596800000;
const timestampMsMax = 253402300799000;

function scalarReader(scalar: ScalarType): Read {
  switch (scalar) {
    case ScalarType.STRING:
      return (json) => (typeof json === "string" ? json : giveUp);
    case ScalarType.BOOL:
      return (json) => (typeof json === "boolean" ? json : giveUp);
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return (json) => (typeof json === "number" && Number.isInteger(json) && json >= 0 && json <= 0xffffffff ? json : giveUp);
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return (json) => {
        if (typeof json === "number") return Number.isSafeInteger(json) && json >= 0 ? BigInt(json) : giveUp;
        return typeof json === "string" && uint64Text.test(json) ? BigInt(json) : giveUp;
      };
    default:
      return () => giveUp;
  }
}

/** google.protobuf.Timestamp, as fromJson computes it, for UTC ("Z") strings only. */
function timestampReader(desc: DescMessage): Read {
  const template = create(desc) as unknown as Record<string, unknown>;
  return (json) => {
    if (typeof json !== "string") return giveUp;
    const m = rfc3339Utc.exec(json);
    if (!m) return giveUp;
    const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
    if (Number.isNaN(ms) || ms < timestampMsMin || ms > timestampMsMax) return giveUp;
    const fraction = m[7];
    const nanos = fraction ? parseInt(`1${fraction}${"0".repeat(9 - fraction.length)}`) - 1_000_000_000 : 0;
    return { ...template, seconds: BigInt(ms / 1000), nanos };
  };
}

function fieldReader(field: DescField, plans: Map<DescMessage, MessagePlan>): Read {
  if (field.fieldKind === "scalar") return scalarReader(field.scalar);
  if (field.fieldKind === "message") {
    if (field.message.typeName === "google.protobuf.Timestamp") return timestampReader(field.message);
    if (field.message.file.name.startsWith("google/protobuf/")) return () => giveUp;
    return (json) => readMessage(planFor(field.message, plans), json);
  }
  return () => giveUp;
}

function planFor(desc: DescMessage, plans: Map<DescMessage, MessagePlan>): MessagePlan {
  const existing = plans.get(desc);
  if (existing) return existing;
  const plan: MessagePlan = { template: create(desc) as unknown as Record<string, unknown>, byJsonName: new Map(), aliases: new Set() };
  plans.set(desc, plan);
  for (const field of desc.fields) {
    plan.byJsonName.set(field.jsonName, { localName: field.localName, oneof: field.oneof?.localName, read: fieldReader(field, plans) });
    if (field.name !== field.jsonName) plan.aliases.add(field.name);
  }
  return plan;
}

function readMessage(plan: MessagePlan, json: unknown): unknown {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return giveUp;
  const message: Record<string, unknown> = { ...plan.template };
  let oneofsSet: Set<string> | undefined;
  for (const key in json) {
    const field = plan.byJsonName.get(key);
    if (!field) {
      if (plan.aliases.has(key) || key.startsWith("[")) return giveUp;
      continue; // unknown field: ignored, as fromJson does with ignoreUnknownFields
    }
    const raw = (json as Record<string, unknown>)[key];
    if (raw === null) return giveUp;
    const value = field.read(raw);
    if (value === giveUp) return giveUp;
    if (field.oneof) {
      oneofsSet ??= new Set();
      if (oneofsSet.has(field.oneof)) return giveUp;
      oneofsSet.add(field.oneof);
      message[field.oneof] = { case: field.localName, value };
    } else {
      message[field.localName] = value;
    }
  }
  return message;
}

/** A reader of canonical JSON for `schema`; undefined means "ask fromJson". */
export function createFastJsonReader<T extends Message>(schema: GenMessage<T>): (json: unknown) => T | undefined {
  const plan = planFor(schema, new Map());
  return (json) => {
    const message = readMessage(plan, json);
    return message === giveUp ? undefined : (message as T);
  };
}
