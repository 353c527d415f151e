import { SearchSort } from "@kino/proto/search/v1";
import { useMemo, useState } from "react";
import { Link } from "../../router/link.tsx";
import { Page } from "../../ui/page.tsx";
import { searchPath } from "../search/search-path.ts";
import { SearchResults } from "../search/search-results.tsx";

/**
 * /channel/<ownerId>: a creator's public videos, newest first, under their
 * avatar as the channel's logo. Kino's API has no public profile yet (a
 * display name is only in the owner's own GetMe and the admins' ListUsers),
 * so the channel is named by its id.
 */
export default function ChannelPage({ ownerId }: { ownerId: string }) {
  const [noLogo, setNoLogo] = useState(false);
  const request = useMemo(() => ({ ownerId, sort: SearchSort.NEWEST, pageSize: 20, pageToken: "" }), [ownerId]);
  const name = `Channel ${ownerId}`;
  return (
    <Page title={name}>
      <div className="channel-head">
        {noLogo ? (
          <div className="avatar placeholder" aria-hidden="true">
            ▶
          </div>
        ) : (
          <img className="avatar" src={`/avatars/${encodeURIComponent(ownerId)}/256.webp`} alt={`Logo of ${name}`} width={96} height={96} onError={() => setNoLogo(true)} />
        )}
        <p>
          <Link to={searchPath({ creator: ownerId })}>Search this channel</Link>
        </p>
      </div>
      <SearchResults request={request} label="Videos of this channel" empty="This channel has no public videos yet." showCreator={false} />
    </Page>
  );
}
