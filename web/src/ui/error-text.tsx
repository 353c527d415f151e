import { errorMessage } from "../api/errors.ts";

/** A failed call's reason, announced to screen readers as it appears. */
export function ErrorText({ error, prefix }: { error: unknown; prefix?: string }) {
  if (error === undefined || error === null) return null;
  return (
    <p className="error" role="alert">
      {prefix ? `${prefix}: ` : ""}
      {errorMessage(error)}
    </p>
  );
}
