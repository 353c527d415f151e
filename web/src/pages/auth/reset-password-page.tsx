import { useMutation } from "@connectrpc/connect-query";
import { AuthService } from "@kino/proto/auth/v1";
import { useState, type FormEvent } from "react";
import { Link } from "../../router/link.tsx";
import { clientDescription, useAfterSignIn } from "../../session/signed-in.ts";
import { ErrorText } from "../../ui/error-text.tsx";
import { Field } from "../../ui/field.tsx";
import { Page } from "../../ui/page.tsx";

/** Email → mailed code and a new password → signed in with it (the reset ended every other session). */
export function ResetPasswordPage() {
  const [email, setEmail] = useState("");
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const afterSignIn = useAfterSignIn();
  const request = useMutation(AuthService.method.requestPasswordReset);
  const reset = useMutation(AuthService.method.resetPassword);
  const signIn = useMutation(AuthService.method.signIn, { onSuccess: () => afterSignIn(null) });
  const sent = request.isSuccess;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!sent) return request.mutate({ email });
    try {
      await reset.mutateAsync({ email, code, newPassword: password });
    } catch {
      return; // reset.error shows why
    }
    signIn.mutate({ email, password, clientDescription: clientDescription() });
  };
  return (
    <Page title="Reset your password">
      <form onSubmit={(e) => void submit(e)} className="stack">
        <Field label="Email" type="email" autoComplete="email" required readOnly={sent} value={email} onChange={(e) => setEmail(e.target.value)} />
        {sent ? (
          <>
            <p role="status">If {email} has an account, a 6-digit code is on its way.</p>
            <Field label="Code from the email" inputMode="numeric" autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} />
            <Field
              label="New password"
              type="password"
              autoComplete="new-password"
              required
              minLength={10}
              hint="At least 10 characters. Every signed-in device is signed out."
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </>
        ) : null}
        <ErrorText error={request.error ?? reset.error ?? signIn.error} />
        <button type="submit" disabled={request.isPending || reset.isPending || signIn.isPending}>
          {sent ? "Set password and sign in" : "Email me a code"}
        </button>
      </form>
      <p>
        <Link to="/sign-in">Back to sign-in</Link>
      </p>
    </Page>
  );
}
