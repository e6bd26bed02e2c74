//! `greenmile`: GreenMile's core from a terminal.
//!
//! Each subcommand opens the cache in the data folder, does one thing through the core, and
//! prints it for people or, with `--json`, as one JSON object. Errors print what went wrong and
//! what to do; with `--json` they print `{"error": {"code", "message"}}` and exit 1.

mod account;
mod bills;
mod calc;
mod carbon;
mod commands;
mod doctor;
mod import;
mod locale;
mod output;
mod quiz;
mod settings;
mod zone;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// GreenMile: your green spending, carbon savings and green instalment offers.
#[derive(Debug, Parser)]
#[command(name = "greenmile", version, about)]
pub struct Cli {
    /// Print one JSON object instead of text.
    #[arg(long, global = true)]
    json: bool,

    /// Where GreenMile keeps its cache (default: the platform's app data folder).
    #[arg(long, global = true, env = "GREENMILE_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start the built-in demo server, sync the demo household into the cache, print a summary.
    ///
    /// With --persona or --reset the demo starts afresh: the demo server's data is seeded
    /// again and this data folder's cache emptied (only when it holds demo data).
    Demo {
        /// Whose demo to show: household (Beijing and Shanghai), student (a commuter by
        /// metro, bus and shared bike) or ev_driver (an electric car owner).
        #[arg(long, value_name = "NAME")]
        persona: Option<String>,
        /// Start the current persona's demo afresh, for the next visitor.
        #[arg(long)]
        reset: bool,
    },
    /// Sign in to a Green API server; this data folder then holds that account's data.
    ///
    /// The password is asked for on the terminal (not echoed), or read from the first line of
    /// standard input with --password-stdin. The sign-in is kept in the system keychain, never
    /// in a file. Signing in as another account first removes the previous account's cache.
    Login {
        /// The server's base URL (HTTPS; plain HTTP only for 127.0.0.1 or localhost).
        #[arg(long, env = "GREENMILE_SERVER", value_name = "URL")]
        server: String,
        /// The account's e-mail address.
        #[arg(long)]
        email: String,
        /// Read the password from standard input instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Sign out: end the sign-in on the server (when it can be reached) and delete the
    /// keychain entry and this data folder's cache.
    Logout,
    /// Show who is signed in to this data folder, as the server sees it.
    Whoami,
    /// Sync bills, offers and carbon savings from a Green API server into the cache.
    ///
    /// Uses the sign-in of `greenmile login`. Local writes waiting in the outbox (settings)
    /// are delivered first. With --json the report gives, per collection, the items applied
    /// and quarantined, the requests made and the time taken.
    Sync {
        /// The server's base URL (default: the one signed in to). For scripts,
        /// GREENMILE_ACCESS_TOKEN may hold an access token to use for this run instead of a
        /// saved sign-in; it is never saved.
        #[arg(long, env = "GREENMILE_SERVER", value_name = "URL")]
        server: Option<String>,

        /// Changes asked for per request (for tests of paging).
        #[arg(long, hide = true, default_value_t = greenmile_core::sync::PAGE_LIMIT)]
        page_limit: u32,

        /// Retry with waits of milliseconds instead of seconds (for the fault-injection suite).
        #[arg(long, hide = true)]
        fast_retries: bool,
    },
    /// Read or change your settings; a change is saved here first and reaches the server with
    /// the next sync.
    Settings {
        #[command(subcommand)]
        action: SettingsCommand,
    },
    /// List cached bills, newest first, a page at a time, or export every matching bill.
    ///
    /// Each page ends with the position the next one starts at (`--after`). With --export
    /// FILE.csv or FILE.json every bill the filters take is written there instead.
    Bills(bills::BillsArgs),
    /// Carbon saved by month and category, measured against estimated, in everyday terms.
    ///
    /// With --explain, how one bill's figure was computed: the method and its version, the
    /// inputs, each factor with its published source, the baseline and the arithmetic,
    /// recomputed from the cache without a network.
    Carbon {
        /// The bill to explain, such as b-00001.
        #[arg(long, value_name = "BILL_ID")]
        explain: Option<String>,
    },
    /// List cached instalment offers with each plan's monthly payment and annualised rate.
    Offers {
        #[command(subcommand)]
        action: Option<OffersCommand>,
    },
    /// Totals of the cache: bills, green spend, carbon saved.
    Summary,
    /// Read Alipay, WeChat Pay, JD or Meituan bill exports (CSV or xlsx) into the cache.
    ///
    /// The format is recognised from each file's content. Importing a file again, or exports
    /// that overlap, adds nothing twice. Prints what became of every row.
    Import {
        /// The export files.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Short lessons with quizzes, your streak and your badges; works offline.
    Quiz {
        /// The language of lessons, questions and what the quiz says: zh-CN or en (default:
        /// the locale setting, else the environment's language).
        #[arg(long, global = true, value_name = "LANG")]
        lang: Option<String>,
        #[command(subcommand)]
        action: quiz::QuizCommand,
    },
    /// Check the installation: versions, the cache's size and integrity, when each collection
    /// last synced, whether the server answers and whether the keychain works.
    ///
    /// Changes nothing. Exits 1 when a check fails.
    Doctor {
        /// Do not contact the server.
        #[arg(long)]
        offline: bool,
    },
}

#[derive(Debug, Subcommand)]
enum SettingsCommand {
    /// Set KEY to VALUE (a name of a-z, 0-9, '_', '.', '-'; a value of at most 500 characters).
    Set {
        /// The setting's name, such as locale.
        key: String,
        /// Its new value.
        value: String,
    },
    /// List the settings, with whether each still waits to reach the server.
    List,
}

#[derive(Debug, Subcommand)]
enum OffersCommand {
    /// Work out a plan's schedule, total cost and true annualised rate (IRR) from its terms.
    ///
    /// Give the principal, the number of months and exactly one of --payment, --fee-rate,
    /// --annual-rate or --interest-free. Amounts and percentages are decimal text, such as
    /// 12000, 1,072.50 or 0.6.
    Calc(CalcArgs),
}

/// The terms `greenmile offers calc` works from. Values are kept as text and read by
/// [`calc::parse`], so that bad input is a coded error like any other.
#[derive(Debug, clap::Args)]
struct CalcArgs {
    /// The amount borrowed, in the currency's major units (12000 or 12,000.00).
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    principal: Option<String>,

    /// The number of monthly instalments, 1 to 360.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    months: Option<String>,

    /// A level monthly payment: work out the rate it implies.
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    payment: Option<String>,

    /// A fee in percent of the principal each month (0.6 for 0.6 %).
    #[arg(long, value_name = "PCT", allow_hyphen_values = true)]
    fee_rate: Option<String>,

    /// With --fee-rate: charge the fee once, at the start, instead of each month.
    #[arg(long)]
    up_front: bool,

    /// A nominal annual rate in percent, repaid in equal instalments (等额本息).
    #[arg(long, value_name = "PCT", allow_hyphen_values = true)]
    annual_rate: Option<String>,

    /// With --annual-rate: repay equal parts of principal plus interest (等额本金).
    #[arg(long)]
    equal_principal: bool,

    /// No interest or fee at all.
    #[arg(long)]
    interest_free: bool,

    /// The ISO 4217 currency of the amounts.
    #[arg(long, value_name = "CODE", default_value = "CNY")]
    currency: String,

    /// When the first instalment is due, YYYY-MM-DD (default: a month from today).
    #[arg(long, value_name = "DATE")]
    first_due: Option<String>,
}

fn main() -> std::process::ExitCode {
    let cli = match Cli::try_parse_from(search_text_joined(std::env::args_os())) {
        Ok(cli) => cli,
        Err(error) => return output::usage_error(error),
    };
    tracing_subscriber::fmt()
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "error".into()),
        )
        .with_writer(std::io::stderr)
        .init();

    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(&cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) if output::is_broken_pipe(&error) => std::process::ExitCode::SUCCESS,
        Err(error) if import::Reported::is(&error) => std::process::ExitCode::FAILURE,
        Err(error) if doctor::Unhealthy::is(&error) => std::process::ExitCode::FAILURE,
        Err(error) => {
            output::error(cli.json, &error);
            std::process::ExitCode::FAILURE
        }
    }
}

/// `args` with `--search TEXT` written `--search=TEXT` when TEXT begins with one hyphen, so a
/// search for -地铁 is not read as an option. TEXT beginning with two (`--search --json`) is
/// left to be the next option: the search text was forgotten.
fn search_text_joined(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut out: Vec<OsString> = Vec::new();
    let mut args = args.into_iter().peekable();
    while let Some(arg) = args.next() {
        let hyphen_text = args
            .peek()
            .and_then(|next| next.to_str())
            .is_some_and(|next| next.starts_with('-') && !next.starts_with("--") && next != "-h");
        if arg == "--search" && hyphen_text {
            let mut joined = OsString::from("--search=");
            joined.push(args.next().unwrap_or_default());
            out.push(joined);
        } else {
            out.push(arg);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(args: &[&str]) -> Vec<String> {
        let args = args.iter().map(OsString::from);
        search_text_joined(args).into_iter().map(|a| a.to_string_lossy().into_owned()).collect()
    }

    #[test]
    fn a_search_text_with_one_leading_hyphen_stays_with_its_option() {
        assert_eq!(joined(&["g", "bills", "--search", "-地铁"]), ["g", "bills", "--search=-地铁"]);
        assert_eq!(joined(&["g", "bills", "--search", "地铁"]), ["g", "bills", "--search", "地铁"]);
        // Two hyphens are the next option; -h stays the help flag.
        assert_eq!(joined(&["g", "--search", "--json"]), ["g", "--search", "--json"]);
        assert_eq!(joined(&["g", "--search", "-h"]), ["g", "--search", "-h"]);
        assert_eq!(joined(&["g", "--search"]), ["g", "--search"]);
        assert_eq!(joined(&["g", "--limit", "-5"]), ["g", "--limit", "-5"]);
    }
}
