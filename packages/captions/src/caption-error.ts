import { KinoError } from "@kino/platform";

/** Why a caption file was refused; `line` is 1-based, 0 when the file as a whole is wrong. */
export class CaptionError extends KinoError {
  readonly line: number;

  constructor(line: number, reason: string) {
    super("invalid_argument", line > 0 ? `caption file, line ${line}: ${reason}` : `caption file: ${reason}`);
    this.line = line;
  }
}
