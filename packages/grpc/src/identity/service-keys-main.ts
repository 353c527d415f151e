// Writes service identities and the trust file into a directory, for deployments
// that are not `kino up` (docker-compose runs it once into a shared volume).
import { ensureServiceKeyFiles } from "./service-key-files.ts";

const dir = process.argv[2];
if (!dir) {
  process.stderr.write("usage: service-keys-main.ts <directory>\n");
  process.exit(2);
}
const { created } = await ensureServiceKeyFiles(dir);
process.stdout.write(created ? `service keys written to ${dir}\n` : `service keys already present in ${dir}; kept\n`);
