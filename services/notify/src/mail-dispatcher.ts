import type { Kysely } from "kysely";
import type { Logger } from "@kino/platform";
import type { AccountDirectory } from "./account-directory.ts";
import { nextAttemptAt, type RetrySettings } from "./backoff.ts";
import { mailContent } from "./mail-messages.ts";
import type { Mailer } from "./mailer.ts";
import type { NotifyDatabase, OutgoingEmailRow } from "./schema.ts";

export interface MailDispatcherOptions {
  db: Kysely<NotifyDatabase>;
  mailer: Mailer;
  accounts: AccountDirectory;
  retry: RetrySettings;
  clock: () => Date;
  logger: Logger;
}

const batchSize = 16;
const leaseMs = 60_000;

async function claimDueMail(db: Kysely<NotifyDatabase>, now: Date): Promise<OutgoingEmailRow[]> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom("outgoing_emails")
      .selectAll()
      .where("status", "=", "pending")
      .where("next_attempt_at", "<=", now)
      .orderBy("next_attempt_at")
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .execute();
    if (rows.length > 0) {
      await trx
        .updateTable("outgoing_emails")
        .set({ next_attempt_at: new Date(now.getTime() + leaseMs) })
        .where("id", "in", rows.map((r) => r.id))
        .execute();
    }
    return rows;
  });
}

/**
 * One round of the mail queue: each due mail addressed to the account's
 * current email (asked of the auth service) and sent. A mail whose account
 * is gone or disabled is skipped; a failure is retried with backoff until
 * the retry window, counted from when it was queued, is spent.
 */
export function mailRound(options: MailDispatcherOptions): () => Promise<number> {
  const { db, logger } = options;
  return async () => {
    const claimed = await claimDueMail(db, options.clock());
    for (const mail of claimed) {
      const log = { mailId: mail.id, kind: mail.kind, userId: mail.user_id };
      try {
        const recipient = await options.accounts(mail.user_id);
        if (!recipient) {
          await db.updateTable("outgoing_emails").set({ status: "skipped", next_attempt_at: null }).where("id", "=", mail.id).execute();
          logger.info(log, "mail skipped: the account is gone or disabled");
          continue;
        }
        await options.mailer.send({ to: recipient.email, ...mailContent(mail.kind, mail.data, recipient.displayName) });
        await db
          .updateTable("outgoing_emails")
          .set({ status: "sent", attempts: mail.attempts + 1, sent_at: options.clock(), next_attempt_at: null, last_error: null })
          .where("id", "=", mail.id)
          .execute();
        logger.info(log, "mail sent");
      } catch (error) {
        const attempts = mail.attempts + 1;
        const next = nextAttemptAt(options.retry, mail.created_at, attempts, options.clock());
        const message = (error instanceof Error ? error.message : String(error)).slice(0, 300);
        await db
          .updateTable("outgoing_emails")
          .set({ status: next ? "pending" : "failed", attempts, next_attempt_at: next ?? null, last_error: message })
          .where("id", "=", mail.id)
          .execute();
        logger.warn({ ...log, err: error, attempts, givenUp: !next }, "mail not sent");
      }
    }
    return claimed.length;
  };
}
