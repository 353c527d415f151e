import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { CatalogService } from "@kino/proto/catalog/v1";
import { UploadService } from "@kino/proto/upload/v1";
import { credentialInterceptor, type Credential } from "./credential.ts";

export interface GatewayClients {
  baseUrl: string;
  uploads: Client<typeof UploadService>;
  videos: Client<typeof CatalogService>;
}

/** Connect clients for the public API, each call made with the credential (an API key or a session's access token). */
export function createGatewayClients(baseUrl: string, credential: Credential): GatewayClients {
  const transport = createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: [credentialInterceptor(credential)] });
  return { baseUrl, uploads: createClient(UploadService, transport), videos: createClient(CatalogService, transport) };
}
