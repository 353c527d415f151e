import { useInfiniteQuery, useMutation } from "@connectrpc/connect-query";
import { NotificationKind, NotifyService, type Notification } from "@kino/proto/notify/v1";
import { useQueryClient } from "@tanstack/react-query";
import { Link } from "../../router/link.tsx";
import { ErrorText } from "../../ui/error-text.tsx";
import { formatTime } from "../../ui/format.ts";
import { Page } from "../../ui/page.tsx";

function describe(notification: Notification): string {
  switch (notification.kind) {
    case NotificationKind.VIDEO_READY:
      return "Your video is ready to watch.";
    case NotificationKind.VIDEO_FAILED:
      return `Your video could not be processed: ${notification.failureReason || "no reason given"}`;
    case NotificationKind.VIDEO_COMMENTED:
      return "Someone commented on your video.";
    default:
      return "Something happened to your video.";
  }
}

/** /notifications: the in-app feed, newest first; reading one marks it read, or all at once. */
export default function NotificationsPage() {
  const queries = useQueryClient();
  const feed = useInfiniteQuery(
    NotifyService.method.listNotifications,
    { pageSize: 20, pageToken: "" },
    { pageParamKey: "pageToken", getNextPageParam: (page) => page.nextPageToken || undefined },
  );
  // The header's badge is another query of the same method: refresh both.
  const mark = useMutation(NotifyService.method.markNotificationsRead, { onSuccess: () => queries.invalidateQueries() });
  const notifications = feed.data?.pages.flatMap((page) => page.notifications) ?? [];
  const unread = feed.data?.pages[0]?.unreadCount ?? 0;
  return (
    <Page
      title="Notifications"
      actions={
        unread > 0 ? (
          <button type="button" disabled={mark.isPending} onClick={() => mark.mutate({ all: true })}>
            Mark all read
          </button>
        ) : null
      }
    >
      <ErrorText error={feed.error} prefix="Could not load your notifications" />
      <ErrorText error={mark.error} prefix="Could not mark them read" />
      {feed.isSuccess ? <p className="meta">{unread === 0 ? "Nothing unread." : `${unread} unread.`}</p> : null}
      {feed.isSuccess && notifications.length === 0 ? <p className="empty">No notifications yet. They appear when your videos are ready or fail.</p> : null}
      {notifications.length > 0 ? (
        <ul className="notification-list" aria-label="Your notifications">
          {notifications.map((n) => (
            <li key={n.id} className={n.readTime ? "notification" : "notification unread"} data-notification-id={n.id} data-read={n.readTime ? "yes" : "no"}>
              <p>
                {n.readTime ? null : <strong>New: </strong>}
                {describe(n)} <Link to={`/watch/${n.videoId}`}>Open the video</Link>
              </p>
              <p className="meta">{formatTime(n.createTime)}</p>
              {n.readTime ? null : (
                <button type="button" className="secondary" disabled={mark.isPending} onClick={() => mark.mutate({ notificationIds: [n.id] })}>
                  Mark read<span className="visually-hidden"> {formatTime(n.createTime)}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {feed.hasNextPage ? (
        <button type="button" onClick={() => void feed.fetchNextPage()} disabled={feed.isFetchingNextPage}>
          {feed.isFetchingNextPage ? "Loading…" : "Show more"}
        </button>
      ) : null}
    </Page>
  );
}
