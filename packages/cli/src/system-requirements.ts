import { debianPackages, type SystemPackage } from "@kino/stack";

/** Beyond the servers: the transcoder runs ffmpeg. */
export const upPackages: readonly SystemPackage[] = [debianPackages.ffmpeg];

/** Beyond the servers: transcoding tests run ffmpeg, browser tests run Chromium. */
export const testPackages: readonly SystemPackage[] = [debianPackages.ffmpeg, debianPackages.chromium];
