import { fileURLToPath } from "node:url";

/** Directory holding the `.proto` sources, for tools that load them at run time (reflection, proto-loader clients). */
export const protoRoot = fileURLToPath(new URL("../../../proto", import.meta.url));
