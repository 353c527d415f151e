import { useMutation } from "@connectrpc/connect-query";
import { AuthService, Role, type Account } from "@kino/proto/auth/v1";
import { useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { errorMessage } from "../../api/errors.ts";

// The tiers the auth service knows (AuthService.SetUserTier: "free" or "pro").
const tiers = ["free", "pro"];

/** One account: its tier changes on choosing another; disabling ends its sessions. Each row's own error shows in it. */
export function UserRow({ user: listed }: { user: Account }) {
  const id = useId();
  const queries = useQueryClient();
  const [user, setUser] = useState(listed);
  const done = (answer: { account?: Account }) => {
    if (answer.account) setUser(answer.account);
    void queries.invalidateQueries();
  };
  const setTier = useMutation(AuthService.method.setUserTier, { onSuccess: done });
  const setDisabled = useMutation(AuthService.method.setUserDisabled, { onSuccess: done });
  const failure = setTier.error ?? setDisabled.error;
  return (
    <tr data-user-id={user.userId}>
      <td>{user.email}</td>
      <td>{user.displayName}</td>
      <td>{user.role === Role.ADMIN ? "Admin" : "User"}</td>
      <td>
        <label htmlFor={`${id}-tier`} className="visually-hidden">
          Tier of {user.email}
        </label>
        <select id={`${id}-tier`} value={user.tier} disabled={setTier.isPending} onChange={(e) => setTier.mutate({ userId: user.userId, tier: e.target.value })}>
          {(tiers.includes(user.tier) ? tiers : [user.tier, ...tiers]).map((tier) => (
            <option key={tier} value={tier}>
              {tier}
            </option>
          ))}
        </select>
      </td>
      <td data-state>{user.disabled ? "Disabled" : "Active"}</td>
      <td>
        <button
          type="button"
          className={user.disabled ? undefined : "danger"}
          disabled={setDisabled.isPending}
          onClick={() => setDisabled.mutate({ userId: user.userId, disabled: !user.disabled })}
        >
          {user.disabled ? "Enable" : "Disable"}
          <span className="visually-hidden"> {user.email}</span>
        </button>
        {failure ? (
          <p className="error" role="alert">
            {errorMessage(failure)}
          </p>
        ) : null}
      </td>
    </tr>
  );
}
