//! `greenmile login`, `logout` and `whoami`, and the client `sync` acts through.

use std::io::{BufRead, IsTerminal};
use std::path::Path;

use anyhow::bail;
use greenmile_core::account::{self, SignOutReport};
use greenmile_core::auth::Session;
use greenmile_core::retry::RetryPolicy;
use greenmile_core::vault::{Backend, Vault};
use greenmile_core::{CoreError, GreenApi};
use secrecy::SecretString;

use crate::outln;
use crate::output;

/// The variable scripts may put an access token in, for one run; it is never saved.
pub const ACCESS_TOKEN_ENV: &str = "GREENMILE_ACCESS_TOKEN";

fn vault() -> anyhow::Result<Vault> {
    Ok(Vault::new(Backend::from_env()?))
}

/// `greenmile login`.
pub async fn login(
    json: bool,
    data_dir: &Path,
    server: &str,
    email: &str,
    password_stdin: bool,
) -> anyhow::Result<()> {
    // The address is checked before a password is asked for.
    GreenApi::new(server)?;
    let password = read_password(password_stdin)?;
    let report = account::login(data_dir, &vault()?, server, email, &password).await?;
    if json {
        return output::json(&report);
    }

    outln!("Signed in to {} as {}.", report.account.server, report.account.email);
    if report.previous_data_removed {
        outln!("The data of the account signed in before was removed from this data folder.");
    }
    outln!("Run `greenmile sync` to fetch your data.");
    Ok(())
}

/// `greenmile logout`.
pub async fn logout(json: bool, data_dir: &Path) -> anyhow::Result<()> {
    let report: SignOutReport = account::logout(data_dir, &vault()?).await?;
    if json {
        return output::json(&report);
    }

    match &report.account {
        Some(account) => outln!("Signed out {} at {}.", account.email, account.server),
        None => outln!("No one was signed in here."),
    }
    if report.account.is_some() && !report.revoked {
        outln!("The server could not be told; the sign-in expires there on its own.");
    }
    outln!(
        "Removed the keychain entry{} and {} files of this data folder.",
        if report.keychain_entry_deleted { "" } else { " (there was none)" },
        report.files_removed.len()
    );
    Ok(())
}

/// `greenmile whoami`.
pub async fn whoami(json: bool, data_dir: &Path) -> anyhow::Result<()> {
    let (api, account) = account::connect(data_dir, &vault()?).await?;
    let me = api.me().await?;
    if me.user_id != account.user_id {
        bail!(CoreError::SignInRequired(
            "the saved sign-in belongs to another account than this data folder's".to_owned()
        ));
    }
    if json {
        return output::json(&serde_json::json!({ "server": account.server, "user": me }));
    }

    outln!("{} (account {}) at {}", me.email, me.user_id, account.server);
    Ok(())
}

/// The client `sync` uses: an access token from [`ACCESS_TOKEN_ENV`] with `--server`, or the
/// data folder's saved sign-in (whose server `--server` must then match, if given).
pub async fn api(
    data_dir: &Path,
    server: Option<&str>,
    retry: RetryPolicy,
) -> anyhow::Result<GreenApi> {
    let seed = fastrand::u64(..);
    // An unusable address is refused before anything else is looked at.
    let asked = server.map(GreenApi::new).transpose()?;
    if let Some(token) = std::env::var(ACCESS_TOKEN_ENV).ok().filter(|t| !t.is_empty()) {
        let Some(server) = server else {
            bail!(CoreError::InvalidInput(format!("{ACCESS_TOKEN_ENV} needs --server")));
        };
        let session =
            Session { access: Some(SecretString::from(token)), refresh: None, user: None };
        let api = GreenApi::with_retry(server, retry, seed)?.with_session(session, None);
        // A folder signed in to an account takes no one else's token: its outbox would be
        // delivered to, and its cache filled from, the other account.
        // TODO(accounts-script-token): a folder never signed in is not bound to the first
        // token's account, so two tokens of one server can still share it.
        if let Some(account) = account::current(data_dir)? {
            let me = api.me().await?;
            if me.user_id != account.user_id || api.base_url().as_str() != account.server {
                bail!(CoreError::InvalidInput(format!(
                    "this data folder is signed in to {} as {}, and {ACCESS_TOKEN_ENV} is \
                     another account's token; use another --data-dir for it",
                    account.server, account.email
                )));
            }
        }
        return Ok(api);
    }

    let (api, account) = account::connect(data_dir, &vault()?).await?;
    if let Some(asked) = asked {
        if asked.base_url() != api.base_url() {
            bail!(CoreError::OtherServer {
                cached: account.server,
                asked: asked.base_url().to_string()
            });
        }
    }
    Ok(api.retrying(retry, seed))
}

/// The password: the first line of stdin, or asked on the terminal without echo.
fn read_password(from_stdin: bool) -> anyhow::Result<SecretString> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok(SecretString::from(line.trim_end_matches(['\r', '\n']).to_owned()));
    }
    if !std::io::stdin().is_terminal() {
        bail!(CoreError::InvalidInput(
            "no terminal to ask for the password on; pass --password-stdin and pipe it in"
                .to_owned()
        ));
    }
    Ok(SecretString::from(rpassword::prompt_password("Password: ")?))
}
