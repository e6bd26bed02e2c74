//! `greenmile-server`: the reference Green API from a terminal, and `user add` to make accounts.

use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use clap::{Parser, Subcommand};
use greenmile_server::{Store, UserId};

/// The reference Green API server.
#[derive(Debug, Parser)]
#[command(name = "greenmile-server", version, about, args_conflicts_with_subcommands = true)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,

    /// Seed the demo account (a household's two years of green bills) if the store is new.
    #[arg(long)]
    demo: bool,

    /// The address to listen on; port 0 picks a free one. Keep it on loopback unless a proxy
    /// with TLS stands in front.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,

    /// Add this many generated bills, offers and carbon entries to the store, such as
    /// 100000,10000,100000 (deterministic; for benchmarks).
    #[arg(long, value_name = "BILLS,OFFERS,CARBON")]
    bulk: Option<greenmile_server::bulk::Volume>,

    /// The SQLite file of the store. Without it, a temporary file is used and removed at exit.
    #[arg(long)]
    db: Option<PathBuf>,

    /// Seed the store from payment exports (Alipay, WeChat Pay, JD, Meituan; CSV or xlsx):
    /// their green bills, as the app's own import recognises them. With or without --demo.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    seed_from: Vec<PathBuf>,
    /// Misbehave on purpose, for testing clients: errors, delays, cut-off bodies, invalid
    /// items, replayed pages, with faults drawn reproducibly from SEED.
    #[arg(long, value_name = "SEED")]
    faults: Option<u64>,

    /// The account --bulk and --seed-from fill (default: the demo user, with --demo).
    #[arg(long, value_name = "EMAIL")]
    owner: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Manage accounts in a store.
    User {
        #[command(subcommand)]
        action: UserCommand,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add an account. The password is asked for on the terminal (not echoed), or read from
    /// the first line of standard input with --password-stdin; never from an argument, where
    /// other users of the machine could read it.
    Add {
        /// The SQLite file of the store (created when missing).
        #[arg(long, value_name = "PATH")]
        store: PathBuf,
        /// The account's e-mail address.
        #[arg(long)]
        email: String,
        /// Read the password from standard input instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "greenmile_server=info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let args = Args::parse();
    if let Some(Command::User { action }) = &args.command {
        return user(action).await;
    }

    let scratch = tempfile::tempdir().context("cannot create a temporary folder")?;
    let db = args.db.clone().unwrap_or_else(|| scratch.path().join("green-api.sqlite"));
    let now = chrono::Utc::now();
    if let Some(dir) = db.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let store = greenmile_server::Store::open(&db).await?;
    if args.demo {
        store.seed_demo(now).await?;
    }
    if let Some(volume) = args.bulk {
        let owner = owner(&store, &args).await?;
        store.seed_bulk(owner, volume, now).await?;
    }
    if !args.seed_from.is_empty() {
        let owner = owner(&store, &args).await?;
        let seeded =
            greenmile_server::seed::seed_from_files(&store, owner, &args.seed_from, now).await?;
        eprintln!(
            "seeded {} green bills from {} files ({} were already there)",
            seeded.bills_added,
            seeded.files.len(),
            seeded.bills_present
        );
    }
    let options = greenmile_server::StartOptions { faults: args.faults };
    let server = greenmile_server::start_with(args.listen, store, options).await?;

    // The URL alone on stdout, so scripts can read it; logs go to stderr.
    println!("{}", server.url());
    stopped().await?;
    server.stop().await;
    Ok(())
}

/// The account seeded data goes to: --owner, or the demo user.
async fn owner(store: &Store, args: &Args) -> anyhow::Result<UserId> {
    let found = match &args.owner {
        Some(email) => store.user_by_email(email).await?,
        None => store.demo_user().await?,
    };
    found.ok_or_else(|| match &args.owner {
        Some(email) => anyhow!("no account {email}; add it first with `greenmile-server user add`"),
        None => anyhow!("name the account to fill with --owner EMAIL (or pass --demo)"),
    })
}

/// `greenmile-server user ...`.
async fn user(action: &UserCommand) -> anyhow::Result<()> {
    let UserCommand::Add { store, email, password_stdin } = action;
    let password = read_password(*password_stdin)?;
    let store = open(store).await?;
    let added = store.add_user(email, &password, chrono::Utc::now()).await;
    store.close().await;
    let id = added?;
    println!("added account {} for {}", id.0, email.trim().to_lowercase());
    Ok(())
}

async fn open(path: &Path) -> anyhow::Result<Store> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    Ok(Store::open(path).await?)
}

/// The new password: one line of stdin, or asked twice on the terminal.
fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("cannot read standard input")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    if !std::io::stdin().is_terminal() {
        bail!("no terminal to ask for the password on; pass --password-stdin and pipe it in");
    }
    let first = rpassword::prompt_password("Password: ").context("cannot read the password")?;
    let again = rpassword::prompt_password("Again: ").context("cannot read the password")?;
    if first != again {
        bail!("the two passwords differ");
    }
    Ok(first)
}

/// Waits for Ctrl-C, or SIGTERM where there is one, so the temporary store is removed either way.
async fn stopped() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).context("cannot wait for SIGTERM")?;
        tokio::select! {
            interrupted = tokio::signal::ctrl_c() => interrupted.context("cannot wait for Ctrl-C")?,
            _ = term.recv() => {}
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await.context("cannot wait for Ctrl-C")
    }
}
