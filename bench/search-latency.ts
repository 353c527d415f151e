/**
 * Search latency on a large generated catalog (not run by tests or CI).
 *
 *   node --import tsx bench/search-latency.ts [--videos=1000000] [--queries=300] [--keep]
 *
 * Fills a database of its own (kino_search_bench on the PostgreSQL that
 * `./kino up` runs, or KINO_DATABASE_URL's server) with generated READY
 * videos through the search service's own schema and tsvector expression:
 * titles of 3–8 words and descriptions of 20–60 words drawn from a
 * vocabulary with a Zipf distribution (a few words very common, a long
 * tail), 0–5 tags, one of 12 categories, a tenth of them not public. Then
 * asks the service's engine for the top 20, with query words drawn with the
 * corpus's own frequencies, four kinds of query: one word, two words, a
 * prefix (the first 3–5 letters of a word), and one word filtered by
 * category and duration. Prints p50 and p95 per kind, next to the baseline
 * measured in the same run: a primary-key lookup on the same table.
 */
import { performance } from "node:perf_hooks";
import { createDatabase, migrateToLatest } from "../packages/database/src/index.ts";
import { silentLogger } from "../packages/platform/src/index.ts";
import { searchMigrations } from "../services/search/src/migrations/index.ts";
import { createPostgresEngine } from "../services/search/src/postgres-engine.ts";
import type { SearchDatabase } from "../services/search/src/schema.ts";
import type { SearchQuery } from "../services/search/src/search-engine.ts";
import { sql, type Kysely } from "kysely";

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=")) as [string, string][]);
const videos = Number(args.videos ?? 1_000_000);
const queries = Number(args.queries ?? 300);
const server = new URL(process.env.KINO_DATABASE_URL ?? "postgres://kino@127.0.0.1:54329/kino");
const benchUrl = Object.assign(new URL(server.toString()), { pathname: "/kino_search_bench" }).toString();

// A seeded generator (mulberry32), so every run builds the same corpus. An LCG is
// not enough: its consecutive draws correlate, which tied a row's duration to its
// category (one category had 2 videos between 1 and 15 minutes, another 42,105).
let seed = 42;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
}

const common = (
  "the a of and to in how my with for best video day new first life home time world easy way from tour live guide make night city food " +
  "music travel game review top street summer winter kitchen recipe cooking bread coffee garden house beach mountain river lake forest " +
  "trip walk run bike car train plane dog cat baby family friends school work office story history science space moon sun star rain " +
  "snow fire water light dark old big small great little last full part one two three why what when where who diy tips tricks vlog " +
  "morning evening weekend holiday festival market concert piano guitar song dance art paint photo camera drone film short tutorial"
).split(" ");
const syllables = ["ka", "lo", "mi", "ra", "to", "ne", "su", "vi", "da", "pe", "lu", "ro", "sa", "ti", "mo", "be", "ri", "na", "fo", "gu"];
const tail = Array.from({ length: 6000 }, (_, i) => {
  let word = "";
  let n = i + 7;
  do {
    word += syllables[n % syllables.length];
    n = Math.floor(n / syllables.length);
  } while (n > 0 || word.length < 5);
  return word;
});
const vocabulary = [...common, ...tail];
// Zipf with s = 1: the k-th word is drawn with weight 1/k.
const cumulative: number[] = [];
vocabulary.reduce((sum, _, k) => (cumulative.push(sum + 1 / (k + 1)), sum + 1 / (k + 1)), 0);
const total = cumulative.at(-1)!;
function word(): string {
  const target = random() * total;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return vocabulary[lo]!;
}
const words = (min: number, max: number) => Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, word).join(" ");
const categories = ["music", "food", "travel", "gaming", "sports", "science", "education", "news", "comedy", "film", "art", "pets"];

async function fill(db: Kysely<SearchDatabase>): Promise<void> {
  const started = performance.now();
  const batch = 5000;
  for (let done = 0; done < videos; done += batch) {
    const n = Math.min(batch, videos - done);
    const rows = Array.from({ length: n }, (_, i) => ({
      id: `bench${(done + i).toString().padStart(15, "0")}`,
      title: words(3, 8),
      description: words(20, 60),
      tags: Array.from({ length: Math.floor(random() * 6) }, word),
      category: categories[Math.floor(random() * categories.length)]!,
      visibility: random() < 0.9 ? "PUBLIC" : "PRIVATE",
      duration: 10 + Math.floor(random() * 3600),
      created: new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 700 * 86_400_000)),
    }));
    await sql`
      INSERT INTO documents (video_id, version, owner_id, title, description, tags, category, language, visibility, status,
                             duration_seconds, poster_path, created_at, deleted, search, title_search, title_plain)
      SELECT id, 1, 'owner' || (abs(hashtext(id)) % 50000), title, description, string_to_array(tags, ','), category, 'en', visibility, 'READY',
             duration, '', created, false,
             setweight(to_tsvector('simple', unaccent(title)), 'A') || setweight(to_tsvector('simple', unaccent(replace(tags, ',', ' '))), 'B')
               || setweight(to_tsvector('simple', unaccent(description)), 'C'),
             to_tsvector('simple', unaccent(title)),
             lower(unaccent(title))
      FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.title)}::text[], ${rows.map((r) => r.description)}::text[],
                  ${rows.map((r) => r.tags.join(","))}::text[], ${rows.map((r) => r.category)}::text[], ${rows.map((r) => r.visibility)}::text[],
                  ${rows.map((r) => r.duration)}::float8[], ${rows.map((r) => r.created)}::timestamptz[])
        AS t(id, title, description, tags, category, visibility, duration, created)
      ON CONFLICT DO NOTHING`.execute(db);
    if ((done / batch) % 20 === 0) process.stdout.write(`  ${done + n} videos…\r`);
  }
  await sql`VACUUM ANALYZE documents`.execute(db);
  process.stdout.write(`filled ${videos} videos in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

async function main(): Promise<void> {
  const admin = createDatabase<unknown>({ url: server.toString() });
  const exists = await sql`SELECT 1 FROM pg_database WHERE datname = 'kino_search_bench'`.execute(admin);
  if (exists.rows.length === 0) await sql`CREATE DATABASE kino_search_bench`.execute(admin);
  await admin.destroy();
  const db = createDatabase<SearchDatabase>({ url: benchUrl, maxConnections: 4 });
  await migrateToLatest(db as Kysely<unknown>, searchMigrations, silentLogger());
  const count = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM documents`.execute(db)).rows[0]!.n);
  if (count < videos) await fill(db);
  else process.stdout.write(`reusing ${count} videos in kino_search_bench\n`);

  const engine = createPostgresEngine(db);
  const base: SearchQuery = {
    text: "",
    viewerId: undefined,
    category: "",
    ownerId: "",
    tag: "",
    minDurationSeconds: 0,
    maxDurationSeconds: 0,
    createdAfter: undefined,
    createdBefore: undefined,
    sort: "relevance",
    offset: 0,
    limit: 21,
  };
  const kinds: Record<string, () => SearchQuery> = {
    "one word": () => ({ ...base, text: word() }),
    "two words": () => ({ ...base, text: `${word()} ${word()}` }),
    prefix: () => {
      const w = word();
      return { ...base, text: w.slice(0, Math.min(w.length, 3 + Math.floor(random() * 3))) };
    },
    "one word + category + duration": () => ({
      ...base,
      text: word(),
      category: categories[Math.floor(random() * categories.length)]!,
      minDurationSeconds: 60,
      maxDurationSeconds: 900,
    }),
  };
  const time = async (run: () => Promise<unknown>) => {
    const t0 = performance.now();
    await run();
    return performance.now() - t0;
  };
  const baseline: number[] = [];
  for (let i = 0; i < queries; i++) {
    const id = `bench${Math.floor(random() * videos).toString().padStart(15, "0")}`;
    baseline.push(await time(() => db.selectFrom("documents").select(["title"]).where("video_id", "=", id).execute()));
  }
  const b50 = percentile(baseline, 0.5);
  process.stdout.write(`\n${videos} videos, top 20, ${queries} queries per kind, words drawn with the corpus's frequencies\n`);
  process.stdout.write(`  ${"baseline: primary-key lookup".padEnd(34)} p50 ${b50.toFixed(2).padStart(7)} ms  p95 ${percentile(baseline, 0.95).toFixed(2).padStart(7)} ms\n`);
  for (const [name, make] of Object.entries(kinds)) {
    const latencies: number[] = [];
    for (let i = 0; i < queries; i++) {
      const query = make();
      latencies.push(await time(() => engine.search(query)));
    }
    const p50 = percentile(latencies, 0.5);
    const p95 = percentile(latencies, 0.95);
    process.stdout.write(`  ${name.padEnd(34)} p50 ${p50.toFixed(2).padStart(7)} ms  p95 ${p95.toFixed(2).padStart(7)} ms  (p50 ${(p50 / b50).toFixed(0)}x baseline)${p95 <= 50 ? "" : "  over the 50 ms target"}\n`);
  }
  await db.destroy();
  if (!("keep" in args)) {
    const cleanup = createDatabase<unknown>({ url: server.toString() });
    await sql`DROP DATABASE kino_search_bench`.execute(cleanup);
    await cleanup.destroy();
  }
}

await main();
