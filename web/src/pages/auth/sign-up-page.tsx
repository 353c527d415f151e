import { useMutation } from "@connectrpc/connect-query";
import { AuthService } from "@kino/proto/auth/v1";
import { useState, type FormEvent } from "react";
import { useLocation } from "../../router/history.ts";
import { Link } from "../../router/link.tsx";
import { clientDescription, useAfterSignIn } from "../../session/signed-in.ts";
import { ErrorText } from "../../ui/error-text.tsx";
import { Field } from "../../ui/field.tsx";
import { Page } from "../../ui/page.tsx";

/** Sign-up, then the emailed code, then straight in (the password is still at hand). */
export function SignUpPage() {
  const next = useLocation().search.get("next");
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const afterSignIn = useAfterSignIn();
  const signUp = useMutation(AuthService.method.signUp);
  const verify = useMutation(AuthService.method.verifyEmail);
  const signIn = useMutation(AuthService.method.signIn, { onSuccess: () => afterSignIn(next) });
  const awaitingCode = signUp.isSuccess;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!awaitingCode) return signUp.mutate({ email, password, displayName });
    try {
      await verify.mutateAsync({ email, code });
    } catch {
      return; // verify.error shows why
    }
    signIn.mutate({ email, password, clientDescription: clientDescription() });
  };
  const error = signUp.error ?? verify.error ?? signIn.error;
  return (
    <Page title={awaitingCode ? "Check your email" : "Create an account"}>
      <form onSubmit={(e) => void submit(e)} className="stack">
        {awaitingCode ? (
          <>
            <p role="status">We sent a 6-digit code to {email}. It is valid for 10 minutes.</p>
            <Field label="Code from the email" inputMode="numeric" autoComplete="one-time-code" pattern="\s*\d{6}\s*" required value={code} onChange={(e) => setCode(e.target.value)} />
          </>
        ) : (
          <>
            <Field label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            <Field label="Display name" autoComplete="nickname" required maxLength={100} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
            <Field
              label="Password"
              type="password"
              autoComplete="new-password"
              required
              minLength={10}
              maxLength={256}
              hint="At least 10 characters."
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </>
        )}
        <ErrorText error={error} />
        <button type="submit" disabled={signUp.isPending || verify.isPending || signIn.isPending}>
          {awaitingCode ? "Verify and sign in" : "Create account"}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </Page>
  );
}
