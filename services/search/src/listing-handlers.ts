import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ServiceHandlers } from "@kino/grpc";
import { KinoError, checkText, isVideoId, videoIdShape } from "@kino/platform";
import {
  ListRecommendedVideosResponseSchema,
  ListRelatedVideosResponseSchema,
  ListTrendingVideosResponseSchema,
  type SearchService,
} from "@kino/proto/search/v1";
import type { Recommender } from "./recommender.ts";
import type { Codec, ResultCache } from "./result-cache.ts";
import type { SearchResultRow } from "./search-engine.ts";
import { pageSizeOf } from "./search-handlers.ts";

const codecOf = <S extends DescMessage>(schema: S): Codec<MessageShape<S>> => ({
  encode: (value) => toBinary(schema, value),
  decode: (bytes) => fromBinary(schema, bytes),
});

const hitsOf = (rows: SearchResultRow[]) => rows.map((row) => ({ ...row, createTime: timestampFromDate(row.createdAt) }));

/**
 * Related, recommended and trending videos. Related and trending lists are
 * the same for everyone who asks about the same video or category (and per
 * signed-in caller, whose own videos count), so they are cached; "for you"
 * is one person's and is not.
 */
export function listingHandlers(
  recommender: Recommender,
  cache: ResultCache,
): Pick<ServiceHandlers<typeof SearchService>, "listRelatedVideos" | "listRecommendedVideos" | "listTrendingVideos"> {
  return {
    async listRelatedVideos(request, context) {
      if (!isVideoId(request.videoId)) throw new KinoError("invalid_argument", `video_id must be a video id (${videoIdShape})`);
      const limit = pageSizeOf(request.pageSize);
      const key = JSON.stringify(["related", request.videoId, limit, context.callerId ?? null]);
      return cache.through(key, { always: true }, codecOf(ListRelatedVideosResponseSchema), async () =>
        create(ListRelatedVideosResponseSchema, { hits: hitsOf(await recommender.related(request.videoId, context.callerId, limit)) }),
      );
    },

    async listRecommendedVideos(request, context) {
      const limit = pageSizeOf(request.pageSize);
      const rows = await recommender.recommended({ id: context.callerId, requestId: context.requestId }, limit);
      return create(ListRecommendedVideosResponseSchema, { hits: hitsOf(rows) });
    },

    async listTrendingVideos(request, context) {
      const category = checkText(request.category, { field: "category", maxLength: 40, kind: "line" });
      const limit = pageSizeOf(request.pageSize);
      const key = JSON.stringify(["trending", category, limit, context.callerId ?? null]);
      return cache.through(key, { always: true }, codecOf(ListTrendingVideosResponseSchema), async () =>
        create(ListTrendingVideosResponseSchema, { hits: hitsOf(await recommender.trending(context.callerId, category, limit)) }),
      );
    },
  };
}
