import { useInfiniteQuery } from "@connectrpc/connect-query";
import { AuthService } from "@kino/proto/auth/v1";
import { ErrorText } from "../../ui/error-text.tsx";
import { Page } from "../../ui/page.tsx";
import { TableScroll } from "../../ui/table-scroll.tsx";
import { CategoriesSection } from "./categories-section.tsx";
import { UserRow } from "./user-row.tsx";

/** /admin, for admins only: every account, its tier, and disabling one; the categories creators choose from. */
export default function AdminPage() {
  const users = useInfiniteQuery(
    AuthService.method.listUsers,
    { pageSize: 50, pageToken: "" },
    { pageParamKey: "pageToken", getNextPageParam: (page) => page.nextPageToken || undefined },
  );
  const list = users.data?.pages.flatMap((page) => page.users) ?? [];
  return (
    <Page title="Admin: users and tiers">
      <h2>Users</h2>
      <ErrorText error={users.error} prefix="Could not list the users" />
      {list.length > 0 ? (
        <TableScroll label="Users">
          <table>
            <caption className="visually-hidden">Users by email</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Tier</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((user) => (
                <UserRow key={user.userId} user={user} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      {users.hasNextPage ? (
        <button type="button" onClick={() => void users.fetchNextPage()} disabled={users.isFetchingNextPage}>
          {users.isFetchingNextPage ? "Loading…" : "Show more"}
        </button>
      ) : null}
      <CategoriesSection />
    </Page>
  );
}
