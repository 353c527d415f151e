export { createOriginRoute, type OriginRouteOptions, type PlaybackResolver } from "./origin-route.ts";
export { catalogPlaybackResolver, type CatalogPlaybackOptions, type PlaybackClient } from "./catalog-playback-resolver.ts";
export { cachePlayback, type PlaybackCacheOptions } from "./playback-cache.ts";
