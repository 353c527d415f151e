import { useInfiniteQuery, useMutation } from "@connectrpc/connect-query";
import { EngagementService, type Comment } from "@kino/proto/catalog/v1";
import { useId, useState, type FormEvent } from "react";
import { ErrorText } from "../../ui/error-text.tsx";
import { formatTime } from "../../ui/format.ts";

// Kino has no public profiles: a comment's author is named by their relation to the viewer and the video.
function authorName(comment: Comment, ownerId: string, viewerId: string | undefined): string {
  if (comment.authorId === viewerId) return "You";
  if (comment.authorId === ownerId) return "The creator";
  return "A viewer";
}

/** A video's comments, newest first, each with its first replies; a signed-in viewer adds one. */
export function Comments({ videoId, ownerId, viewerId }: { videoId: string; ownerId: string; viewerId: string | undefined }) {
  const id = useId();
  const [text, setText] = useState("");
  const threads = useInfiniteQuery(
    EngagementService.method.listComments,
    { videoId, pageSize: 20, pageToken: "" },
    { pageParamKey: "pageToken", getNextPageParam: (page) => page.nextPageToken || undefined },
  );
  const create = useMutation(EngagementService.method.createComment, {
    onSuccess: () => {
      setText("");
      void threads.refetch();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ videoId, text });
  };
  const list = threads.data?.pages.flatMap((page) => page.threads) ?? [];
  const render = (comment: Comment) => (
    <article className="comment" data-comment-id={comment.id}>
      <p className="meta">
        <strong>{authorName(comment, ownerId, viewerId)}</strong> · {formatTime(comment.createTime)}
        {comment.editTime ? " · edited" : ""}
        {comment.hidden ? " · hidden" : ""}
      </p>
      <p className="description">{comment.text}</p>
    </article>
  );
  return (
    <section aria-labelledby={`${id}-title`} className="comments">
      <h2 id={`${id}-title`}>Comments</h2>
      {viewerId ? (
        <form onSubmit={submit} className="stack">
          <div className="field">
            <label htmlFor={`${id}-text`}>Add a comment</label>
            <textarea id={`${id}-text`} rows={3} maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} />
          </div>
          <ErrorText error={create.error} prefix="Comment not posted" />
          <button type="submit" disabled={create.isPending}>
            Post comment
          </button>
        </form>
      ) : (
        <p className="meta">Sign in to comment.</p>
      )}
      <ErrorText error={threads.error} prefix="Could not load the comments" />
      {threads.isSuccess && list.length === 0 ? <p className="empty">No comments yet.</p> : null}
      {list.length > 0 ? (
        <ul className="comment-list" aria-label="Comments">
          {list.map((thread) =>
            thread.comment ? (
              <li key={thread.comment.id}>
                {render(thread.comment)}
                {thread.replies.length > 0 ? (
                  <ul className="replies" aria-label="Replies">
                    {thread.replies.map((reply) => (
                      <li key={reply.id}>{render(reply)}</li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ) : null,
          )}
        </ul>
      ) : null}
      {threads.hasNextPage ? (
        <button type="button" onClick={() => void threads.fetchNextPage()} disabled={threads.isFetchingNextPage}>
          {threads.isFetchingNextPage ? "Loading…" : "More comments"}
        </button>
      ) : null}
    </section>
  );
}
