/**
 * The account card of Settings: in demo mode a form to sign in to a Green API server, and once
 * signed in, who is signed in and a button to sign out.
 *
 * The password field's value goes to `signIn` and nowhere else; the UI never holds a token.
 * Signing in or out changes whose data the whole app shows, so both end by reloading the
 * window: no screen keeps the previous account's figures in memory.
 */
import { useState, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";

import type { AppError, AppStatus } from "../bindings";
import { toAppError } from "../errors";
import { signIn, signOut, syncNow } from "../ipc";

/** Reloads the window; a prop so tests can watch it. */
export type Reload = () => void;

const reloadWindow: Reload = () => {
  window.location.reload();
};

export function AccountSection({
  status,
  reload = reloadWindow,
}: {
  status: AppStatus;
  reload?: Reload;
}) {
  const { t } = useTranslation();
  const [server, setServer] = useState("https://");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(server.trim(), email.trim(), password);
      setPassword("");
      // The first sync of the new account; its failure shows in the status area later.
      await syncNow().catch(() => undefined);
      reload();
    } catch (reason) {
      setPassword("");
      setError(toAppError(reason));
    } finally {
      setBusy(false);
    }
  };

  const leave = async () => {
    setBusy(true);
    setError(null);
    try {
      await signOut();
      reload();
    } catch (reason) {
      setError(toAppError(reason));
    } finally {
      setBusy(false);
    }
  };

  const failure = error && (
    <p role="alert" className="form-error" data-testid="account-error">
      {t(`errors.${error.code}.title`)} {t(`errors.${error.code}.action`, { defaultValue: "" })}
    </p>
  );

  if (status.account_email) {
    return (
      <section className="card" aria-labelledby="settings-account">
        <h2 id="settings-account">{t("account.title")}</h2>
        <p data-testid="account-signed-in">
          {t("account.signedInAs", {
            email: status.account_email,
            server: status.server_url ?? t("common.unknown"),
          })}
        </p>
        <p className="muted">{t("account.signOutHint")}</p>
        <button
          type="button"
          className="button"
          data-testid="sign-out"
          onClick={() => void leave()}
          disabled={busy}
        >
          {t("account.signOut")}
        </button>
        {failure}
      </section>
    );
  }

  return (
    <section className="card" aria-labelledby="settings-account">
      <h2 id="settings-account">{t("account.title")}</h2>
      <p className="muted">{t("account.signInHint")}</p>
      <form className="sign-in" onSubmit={(event) => void submit(event)}>
        <label>
          {t("account.server")}
          <input
            type="url"
            name="server"
            required
            autoComplete="url"
            value={server}
            onChange={(event) => {
              setServer(event.target.value);
            }}
          />
        </label>
        <label>
          {t("account.email")}
          <input
            type="email"
            name="email"
            required
            autoComplete="username"
            value={email}
            onChange={(event) => {
              setEmail(event.target.value);
            }}
          />
        </label>
        <label>
          {t("account.password")}
          <input
            type="password"
            name="password"
            required
            autoComplete="current-password"
            value={password}
            onChange={(event) => {
              setPassword(event.target.value);
            }}
          />
        </label>
        <button type="submit" className="button" disabled={busy}>
          {busy ? t("account.signingIn") : t("account.signIn")}
        </button>
      </form>
      {failure}
    </section>
  );
}
