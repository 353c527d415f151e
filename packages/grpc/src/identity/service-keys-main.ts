// Writes service identities and the trust file into a directory, for deployments
// that are not `kino up` (docker-compose runs it once into a shared volume).
import { ensureServiceKeyFiles } from "./service-key-files.ts";

const dir = process.argv[2];
if (!dir) {
  process.stderr.write("usage: service-keys-main.ts <directory>\n");
  process.exit(2);
}
const { created, added } = await ensureServiceKeyFiles(dir);
if (created) process.stdout.write(`service keys written to ${dir}\n`);
else if (added.length > 0) process.stdout.write(`service keys added for ${added.join(", ")} in ${dir}; restart the services so they trust them\n`);
else process.stdout.write(`service keys already present in ${dir}; kept\n`);
