import type { SearchHit } from "@kino/proto/search/v1";
import { useState } from "react";
import { Link } from "../../router/link.tsx";
import { formatDuration, formatTime } from "../../ui/format.ts";

/** One result: poster, title to watch, its creator's channel, length, date, the matching words and tags. */
export function SearchHitCard({ hit, showCreator = true }: { hit: SearchHit; showCreator?: boolean }) {
  // A private video's poster needs a signed URL; its plain path is refused, and then the placeholder shows.
  const [posterFailed, setPosterFailed] = useState(false);
  return (
    <li className="hit" data-video-id={hit.videoId}>
      <div className="poster">
        {hit.posterPath && !posterFailed ? <img src={hit.posterPath} alt="" loading="lazy" width={160} height={90} onError={() => setPosterFailed(true)} /> : <span aria-hidden="true">▶</span>}
      </div>
      <div className="video-info">
        <h2 className="video-title">
          <Link to={`/watch/${hit.videoId}`}>{hit.title || "Untitled"}</Link>
        </h2>
        <p className="meta">
          {formatDuration(hit.durationSeconds)} · {formatTime(hit.createTime)}
          {showCreator ? (
            <>
              {" · "}
              <Link to={`/channel/${hit.ownerId}`}>Creator's channel</Link>
            </>
          ) : null}
        </p>
        {hit.snippet ? <p className="description">{hit.snippet}</p> : null}
        {hit.tags.length > 0 ? (
          <ul className="tags" aria-label="Tags">
            {hit.tags.map((tag) => (
              <li key={tag}>{tag}</li>
            ))}
          </ul>
        ) : null}
      </div>
    </li>
  );
}
