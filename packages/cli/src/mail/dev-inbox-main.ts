// `kino up`'s local mail server: catches what the auth service sends (codes,
// resets) into the data dir, where `kino mail` reads it. Loopback only.
import { createServer } from "node:http";
import { createLogger, intField, listenField, loadConfigOrExit, splitListen, stringField } from "@kino/platform";
import { startMailCatcher } from "@kino/testkit";
import { keepMail } from "./dev-inbox.ts";

const config = loadConfigOrExit({
  smtpPort: intField("KINO_DEV_SMTP_PORT", { description: "loopback port the inbox takes mail on", default: 1025, min: 1, max: 65535 }),
  opsListen: listenField("KINO_DEV_INBOX_OPS_LISTEN", { description: "HTTP address for /healthz", default: "127.0.0.1:8025" }),
  dir: stringField("KINO_DEV_INBOX_DIR", { description: "where messages are kept, one JSON file each", default: ".kino/dev/mail" }),
});
const logger = createLogger({ name: "dev-inbox", level: "info" });
const inbox = await startMailCatcher({
  port: config.smtpPort,
  onMessage(mail) {
    // The text holds a code: log who it went to, never what it says.
    keepMail(config.dir, mail).then(
      () => logger.info({ to: mail.to, subject: mail.subject }, "mail kept"),
      (error: unknown) => logger.error({ err: error }, "mail not kept"),
    );
  },
});
const ops = createServer((req, res) => {
  res.writeHead(req.url === "/healthz" ? 200 : 404, { "content-type": "text/plain" });
  res.end(req.url === "/healthz" ? "ok\n" : "not found\n");
});
const { host, port } = splitListen(config.opsListen);
ops.listen(port, host);
logger.info({ smtp: inbox.url, ops: config.opsListen }, "dev inbox listening");
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    ops.close();
    void inbox.close().then(() => process.exit(0));
  });
}
