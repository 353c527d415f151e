import { useMutation } from "@connectrpc/connect-query";
import { AuthService } from "@kino/proto/auth/v1";
import { useState, type FormEvent } from "react";
import { Link } from "../../router/link.tsx";
import { useLocation } from "../../router/history.ts";
import { clientDescription, useAfterSignIn } from "../../session/signed-in.ts";
import { ErrorText } from "../../ui/error-text.tsx";
import { Field } from "../../ui/field.tsx";
import { Page } from "../../ui/page.tsx";

type Mode = "password" | "code";

export function SignInPage() {
  const next = useLocation().search.get("next");
  const [mode, setMode] = useState<Mode>("password");
  return (
    <Page title="Sign in">
      <div className="tabs" role="group" aria-label="Sign in with">
        <button type="button" aria-pressed={mode === "password"} onClick={() => setMode("password")}>
          Password
        </button>
        <button type="button" aria-pressed={mode === "code"} onClick={() => setMode("code")}>
          Emailed code
        </button>
      </div>
      {mode === "password" ? <PasswordForm next={next} /> : <CodeForm next={next} />}
      <p>
        New to Kino? <Link to="/sign-up">Create an account</Link> · <Link to="/reset-password">Forgot your password?</Link>
      </p>
    </Page>
  );
}

function PasswordForm({ next }: { next: string | null }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const afterSignIn = useAfterSignIn();
  const signIn = useMutation(AuthService.method.signIn, { onSuccess: () => afterSignIn(next) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email, password, clientDescription: clientDescription() });
  };
  return (
    <form onSubmit={submit} className="stack">
      <Field label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <Field label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      <ErrorText error={signIn.error} />
      <button type="submit" disabled={signIn.isPending}>
        {signIn.isPending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

function CodeForm({ next }: { next: string | null }) {
  const [email, setEmail] = useState("");
  const [code, setCode] = useState("");
  const afterSignIn = useAfterSignIn();
  const request = useMutation(AuthService.method.requestSignInCode);
  const signIn = useMutation(AuthService.method.signInWithCode, { onSuccess: () => afterSignIn(next) });
  const sent = request.isSuccess;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!sent) request.mutate({ email });
    else signIn.mutate({ email, code, clientDescription: clientDescription() });
  };
  return (
    <form onSubmit={submit} className="stack">
      <Field label="Email" type="email" autoComplete="email" required readOnly={sent} value={email} onChange={(e) => setEmail(e.target.value)} />
      {sent ? (
        <>
          <p role="status">If {email} has an account, a 6-digit code is on its way.</p>
          <Field label="Code from the email" inputMode="numeric" autoComplete="one-time-code" pattern="\s*\d{6}\s*" required value={code} onChange={(e) => setCode(e.target.value)} />
        </>
      ) : null}
      <ErrorText error={request.error ?? signIn.error} />
      <button type="submit" disabled={request.isPending || signIn.isPending}>
        {sent ? "Sign in" : "Email me a code"}
      </button>
    </form>
  );
}
