import { useQuery } from "@connectrpc/connect-query";
import { NotifyService } from "@kino/proto/notify/v1";
import { Link } from "../router/link.tsx";

/** The header's link to the feed, with the unread count; checked every 30 s while the app is open. */
export default function NotificationBadge() {
  const unread = useQuery(NotifyService.method.listNotifications, { pageSize: 1, unreadOnly: true }, { refetchInterval: 30_000, retry: false });
  const count = unread.data?.unreadCount ?? 0;
  return (
    <Link to="/notifications" className="notification-link">
      Notifications
      {count > 0 ? (
        <span className="badge" data-unread={count}>
          {count}
          <span className="visually-hidden"> unread</span>
        </span>
      ) : null}
    </Link>
  );
}
