import type { Migration } from "./migration.ts";

const eventTypeEnum =
  "Enum8('view_start' = 1, 'playing' = 2, 'heartbeat' = 3, 'rebuffer_start' = 4, 'rebuffer_end' = 5, " +
  "'seek' = 6, 'rendition_change' = 7, 'error' = 8, 'view_end' = 9)";

/*
 * Exactly-once without ClickHouse's help. 18.16 deduplicates inserted blocks
 * on Replicated tables only and has no insert_deduplication_token, and an
 * event may reach the store twice: JetStream redelivers a message whose ack
 * was lost (collector killed between insert and ack), and a player resends a
 * batch whose acknowledgement it never saw. So every figure is computed in a
 * way a duplicate cannot change:
 *  - `events` is a ReplacingMergeTree keyed by event id, so duplicates
 *    collapse on merge; exact raw counts read it with FINAL.
 *  - the materialized views keep per-view and per-hour *states* that are
 *    idempotent: distinct counts (uniqExact of view, viewer and event ids)
 *    and maxima of the SDK's running totals (ViewCounters only grow), never
 *    plain sums of event rows. Inserting an event twice leaves them equal.
 * Totals over a range merge these states at query time.
 */
export const eventsAndViews: Migration = {
  version: 1,
  name: "events, view_stats, video_hourly",
  statements: (db) => [
    `CREATE TABLE IF NOT EXISTS ${db}.events (
      event_id String,
      view_id String,
      viewer_id String,
      video_id String,
      event_type ${eventTypeEnum},
      sdk_name String,
      sdk_version String,
      event_time DateTime,
      event_time_ms UInt16,
      received_at DateTime,
      sequence UInt64,
      playhead_ms UInt64,
      rendition String,
      bitrate_bps UInt64,
      buffer_length_ms UInt32,
      startup_time_ms UInt32,
      rebuffer_duration_ms UInt32,
      seek_to_ms UInt64,
      watch_time_ms UInt64,
      rebuffer_time_ms UInt64,
      played_bits UInt64,
      dropped_frames UInt64,
      error_code String,
      error_message String,
      error_fatal UInt8,
      autoplay UInt8,
      player_name String,
      player_version String,
      device_type String,
      os_name String,
      os_version String,
      browser_name String,
      browser_version String,
      country String
    ) ENGINE = ReplacingMergeTree()
    PARTITION BY toYYYYMM(event_time)
    ORDER BY (video_id, view_id, event_id)`,

    // One row per view after merges. Partitionless on purpose: a view's
    // events may straddle any time boundary and must merge into one row.
    `CREATE TABLE IF NOT EXISTS ${db}.view_stats (
      video_id String,
      view_id String,
      started_at AggregateFunction(minIf, DateTime, UInt8),
      viewer_id AggregateFunction(any, String),
      device_type AggregateFunction(any, String),
      os_name AggregateFunction(any, String),
      browser_name AggregateFunction(any, String),
      country AggregateFunction(any, String),
      first_frame AggregateFunction(max, UInt8),
      startup_time_ms AggregateFunction(minIf, UInt32, UInt8),
      watch_time_ms AggregateFunction(max, UInt64),
      rebuffer_time_ms AggregateFunction(max, UInt64),
      played_bits AggregateFunction(max, UInt64),
      rebuffer_count AggregateFunction(uniqExactIf, String, UInt8),
      errored AggregateFunction(max, UInt8),
      ended AggregateFunction(max, UInt8)
    ) ENGINE = AggregatingMergeTree()
    ORDER BY (video_id, view_id)`,

    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.view_stats_mv TO ${db}.view_stats AS
    SELECT
      video_id,
      view_id,
      minIfState(event_time, event_type = 'view_start') AS started_at,
      anyState(viewer_id) AS viewer_id,
      anyState(device_type) AS device_type,
      anyState(os_name) AS os_name,
      anyState(browser_name) AS browser_name,
      anyState(country) AS country,
      maxState(event_type = 'playing') AS first_frame,
      minIfState(startup_time_ms, event_type = 'playing' AND startup_time_ms > 0) AS startup_time_ms,
      maxState(watch_time_ms) AS watch_time_ms,
      maxState(rebuffer_time_ms) AS rebuffer_time_ms,
      maxState(played_bits) AS played_bits,
      uniqExactIfState(event_id, event_type = 'rebuffer_start') AS rebuffer_count,
      maxState(event_type = 'error') AS errored,
      maxState(event_type = 'view_end') AS ended
    FROM ${db}.events
    GROUP BY video_id, view_id`,

    `CREATE TABLE IF NOT EXISTS ${db}.video_hourly (
      video_id String,
      hour DateTime,
      views AggregateFunction(uniqExact, String),
      viewers AggregateFunction(uniqExact, String)
    ) ENGINE = AggregatingMergeTree()
    PARTITION BY toYYYYMM(hour)
    ORDER BY (video_id, hour)`,

    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.video_hourly_mv TO ${db}.video_hourly AS
    SELECT
      video_id,
      toStartOfHour(event_time) AS hour,
      uniqExactState(view_id) AS views,
      uniqExactState(viewer_id) AS viewers
    FROM ${db}.events
    WHERE event_type = 'view_start'
    GROUP BY video_id, hour`,
  ],
};
