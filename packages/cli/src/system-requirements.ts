import { debianPackages, type SystemPackage } from "@kino/stack";

/** Beyond the servers: the transcoder runs ffmpeg. */
export const upPackages: readonly SystemPackage[] = [debianPackages.ffmpeg];

/**
 * Beyond the servers: transcoding tests run ffmpeg, browser tests run Chromium, CDN tests put nginx's
 * proxy_cache in front of the origin, Python's grpcio and protobuf are a gRPC stack Kino did not write, and
 * iproute2's `ip netns` gives the multi-host transcoder test its hosts.
 */
export const testPackages: readonly SystemPackage[] = [
  debianPackages.ffmpeg,
  debianPackages.chromium,
  debianPackages.nginx,
  debianPackages.iproute2,
  debianPackages.pythonGrpc,
  debianPackages.pythonProtobuf,
];
