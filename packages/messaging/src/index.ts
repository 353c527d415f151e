export { connectNats, type ConnectNatsOptions } from "./connect.ts";
export { createTopology, type Topology, type VideoEventKind } from "./topology.ts";
export { ensureStreams } from "./ensure-streams.ts";
export { publishMessage } from "./publish.ts";
