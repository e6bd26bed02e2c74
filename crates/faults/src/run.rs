//! One seeded run: a small data set, a misbehaving server, a client killed at seeded points.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use greenmile_api::{Bill, Money};
use greenmile_server::demo::DemoData;
use greenmile_server::{Collection, RunningServer, StartOptions, Store, UserId};

use crate::check;

/// The longest one client process may take before the run counts as hung.
const HANG: Duration = Duration::from_secs(30);

/// The setting names the runs write, few so that later writes overwrite earlier ones. Free
/// names: the ones the app reads (locale, currency, time_zone) take only their own values.
const SETTING_KEYS: [&str; 3] = ["layout", "theme", "units"];

/// What every run shares.
#[derive(Debug)]
pub struct World {
    greenmile: PathBuf,
    demo: DemoData,
}

impl World {
    /// The world of runs testing the binary at `greenmile`.
    pub fn new(greenmile: PathBuf) -> Self {
        let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-12-04T08:00:00Z")
            .map(|t| t.to_utc())
            .unwrap_or_default();
        Self { greenmile, demo: greenmile_server::demo::demo_dataset(now) }
    }
}

/// What runs did, summed.
#[derive(Debug, Default)]
pub struct Stats {
    /// Client processes started.
    pub processes: u64,
    /// Of those, killed with SIGKILL.
    pub killed: u64,
    /// Syncs that ended with an error the client reported (exit 1), as faults can cause.
    pub sync_errors: u64,
    /// Requests the servers answered.
    pub requests: u64,
}

impl Stats {
    /// Adds `other` to these.
    pub fn add(&mut self, other: &Stats) {
        self.processes += other.processes;
        self.killed += other.killed;
        self.sync_errors += other.sync_errors;
        self.requests += other.requests;
    }
}

/// Runs seed `seed`; prints each step when `verbose`.
pub async fn run(world: &World, seed: u64, verbose: bool) -> anyhow::Result<Stats> {
    let dir = tempfile::tempdir().context("cannot make a temporary folder")?;
    let store = Store::open(&dir.path().join("server.sqlite")).await?;
    let mut rng = fastrand::Rng::with_seed(seed);
    let user = store.add_user("faults@example.invalid", "not used to sign in", Utc::now()).await?;
    seed_store(&store, user, &world.demo, &mut rng).await?;
    // The client runs as a script would: with an access token for the run, never saved.
    let token = store.issue_tokens(user, Utc::now()).await?.access_token;
    let tenant = Tenant { user, token };

    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let options = StartOptions { faults: Some(seed) };
    let server = greenmile_server::start_with(listen, store, options).await?;
    let result = steps(world, &server, &tenant, dir.path(), &mut rng, verbose).await;
    let requests = server.requests();
    server.stop().await;

    let mut stats = result?;
    stats.requests = requests;
    Ok(stats)
}

/// The account the run syncs, and its access token.
struct Tenant {
    user: UserId,
    token: String,
}

async fn steps(
    world: &World,
    server: &RunningServer,
    tenant: &Tenant,
    dir: &Path,
    rng: &mut fastrand::Rng,
    verbose: bool,
) -> anyhow::Result<Stats> {
    let data = dir.join("data");
    let cache = data.join("greenmile.sqlite");
    let page_limit = rng.u32(2..=6).to_string();
    let mut stats = Stats::default();
    let mut next_value = 0;

    for step in 0..rng.usize(3..=6) {
        let what = match rng.u32(0..11) {
            0..6 => {
                let kill = kill_point(rng);
                let args = sync_args(&server.url(), &page_limit);
                let ended = client(world, server, tenant, &data, &args, kill, &mut stats).await?;
                check_sync_exit(&ended, &mut stats)?;
                format!("sync, {kill:?}: {}", ended.describe())
            }
            6..8 => {
                let key = SETTING_KEYS[rng.usize(..SETTING_KEYS.len())];
                next_value += 1;
                let value = format!("v{next_value}");
                let kill =
                    if rng.bool() { Kill::AfterMicros(rng.u64(0..20_000)) } else { Kill::Never };
                let args = ["settings", "set", key, value.as_str()].map(str::to_owned).to_vec();
                let ended = client(world, server, tenant, &data, &args, kill, &mut stats).await?;
                if ended.killed.is_none() && ended.code != Some(0) {
                    bail!("settings set {key} {value} failed: {}", ended.describe());
                }
                format!("settings set {key} {value}, {kill:?}: {}", ended.describe())
            }
            8 => {
                // A quiz taken here: stored with its outbox row, delivered by a later sync.
                let (lesson, answers) = quiz_answers(rng);
                let kill =
                    if rng.bool() { Kill::AfterMicros(rng.u64(0..20_000)) } else { Kill::Never };
                let args = ["quiz", "take", lesson.as_str(), "--answers", answers.as_str()]
                    .map(str::to_owned)
                    .to_vec();
                let ended = client(world, server, tenant, &data, &args, kill, &mut stats).await?;
                if ended.killed.is_none() && ended.code != Some(0) {
                    bail!("quiz take {lesson} --answers {answers} failed: {}", ended.describe());
                }
                format!("quiz take {lesson} --answers {answers}, {kill:?}: {}", ended.describe())
            }
            _ => change_server(server.store(), tenant.user, &world.demo, rng).await?,
        };
        if verbose {
            println!("step {step}: {what}");
        }
        check::after_step(server.store(), tenant.user, &cache)
            .await
            .with_context(|| format!("after step {step} ({what})"))?;
    }

    // The network heals: one last sync must succeed and leave an exact copy.
    if let Some(faults) = server.faults() {
        faults.set_enabled(false);
    }
    let args = sync_args(&server.url(), &page_limit);
    let ended = client(world, server, tenant, &data, &args, Kill::Never, &mut stats).await?;
    if ended.code != Some(0) {
        bail!("the last sync, without faults, failed: {}", ended.describe());
    }
    if verbose {
        println!("last sync: {}", ended.describe());
    }
    check::after_step(server.store(), tenant.user, &cache).await.context("after the last sync")?;
    check::converged(server.store(), tenant.user, &cache).await.context("after the last sync")?;
    Ok(stats)
}

fn sync_args(url: &str, page_limit: &str) -> Vec<String> {
    ["sync", "--json", "--fast-retries", "--server", url, "--page-limit", page_limit]
        .map(str::to_owned)
        .to_vec()
}

/// When the client is killed.
#[derive(Debug, Clone, Copy)]
enum Kill {
    /// It runs to its end.
    Never,
    /// After the server has seen this many of its requests, and then these microseconds.
    AfterRequests(u64, u64),
    /// This many microseconds after it started.
    AfterMicros(u64),
}

fn kill_point(rng: &mut fastrand::Rng) -> Kill {
    match rng.u32(0..10) {
        0..3 => Kill::Never,
        3..8 => Kill::AfterRequests(rng.u64(1..=12), rng.u64(0..3_000)),
        _ => Kill::AfterMicros(rng.u64(0..60_000)),
    }
}

/// How a client process ended.
#[derive(Debug)]
struct Ended {
    code: Option<i32>,
    killed: Option<Kill>,
    stdout: String,
    stderr: String,
}

impl Ended {
    fn describe(&self) -> String {
        match (self.killed, self.code) {
            (Some(_), _) => "killed".to_owned(),
            (None, Some(0)) => "exit 0".to_owned(),
            (None, code) => {
                let out: String = self.stdout.chars().take(400).collect();
                let err: String = self.stderr.chars().take(400).collect();
                format!("exit {code:?}: {} {}", out.trim(), err.trim())
            }
        }
    }
}

/// Runs `greenmile --data-dir data ARGS`, killing it at `kill`.
async fn client(
    world: &World,
    server: &RunningServer,
    tenant: &Tenant,
    data: &Path,
    args: &[String],
    kill: Kill,
    stats: &mut Stats,
) -> anyhow::Result<Ended> {
    let mut child = tokio::process::Command::new(&world.greenmile)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("GREENMILE_SERVER")
        .env_remove("RUST_LOG")
        .env("GREENMILE_ACCESS_TOKEN", &tenant.token)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("cannot start {}", world.greenmile.display()))?;
    stats.processes += 1;
    let served_before = server.requests();
    let started = tokio::time::Instant::now();

    let mut killed = None;
    loop {
        if child.try_wait()?.is_some() {
            break;
        }
        let due = match kill {
            Kill::Never => false,
            Kill::AfterRequests(n, _) => server.requests() >= served_before + n,
            Kill::AfterMicros(us) => started.elapsed() >= Duration::from_micros(us),
        };
        if due {
            if let Kill::AfterRequests(_, us) = kill {
                tokio::time::sleep(Duration::from_micros(us)).await;
            }
            // SIGKILL on Unix: no destructor, no flush, as a power cut would do.
            child.start_kill()?;
            killed = Some(kill);
            stats.killed += 1;
            break;
        }
        if started.elapsed() > HANG {
            child.start_kill()?;
            bail!("greenmile {} hung for over {} s", args.join(" "), HANG.as_secs());
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }

    let output = child.wait_with_output().await?;
    // A kill that came after the process had already ended changed nothing.
    if killed.is_some() && output.status.code().is_some() {
        killed = None;
        stats.killed -= 1;
    }
    Ok(Ended {
        code: output.status.code(),
        killed,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

/// A sync that was not killed ends well, or with an error faults can cause: never a cache
/// error or an internal one.
fn check_sync_exit(ended: &Ended, stats: &mut Stats) -> anyhow::Result<()> {
    if ended.killed.is_some() || ended.code == Some(0) {
        return Ok(());
    }
    let report: serde_json::Value = serde_json::from_str(&ended.stdout).unwrap_or_default();
    let code = report["error"]["code"].as_str().unwrap_or("");
    if ended.code == Some(1)
        && ["bad_response", "server_error", "server_unreachable"].contains(&code)
    {
        stats.sync_errors += 1;
        return Ok(());
    }
    bail!("the sync failed in a way faults cannot explain: {}", ended.describe())
}

/// Puts a small slice of the demo household on the server.
async fn seed_store(
    store: &Store,
    user: UserId,
    demo: &DemoData,
    rng: &mut fastrand::Rng,
) -> anyhow::Result<()> {
    let start = rng.usize(..demo.bills.len() - 40);
    for bill in &demo.bills[start..start + rng.usize(8..=30)] {
        store.put_bill(user, bill).await?;
    }
    let start = rng.usize(..demo.offers.len() - 6);
    for offer in &demo.offers[start..start + rng.usize(1..=6)] {
        store.put_offer(user, offer).await?;
    }
    let start = rng.usize(..demo.carbon.len() - 20);
    for entry in &demo.carbon[start..start + rng.usize(0..=20)] {
        store.put_carbon(user, entry).await?;
    }
    Ok(())
}

/// A lesson of the bundled catalogue and answers to its quiz by choice number, one choice a
/// question, drawn at random: `quiz take`'s `--answers`.
fn quiz_answers(rng: &mut fastrand::Rng) -> (String, String) {
    let catalog = greenmile_core::learn::bundled();
    let lesson = &catalog.lessons[rng.usize(..catalog.lessons.len())];
    let numbers: Vec<String> = lesson
        .questions
        .iter()
        .map(|q| (rng.usize(..q.choices().len().max(1)) + 1).to_string())
        .collect();
    (lesson.id.clone(), numbers.join(","))
}

/// Records on the server a quiz attempt made on another device of the learner, as its
/// delivery would have: it reaches this client only through the attempts feed.
async fn attempt_from_elsewhere(
    store: &Store,
    user: UserId,
    rng: &mut fastrand::Rng,
) -> anyhow::Result<String> {
    let catalog = greenmile_core::learn::bundled();
    let lesson = &catalog.lessons[rng.usize(..catalog.lessons.len())];
    let answers = lesson
        .questions
        .iter()
        .map(|q| {
            let choices = q.choices();
            let pick = &choices[rng.usize(..choices.len().max(1))];
            greenmile_core::learn::Answer {
                question_id: q.id.clone(),
                choices: vec![pick.id.clone()],
            }
        })
        .collect();
    let now = Utc::now();
    let attempt = greenmile_core::learn::QuizAttempt {
        attempt_id: format!("elsewhere-{}", rng.u32(..)),
        lesson_id: lesson.id.clone(),
        answers,
        started_at: now - chrono::Duration::minutes(5),
        finished_at: now,
        time_zone: "Asia/Shanghai".to_owned(),
    };
    let payload = serde_json::to_value(&attempt)?;
    let mut tx = store.pool().begin().await?;
    greenmile_server::learn::record_quiz_attempt(&mut tx, user, &payload, now).await?;
    tx.commit().await?;
    Ok(format!("server: another device recorded attempt {}", attempt.attempt_id))
}

/// Changes the server's data between steps: an update, a deletion or a new bill, or a quiz
/// attempt from another device.
async fn change_server(
    store: &Store,
    user: UserId,
    demo: &DemoData,
    rng: &mut fastrand::Rng,
) -> anyhow::Result<String> {
    let live: Vec<String> = store
        .rows(user, Collection::Bills)
        .await?
        .into_iter()
        .filter(|r| !r.deleted)
        .map(|r| r.id)
        .collect();
    if rng.u32(0..4) == 0 {
        return attempt_from_elsewhere(store, user, rng).await;
    }
    if live.is_empty() {
        return Ok("server: no bill left to change".to_owned());
    }
    let id = &live[rng.usize(..live.len())];
    Ok(match rng.u32(0..3) {
        0 => {
            let mut bill: Bill = store.bill(user, id).await?;
            bill.version += 1;
            bill.amount = Money::new(rng.i64(1..1_000_000), &bill.amount.currency);
            store.put_bill(user, &bill).await?;
            format!("server: updated {id}")
        }
        1 => {
            store.delete(user, Collection::Bills, id).await?;
            format!("server: deleted {id}")
        }
        _ => {
            let mut bill = demo.bills[rng.usize(..demo.bills.len())].clone();
            bill.id = format!("n-{}", rng.u32(..));
            store.put_bill(user, &bill).await?;
            format!("server: added {}", bill.id)
        }
    })
}
