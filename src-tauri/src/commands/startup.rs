//! How long the app takes to show its first dashboard, for the benchmark suite.
//!
//! [`mark_process_start`] runs first thing in [`crate::run`]; the UI calls [`dashboard_painted`]
//! once the dashboard has painted its first figures. With `GREENMILE_TRACE_STARTUP=1` the first
//! call prints the time between the two to stderr as `startup: dashboard painted after N ms`,
//! followed by the moments on the way the UI marked, counted from the same start; otherwise it
//! does nothing.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::Deserialize;

/// When `run` began: as close to the process start as the shell can take it, by the monotonic
/// clock and by the wall clock (the webview's page origin is on the latter).
static STARTED: OnceLock<(Instant, SystemTime)> = OnceLock::new();

/// The moments of a start-up as the UI saw them: when the page began loading (ms since the
/// Unix epoch), then each moment's name and ms after that, in the order they came (the
/// script ran, the app was ready to render, the shell's status came, the dashboard was asked
/// for, its figures arrived, they were painted).
#[derive(Debug, Clone, Deserialize)]
pub struct StartupMarks {
    origin_ms: f64,
    moments: Vec<(String, f64)>,
}

/// Whether the first paint was reported already; later calls (a reload) are not a start.
static REPORTED: AtomicBool = AtomicBool::new(false);

/// Takes the start instant; later calls keep the first.
pub fn mark_process_start() {
    STARTED.get_or_init(|| (Instant::now(), SystemTime::now()));
}

/// The UI has painted the dashboard with data.
#[tauri::command]
pub fn dashboard_painted(marks: Option<StartupMarks>) {
    let traced = std::env::var("GREENMILE_TRACE_STARTUP").is_ok_and(|v| v == "1");
    if !traced || REPORTED.swap(true, Ordering::SeqCst) {
        return;
    }
    if let Some((started, wall)) = STARTED.get() {
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let steps = marks.map(|m| moments(&m, *wall)).unwrap_or_default();
        eprintln!("startup: dashboard painted after {ms:.0} ms{steps}");
    }
}

/// `marks` as ms after the process start `wall`: ` (page 310 ms, script 620 ms, ...)`.
fn moments(marks: &StartupMarks, wall: SystemTime) -> String {
    let start_ms = wall.duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    let page = marks.origin_ms - start_ms;
    let steps = std::iter::once(format!("page {page:.0} ms"))
        .chain(marks.moments.iter().map(|(name, at)| format!("{name} {:.0} ms", page + at)));
    format!(" ({})", steps.collect::<Vec<_>>().join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_count_from_the_process_start() {
        let wall = UNIX_EPOCH + std::time::Duration::from_millis(1_000_000);
        let marks = StartupMarks {
            origin_ms: 1_000_300.0,
            moments: vec![
                ("script".to_owned(), 250.0),
                ("figures".to_owned(), 500.4),
                ("painted".to_owned(), 540.0),
            ],
        };
        assert_eq!(
            moments(&marks, wall),
            " (page 300 ms, script 550 ms, figures 800 ms, painted 840 ms)"
        );
    }
}
