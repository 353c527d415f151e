import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Role, type AccountSchema } from "@kino/proto/auth/v1";
import type { UserRow } from "./schema.ts";
import type { Tiers } from "./tiers.ts";

export type AccountInit = MessageInitShape<typeof AccountSchema>;

/** The Account message for a user, with the limits its tier has under the current settings. */
export function accountOf(user: UserRow, tiers: Tiers): AccountInit {
  const limits = tiers[user.tier];
  return {
    userId: user.id,
    email: user.email,
    displayName: user.display_name,
    role: user.role === "admin" ? Role.ADMIN : Role.USER,
    tier: user.tier,
    limits: {
      maxUploadBytes: BigInt(limits.maxUploadBytes),
      maxStorageBytes: BigInt(limits.maxStorageBytes),
      maxUploadsPerDay: limits.maxUploadsPerDay,
    },
    disabled: user.disabled_at !== null,
    emailVerified: user.email_verified_at !== null,
    createTime: timestampFromDate(user.created_at),
  };
}
