import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { findFreePort } from "@kino/stack";
import { createTempDir, type TempDir } from "@kino/testkit";
import { PrivateServer } from "./private-server.ts";

/**
 * A clickhouse-server of the test's own (temp dir, free ports), for tests
 * that stop and start ClickHouse; the shared one is never touched.
 */
export class PrivateClickHouse extends PrivateServer {
  private constructor(
    private readonly dir: TempDir,
    readonly httpPort: number,
  ) {
    super({
      name: "private clickhouse-server",
      command: "clickhouse-server",
      args: [`--config-file=${join(dir.path, "config.xml")}`],
      ready: async () => {
        if (!(await fetch(`http://127.0.0.1:${httpPort}/ping`)).ok) throw new Error("not ready");
      },
      readyTimeoutMs: 30_000,
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  static async create(): Promise<PrivateClickHouse> {
    const dir = await createTempDir("kino-private-ch-");
    const [httpPort, tcpPort] = [await findFreePort(), await findFreePort()];
    for (const sub of ["data", "tmp", "user_files", "format_schemas"]) await mkdir(join(dir.path, sub));
    await writeFile(
      join(dir.path, "config.xml"),
      `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir.path}/server.log</log><errorlog>${dir.path}/error.log</errorlog><console>0</console></logger>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir.path}/data/</path>
  <tmp_path>${dir.path}/tmp/</tmp_path>
  <user_files_path>${dir.path}/user_files/</user_files_path>
  <format_schema_path>${dir.path}/format_schemas/</format_schema_path>
  <mark_cache_size>67108864</mark_cache_size>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
</yandex>
`,
    );
    await writeFile(
      join(dir.path, "users.xml"),
      `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`,
    );
    const server = new PrivateClickHouse(dir, httpPort);
    await server.start();
    return server;
  }

  async destroy(): Promise<void> {
    await this.stop();
    await this.dir.remove();
  }
}
