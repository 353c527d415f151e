import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { CatalogService } from "@kino/proto/catalog/v1";
import { UploadService } from "@kino/proto/upload/v1";

export interface GatewayClients {
  baseUrl: string;
  uploads: Client<typeof UploadService>;
  videos: Client<typeof CatalogService>;
}

/** Connect clients for the public API, authenticated with an API key. */
export function createGatewayClients(baseUrl: string, apiKey: string): GatewayClients {
  const authenticate: Interceptor = (next) => (request) => {
    request.header.set("authorization", `Bearer ${apiKey}`);
    return next(request);
  };
  const transport = createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: [authenticate] });
  return { baseUrl, uploads: createClient(UploadService, transport), videos: createClient(CatalogService, transport) };
}
