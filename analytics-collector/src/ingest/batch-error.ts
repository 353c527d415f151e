import { KinoError, type KinoErrorCode } from "@kino/platform";

/** Why a whole request was refused; `status` is the HTTP status it maps to. */
export class BatchError extends KinoError {
  readonly status: number;

  constructor(status: number, code: KinoErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.status = status;
  }
}
