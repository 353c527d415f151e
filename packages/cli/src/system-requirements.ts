import { debianPackages, type SystemPackage } from "@kino/stack";

/** Beyond the servers: the transcoder runs ffmpeg. */
export const upPackages: readonly SystemPackage[] = [debianPackages.ffmpeg];

/** Beyond the servers: transcoding tests run ffmpeg, browser tests run Chromium, CDN tests put nginx's proxy_cache in front of the origin. */
export const testPackages: readonly SystemPackage[] = [debianPackages.ffmpeg, debianPackages.chromium, debianPackages.nginx];
