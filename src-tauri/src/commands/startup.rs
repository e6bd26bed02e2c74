//! How long the app takes to show its first dashboard, for the benchmark suite.
//!
//! [`mark_process_start`] runs first thing in [`crate::run`]; the UI calls [`dashboard_painted`]
//! once the dashboard has painted its first figures. With `GREENMILE_TRACE_STARTUP=1` the first
//! call prints the time between the two to stderr as `startup: dashboard painted after N ms`;
//! otherwise it does nothing.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// When `run` began: as close to the process start as the shell can take it.
static STARTED: OnceLock<Instant> = OnceLock::new();

/// Whether the first paint was reported already; later calls (a reload) are not a start.
static REPORTED: AtomicBool = AtomicBool::new(false);

/// Takes the start instant; later calls keep the first.
pub fn mark_process_start() {
    STARTED.get_or_init(Instant::now);
}

/// The UI has painted the dashboard with data.
#[tauri::command]
pub fn dashboard_painted() {
    let traced = std::env::var("GREENMILE_TRACE_STARTUP").is_ok_and(|v| v == "1");
    if !traced || REPORTED.swap(true, Ordering::SeqCst) {
        return;
    }
    if let Some(started) = STARTED.get() {
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        eprintln!("startup: dashboard painted after {ms:.0} ms");
    }
}
