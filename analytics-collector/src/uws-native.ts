import { createRequire } from "node:module";
import { KinoError } from "@kino/platform";

export type Uws = typeof import("@trufflesuite/uws-js-unofficial");

const require = createRequire(import.meta.url);

/**
 * @trufflesuite/uws-js-unofficial requires `binaries/uws_<platform>_<arch>_<abi>.node`
 * and, when that throws (or UWS_USE_FALLBACK is set), silently returns a
 * pure-JS server built on node:http and ws instead. Only the native addon has
 * `getParts`, and its functions are native code; the fallback's are not.
 */
export function isNativeUws(module: Partial<Uws>): boolean {
  return (
    typeof module.getParts === "function" &&
    typeof module.App === "function" &&
    /\{\s*\[native code\]\s*\}/.test(Function.prototype.toString.call(module.App))
  );
}

/** Loads uWebSockets.js and refuses its slow fallback. */
export function loadNativeUws(load: () => Partial<Uws> = () => require("@trufflesuite/uws-js-unofficial") as Uws): Uws {
  const module = load();
  if (!isNativeUws(module)) {
    throw new KinoError(
      "failed_precondition",
      `uWebSockets.js native binary did not load for node ${process.versions.node} ` +
        `(${process.platform}-${process.arch}, ABI ${process.versions.modules}); refusing to run on its pure-JS fallback`,
    );
  }
  return module as Uws;
}
