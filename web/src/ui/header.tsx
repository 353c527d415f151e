import { Role } from "@kino/proto/auth/v1";
import { useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useId, useState, type FormEvent } from "react";
import { searchPath } from "../pages/search/search-path.ts";
import { authClient } from "../api/clients.ts";
import { navigate } from "../router/history.ts";
import { Link } from "../router/link.tsx";
import { useSession } from "../session/session.tsx";
import { ErrorText } from "./error-text.tsx";

// The notify API's descriptors load with the badge, not with every page's first bytes.
const NotificationBadge = lazy(() => import("./notification-badge.tsx"));

export function Header() {
  const session = useSession();
  const queries = useQueryClient();
  const [error, setError] = useState<unknown>();
  const searchId = useId();
  const [words, setWords] = useState("");
  const search = (event: FormEvent) => {
    event.preventDefault();
    navigate(searchPath({ q: words.trim() }));
  };
  const signOut = async () => {
    try {
      await authClient.signOut({});
    } catch (failure) {
      return setError(failure);
    }
    queries.clear();
    navigate("/sign-in");
  };
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Link to="/library" className="brand">
        Kino
      </Link>
      <form role="search" aria-label="Site" className="header-search" onSubmit={search}>
        <label htmlFor={searchId} className="visually-hidden">
          Search videos
        </label>
        <input id={searchId} type="search" placeholder="Search videos" maxLength={200} value={words} onChange={(e) => setWords(e.target.value)} />
        <button type="submit">Search</button>
      </form>
      {session.account ? (
        <nav aria-label="Main">
          <Link to="/library">Library</Link>
          <Link to="/upload">Upload</Link>
          <Link to="/analytics">Analytics</Link>
          <Suspense fallback={<Link to="/notifications">Notifications</Link>}>
            <NotificationBadge />
          </Suspense>
          <Link to="/settings">Settings</Link>
          {session.account.role === Role.ADMIN ? <Link to="/admin">Admin</Link> : null}
          <button type="button" className="link-button" onClick={() => void signOut()}>
            Sign out
          </button>
        </nav>
      ) : (
        <nav aria-label="Main">
          <Link to="/sign-in">Sign in</Link>
          <Link to="/sign-up">Sign up</Link>
        </nav>
      )}
      <ErrorText error={error} prefix="Signing out failed" />
    </header>
  );
}
