export { createOriginRoute, type OriginRouteOptions } from "./origin-route.ts";
export { type Playable, type PlaybackResolver, type PlaybackVisibility } from "./playable.ts";
export { signedOriginPath } from "./origin-path.ts";
export { catalogPlaybackResolver, type CatalogPlaybackOptions, type PlaybackClient } from "./catalog-playback-resolver.ts";
export { cachePlayback, type PlaybackCacheOptions } from "./playback-cache.ts";
export { createOriginFileCache, type OriginFileCache, type OriginFileCacheOptions } from "./origin-file-cache.ts";
