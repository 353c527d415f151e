import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { authClient } from "../api/clients.ts";
import { navigate } from "../router/history.ts";
import { Link } from "../router/link.tsx";
import { useSession } from "../session/session.tsx";
import { ErrorText } from "./error-text.tsx";

export function Header() {
  const session = useSession();
  const queries = useQueryClient();
  const [error, setError] = useState<unknown>();
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
      {session.account ? (
        <nav aria-label="Main">
          <Link to="/library">Library</Link>
          <Link to="/upload">Upload</Link>
          <Link to="/analytics">Analytics</Link>
          <Link to="/settings">Settings</Link>
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
