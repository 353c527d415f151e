import { Code } from "@connectrpc/connect";
import { useQuery } from "@connectrpc/connect-query";
import { AuthService, type Account } from "@kino/proto/auth/v1";
import { useEffect, type ReactNode } from "react";
import { hasCode } from "../api/errors.ts";
import { currentPathWithSearch, navigate } from "../router/history.ts";
import { ErrorText } from "../ui/error-text.tsx";

export interface Session {
  account: Account | undefined;
  pending: boolean;
  signedOut: boolean;
  error: unknown;
}

/** Who is signed in, from GetMe (the cookie session; a stale access cookie is refreshed by the transport). */
export function useSession(): Session {
  const me = useQuery(AuthService.method.getMe, {}, { retry: false, staleTime: 60_000 });
  const signedOut = hasCode(me.error, Code.Unauthenticated);
  return { account: me.data?.account, pending: me.isPending, signedOut, error: signedOut ? undefined : me.error };
}

export function signInPathBack(): string {
  return `/sign-in?next=${encodeURIComponent(currentPathWithSearch())}`;
}

/** Shows `children` to a signed-in user; anyone else goes to sign-in and comes back here after. */
export function RequireSignIn({ children }: { children: (account: Account) => ReactNode }) {
  const session = useSession();
  useEffect(() => {
    if (session.signedOut) navigate(signInPathBack(), { replace: true });
  }, [session.signedOut]);
  if (session.account) return <>{children(session.account)}</>;
  if (session.error) return <ErrorText error={session.error} prefix="Could not load your account" />;
  return <p aria-live="polite">Loading…</p>;
}
