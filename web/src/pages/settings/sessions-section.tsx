import { useMutation, useQuery } from "@connectrpc/connect-query";
import { AuthService } from "@kino/proto/auth/v1";
import { ErrorText } from "../../ui/error-text.tsx";
import { TableScroll } from "../../ui/table-scroll.tsx";
import { formatTime } from "../../ui/format.ts";

export function SessionsSection() {
  const sessions = useQuery(AuthService.method.listSessions, {});
  const revoke = useMutation(AuthService.method.revokeSession, { onSuccess: () => sessions.refetch() });
  return (
    <section aria-labelledby="sessions-title" className="card">
      <h2 id="sessions-title">Signed-in sessions</h2>
      <ErrorText error={sessions.error} prefix="Could not list your sessions" />
      <ErrorText error={revoke.error} prefix="Could not sign that session out" />
      {sessions.data ? (
        <TableScroll label="Your sessions">
          <table>
            <caption className="visually-hidden">Your sessions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.sessions.map((session) => (
                <tr key={session.sessionId}>
                  <td>{session.clientDescription || "Unnamed client"}</td>
                  <td>{formatTime(session.createTime)}</td>
                  <td>{formatTime(session.lastUsedTime)}</td>
                  <td>
                    <button type="button" disabled={revoke.isPending} onClick={() => revoke.mutate({ sessionId: session.sessionId })}>
                      Sign out<span className="visually-hidden"> {session.clientDescription || "this session"}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
    </section>
  );
}
