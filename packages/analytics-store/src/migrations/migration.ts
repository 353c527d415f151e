/**
 * A versioned schema change. Every statement must be idempotent
 * (`IF NOT EXISTS`), so a migration that was cut short, or that two
 * processes run at once, is simply run again.
 */
export interface Migration {
  version: number;
  name: string;
  /** Statements for database `db` (a checked identifier), run in order. */
  statements(db: string): string[];
}
