import type { Account } from "@kino/proto/auth/v1";
import { Page } from "../../ui/page.tsx";
import { ApiKeysSection } from "./api-keys-section.tsx";
import { AvatarSection } from "./avatar-section.tsx";
import { NotificationPreferencesSection } from "./notification-preferences-section.tsx";
import { ProfileSection } from "./profile-section.tsx";
import { SessionsSection } from "./sessions-section.tsx";
import { WebhooksSection } from "./webhooks-section.tsx";

export default function SettingsPage({ account }: { account: Account }) {
  return (
    <Page title="Settings">
      <ProfileSection account={account} />
      <AvatarSection account={account} />
      <SessionsSection />
      <ApiKeysSection />
      <WebhooksSection />
      <NotificationPreferencesSection />
    </Page>
  );
}
