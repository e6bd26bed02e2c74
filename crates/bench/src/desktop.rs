//! The release desktop app: its size, the size of its `.deb`, and under a display (Xvfb in the
//! bench script) its cold start to the first dashboard paint and the memory of the app and its
//! WebKit processes once the dashboard shows.
//!
//! The app runs twice in demo mode on a data folder of its own: once to seed and sync the
//! cache, then again to be measured with the cache warm. Start-up is timed from the spawn here
//! to the line the app prints (with `GREENMILE_TRACE_STARTUP=1`) when the UI reports that the
//! dashboard painted its figures. Every process started is killed by its id.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::table::Row;

/// The line the app prints at the first paint.
const PAINTED: &str = "startup: dashboard painted after";

/// The line the core logs when a sync is done.
const SYNCED: &str = "sync finished";

/// How long to wait for either.
const PATIENCE: Duration = Duration::from_secs(90);

/// How many warm starts the cold-start figure is the median of.
const STARTS: usize = 5;

/// How long the webview may settle after the paint before memory is read.
const SETTLE: Duration = Duration::from_secs(2);

/// Measures `binary` and `deb`; start-up and memory only when a display is set.
pub fn measure(binary: &Path, deb: Option<&Path>, dir: &Path) -> anyhow::Result<Vec<Row>> {
    let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
    let mut rows = vec![Row::plain(
        "Desktop release binary",
        format!("{:.1} MiB", mib(std::fs::metadata(binary)?.len())),
        "—",
        None,
    )];
    match deb {
        Some(deb) => {
            let size = mib(std::fs::metadata(deb)?.len());
            rows.push(Row::plain(".deb package", format!("{size:.1} MiB"), "≤ 10 MB", {
                Some(size * 1.048_576 <= 10.0)
            }));
        }
        None => rows.push(Row::plain(".deb package", "not built".to_owned(), "≤ 10 MB", None)),
    }

    if std::env::var_os("DISPLAY").is_none() {
        rows.push(Row::plain(
            "Desktop start-up and memory",
            "not measured: no display (run under xvfb-run)".to_owned(),
            "≤ 1 s, ≤ 120 MB",
            None,
        ));
        return Ok(rows);
    }

    let data = dir.join("desktop-data");
    // The first run seeds the demo and syncs it; the second finds a warm cache.
    let mut seed = App::start(binary, &data)?;
    let seeded = seed.wait_for(SYNCED);
    seed.stop();
    seeded?;

    // One start is at the mercy of whatever else the machine does in that second: the figure
    // is the median of STARTS, memory is read on the last.
    let (mut starts, mut inside, mut memory) = (Vec::new(), Vec::new(), (0, 0, 0));
    for n in 0..STARTS {
        let mut app = App::start(binary, &data)?;
        let painted = app.wait_for(PAINTED);
        starts.push(app.started.elapsed());
        inside.extend(painted.as_ref().ok().and_then(|line| own_figure(line)));
        if n + 1 == STARTS {
            std::thread::sleep(SETTLE);
            memory = tree_rss_kib(app.child.id());
        }
        app.stop();
        painted?;
    }
    let cold_start = crate::percentile(&starts, 50.0);
    inside.sort_by(f64::total_cmp);
    let inner = inside.get(inside.len() / 2).copied();
    let slowest = starts.iter().max().copied().unwrap_or_default();

    let (rss_kib, pss_kib, processes) = memory;
    let rss_mb = rss_kib as f64 * 1024.0 / 1e6;
    let pss_mb = pss_kib as f64 * 1024.0 / 1e6;
    rows.push(Row {
        figure: format!("Cold start to first dashboard paint (warm cache): median of {STARTS}"),
        measured: format!(
            "{:.0} ms (slowest {:.0} ms)",
            cold_start.as_secs_f64() * 1000.0,
            slowest.as_secs_f64() * 1000.0
        ),
        baseline: inner.map_or("—".to_owned(), |ms| format!("{ms:.0} ms inside the app")),
        ratio: "—".to_owned(),
        target: "≤ 1 s".to_owned(),
        met: Some(cold_start <= Duration::from_secs(1)),
    });
    // RSS counts the shared WebKit and GTK libraries once per process; PSS splits them, so
    // it is shown beside as the fairer share. The baseline is WebKitGTK's own floor: its
    // MiniBrowser (shipped with the library the app runs on) showing a blank page.
    let mb = |kib: u64| kib as f64 * 1024.0 / 1e6;
    let blank = blank_webkit_kib();
    rows.push(Row {
        figure: "Memory of app + webview after the dashboard rendered (RSS sum)".to_owned(),
        measured: format!("{rss_mb:.0} MB in {processes} processes (PSS sum {pss_mb:.0} MB)"),
        baseline: blank.map_or("—".to_owned(), |(rss, pss, n)| {
            format!(
                "blank WebKitGTK page {:.0} MB in {n} processes (PSS {:.0} MB)",
                mb(rss),
                mb(pss)
            )
        }),
        ratio: blank
            .map_or("—".to_owned(), |(rss, _, _)| format!("{:.2}×", rss_mb / mb(rss).max(1e-6))),
        target: "≤ 120 MB".to_owned(),
        met: Some(rss_mb <= 120.0),
    });
    Ok(rows)
}

/// Where WebKitGTK 4.1 installs its MiniBrowser (Debian and Ubuntu, by architecture).
const MINIBROWSERS: [&str; 2] = [
    "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
    "/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
];

/// RSS and PSS (KiB) and process count of WebKitGTK's MiniBrowser showing `about:blank`,
/// read after it had as long to settle as the app gets; `None` when it is not installed.
fn blank_webkit_kib() -> Option<(u64, u64, usize)> {
    let binary = MINIBROWSERS.iter().find(|p| Path::new(p).exists())?;
    let mut child = Command::new(binary)
        .arg("about:blank")
        // As the app runs WebKitGTK without a GPU (see src-tauri's main).
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    // No page signals when it painted; a blank page needs less than the app's start.
    std::thread::sleep(Duration::from_secs(2) + SETTLE);
    let memory = tree_rss_kib(child.id());
    let children = descendants(child.id());
    let _ = child.kill();
    let _ = child.wait();
    for pid in children {
        let _ = Command::new("kill").arg("-KILL").arg(pid.to_string()).status();
    }
    Some(memory)
}

/// A running app with its stderr read line by line on a thread.
struct App {
    child: Child,
    started: Instant,
    lines: mpsc::Receiver<String>,
}

impl App {
    fn start(binary: &Path, data: &Path) -> anyhow::Result<Self> {
        let started = Instant::now();
        let mut child = Command::new(binary)
            .env("GREENMILE_DATA_DIR", data)
            .env("GREENMILE_TRACE_STARTUP", "1")
            .env_remove("GREENMILE_SERVER")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()?;
        let (tx, lines) = mpsc::channel();
        if let Some(stderr) = child.stderr.take() {
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        Ok(Self { child, started, lines })
    }

    /// Waits for a line containing `needle`.
    fn wait_for(&mut self, needle: &str) -> anyhow::Result<String> {
        let deadline = self.started + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return Ok(line),
                Ok(_) => {}
                Err(_) => anyhow::bail!("the app did not print {needle:?} within {PATIENCE:?}"),
            }
        }
    }

    /// Kills the app and the processes it started, by their ids.
    fn stop(mut self) {
        let children = descendants(self.child.id());
        let _ = self.child.kill();
        let _ = self.child.wait();
        for pid in children {
            let _ = Command::new("kill").arg("-KILL").arg(pid.to_string()).status();
        }
    }
}

/// The milliseconds in the app's own line.
fn own_figure(line: &str) -> Option<f64> {
    line.split(PAINTED).nth(1)?.split_whitespace().next()?.parse().ok()
}

/// Every process whose chain of parents reaches `root`, read from /proc.
fn descendants(root: u32) -> Vec<u32> {
    let mut parents = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
                continue;
            };
            // The parent is the field after the command name, which may hold spaces: read
            // after the last ')'.
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let ppid = stat.rsplit_once(')').and_then(|(_, rest)| {
                rest.split_whitespace().nth(1).and_then(|p| p.parse::<u32>().ok())
            });
            if let Some(ppid) = ppid {
                parents.push((pid, ppid));
            }
        }
    }
    let mut found = vec![root];
    let mut n = 0;
    while n < found.len() {
        let parent = found[n];
        found.extend(parents.iter().filter(|(_, pp)| *pp == parent).map(|(p, _)| *p));
        n += 1;
    }
    found.remove(0);
    found
}

/// The summed RSS and PSS of `root` and its descendants, in KiB, and how many processes
/// that is.
fn tree_rss_kib(root: u32) -> (u64, u64, usize) {
    let mut pids = descendants(root);
    pids.push(root);
    let sum = |file: &str, field: &str| -> u64 {
        pids.iter()
            .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/{file}")).ok())
            .filter_map(|text| {
                text.lines()
                    .find_map(|l| l.strip_prefix(field))
                    .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            })
            .sum()
    };
    (sum("status", "VmRSS:"), sum("smaps_rollup", "Pss:"), pids.len())
}
