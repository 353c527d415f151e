import { debianPackages, type SystemPackage } from "@kino/stack";

/** Beyond the servers: the transcoder runs ffmpeg. */
export const upPackages: readonly SystemPackage[] = [debianPackages.ffmpeg];

/**
 * Beyond the servers: transcoding tests run ffmpeg, browser tests run Chromium, CDN tests put nginx's
 * proxy_cache in front of the origin, and Python's grpcio and protobuf are a gRPC stack Kino did not write.
 */
export const testPackages: readonly SystemPackage[] = [
  debianPackages.ffmpeg,
  debianPackages.chromium,
  debianPackages.nginx,
  debianPackages.pythonGrpc,
  debianPackages.pythonProtobuf,
];
