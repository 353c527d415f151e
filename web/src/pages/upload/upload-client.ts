import { createClient } from "@connectrpc/connect";
import { UploadService } from "@kino/proto/upload/v1";
import { transport } from "../../api/transport.ts";

/** The upload API's client lives with the upload page, so its descriptors load only there. */
export const uploadClient = createClient(UploadService, transport);
