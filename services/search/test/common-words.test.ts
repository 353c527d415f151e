import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createDatabase, migrateToLatest } from "@kino/database";
import { silentLogger } from "@kino/platform";
import { createTestDatabase, type TestDatabase } from "@kino/testkit";
import { sql, type Kysely } from "kysely";
import { createLexemeFrequencies } from "../src/lexeme-frequencies.ts";
import { searchMigrations } from "../src/migrations/index.ts";
import { createPostgresEngine } from "../src/postgres-engine.ts";
import type { SearchDatabase } from "../src/schema.ts";
import type { SearchEngine, SearchQuery } from "../src/search-engine.ts";

// Enough documents for PostgreSQL's statistics to know the common words, so
// the engine takes the ways it has for them (the newest window, a prefix
// checked on rows); each answer is compared with a plain scan's.
const documents = 20_000;

let database: TestDatabase;
let db: Kysely<SearchDatabase>;
let engine: SearchEngine;

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
  limit: 20,
};

before(async () => {
  database = await createTestDatabase("kino_search_common");
  db = createDatabase<SearchDatabase>({ url: database.url });
  await migrateToLatest(db as Kysely<unknown>, searchMigrations, silentLogger());
  // "common" in half the titles, "often" in a third; "alpha" and "beta" each common but together only every 400th;
  // "rarity" in one title in 500, next to "for" or "forest" (a common prefix) in some of them.
  await sql`
    INSERT INTO documents (video_id, version, owner_id, title, description, tags, category, language, visibility, status,
                           duration_seconds, poster_path, created_at, deleted, search, title_search, title_plain)
    SELECT id, 1, owner, title, 'described', '{}', category, 'en', visibility, 'READY', duration, '', created, false,
           setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', 'described'), 'C'),
           to_tsvector('simple', title), title
    FROM (
      SELECT 'v' || i AS id, 'owner' || (i % 20) AS owner, CASE WHEN i % 10 = 0 THEN 'PRIVATE' ELSE 'PUBLIC' END AS visibility,
             (ARRAY['music', 'food', 'travel'])[1 + i % 3] AS category, (i % 600)::float8 AS duration,
             now() - i * interval '1 minute' AS created,
             concat_ws(' ', CASE WHEN i % 2 = 0 THEN 'common' END, CASE WHEN i % 3 = 0 THEN 'often' END,
                       CASE WHEN i % 4 = 1 THEN 'for' END, CASE WHEN i % 7 = 0 THEN 'forest' END,
                       CASE WHEN i % 400 = 3 THEN 'alpha beta' WHEN i % 2 = 0 THEN 'alpha' ELSE 'beta' END,
                       CASE WHEN i % 500 = 0 OR i % 500 = 1 THEN 'rarity' END, 'w' || (i % 997)) AS title
      FROM generate_series(1, ${documents}) AS i) AS generated`.execute(db);
  await sql`ANALYZE documents`.execute(db);
  const frequencies = createLexemeFrequencies(db);
  frequencies.share("title_search", ["common"]);
  for (let i = 0; i < 100 && frequencies.share("title_search", ["common"], false) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.ok(frequencies.share("title_search", ["common"], false) > 0.4, "the statistics know the common word");
  engine = createPostgresEngine(db, frequencies);
});
after(async () => {
  await db?.destroy();
  await database?.drop();
});

/** What a scan of every document says matches: visible to `viewer`, every word in the title, the last as a prefix. */
async function matching(words: string[], viewer?: string, extra = sql<boolean>`true`): Promise<Set<string>> {
  const tsquery = `${words.map((w) => `'${w}'`).join(" & ")}:*`;
  const { rows } = await sql<{ video_id: string }>`
    SELECT video_id FROM documents
    WHERE title_search @@ to_tsquery('simple', ${tsquery}) AND (visibility = 'PUBLIC' OR owner_id = ${viewer ?? ""}) AND ${extra}`.execute(db);
  return new Set(rows.map((row) => row.video_id));
}

test("common words: a full page, every hit matching and visible, pages apart from each other", async () => {
  const allowed = await matching(["common", "often"]);
  const first = await engine.search({ ...base, text: "common often" });
  const second = await engine.search({ ...base, text: "common often", offset: 20 });
  assert.equal(first.length, 20);
  assert.equal(second.length, 20);
  for (const hit of [...first, ...second]) assert.ok(allowed.has(hit.videoId), `${hit.videoId} (${hit.title}) matches and is public`);
  assert.equal(new Set([...first, ...second].map((hit) => hit.videoId)).size, 40, "no hit on both pages");
  assert.deepEqual(
    (await engine.search({ ...base, text: "common often", offset: 20 })).map((hit) => hit.videoId),
    second.map((hit) => hit.videoId),
    "a page asked again is the same page",
  );
});

test("common words with filters: every filter holds; the owner also finds their private videos", async () => {
  const hits = await engine.search({ ...base, text: "common", category: "food", minDurationSeconds: 100, maxDurationSeconds: 300, ownerId: "owner4" });
  assert.ok(hits.length > 0);
  for (const hit of hits) {
    assert.equal(hit.category, "food");
    assert.equal(hit.ownerId, "owner4");
    assert.ok(hit.durationSeconds >= 100 && hit.durationSeconds <= 300, `${hit.durationSeconds} s`);
    assert.match(hit.title, /\bcommon\b/);
  }
  // owner0 owns every PRIVATE one (i % 10 = 0 → i % 20 = 0 or 10): as owner0, some of them; anonymously, none.
  const asOwner = await engine.search({ ...base, text: "common", viewerId: "owner0", limit: 200 });
  const own = await matching(["common"], "owner0");
  for (const hit of asOwner) assert.ok(own.has(hit.videoId));
  const privateIds = new Set((await sql<{ video_id: string }>`SELECT video_id FROM documents WHERE visibility = 'PRIVATE' AND owner_id = 'owner0'`.execute(db)).rows.map((r) => r.video_id));
  assert.ok(asOwner.some((hit) => privateIds.has(hit.videoId)), "the owner's private matches are among theirs");
  const anonymous = await engine.search({ ...base, text: "common", limit: 200 });
  assert.ok(!anonymous.some((hit) => privateIds.has(hit.videoId)), "nobody else sees them");
});

test("words common alone but rare together: the newest window holds too few, and every match is still found", async () => {
  const expected = await matching(["alpha", "beta"]);
  assert.ok(expected.size > 20 && expected.size < 100, `${expected.size} public titles have both`);
  const hits = await engine.search({ ...base, text: "alpha beta", limit: 100 });
  assert.deepEqual(new Set(hits.map((hit) => hit.videoId)), expected);
});

test("a rare word then a common prefix: exactly the titles with the word and a word so starting", async () => {
  const expected = await matching(["rarity", "fo"]);
  assert.ok(expected.size > 0, "some titles have both");
  const hits = await engine.search({ ...base, text: "rarity fo", limit: 100 });
  assert.deepEqual(new Set(hits.map((hit) => hit.videoId)), expected);
  const inFood = await engine.search({ ...base, text: "rarity fo", category: "food", limit: 100 });
  assert.deepEqual(new Set(inFood.map((hit) => hit.videoId)), await matching(["rarity", "fo"], undefined, sql<boolean>`category = 'food'`));
});
