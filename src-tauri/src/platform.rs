//! What the desktop shell sets up before the window exists: the WebKitGTK rendering workaround
//! on Linux and the log files.

use std::path::{Path, PathBuf};

use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// What was set up before the window: kept as app state for the Diagnostics page.
#[derive(Debug, Clone)]
pub struct Platform {
    /// The folder of the log files, when logs go to files.
    pub log_dir: Option<PathBuf>,
    /// Whether [`apply_webkit_workaround`] turned the DMA-BUF renderer off.
    pub dmabuf_workaround: bool,
}

/// The variable that turns off WebKitGTK's DMA-BUF renderer.
pub const DMABUF_VAR: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";

/// How many daily log files are kept.
const KEPT_LOG_FILES: usize = 7;

/// Turns off WebKitGTK's DMA-BUF renderer where it is known to paint a blank window: on the
/// proprietary NVIDIA driver, and where no GPU render node exists (virtual machines, Xvfb,
/// remote desktops). A value the user set is always kept. Returns whether it was applied.
///
/// Must be called first thing in `main`, before any thread exists.
pub fn apply_webkit_workaround() -> bool {
    if !cfg!(target_os = "linux") || std::env::var_os(DMABUF_VAR).is_some() {
        return false;
    }
    if !dmabuf_is_risky(Path::new("/proc/driver/nvidia"), Path::new("/dev/dri")) {
        return false;
    }
    // SAFETY: `main` calls this before it starts the runtime or any other thread, so nothing can
    // read the environment while it changes.
    #[allow(unsafe_code)]
    unsafe {
        std::env::set_var(DMABUF_VAR, "1");
    }
    true
}

/// Whether the DMA-BUF renderer is likely to fail: an NVIDIA driver is loaded, or there is no
/// DRM render node to render with.
fn dmabuf_is_risky(nvidia: &Path, dri: &Path) -> bool {
    if nvidia.exists() {
        return true;
    }
    let render_nodes = std::fs::read_dir(dri)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().starts_with("renderD"))
                .count()
        })
        .unwrap_or(0);
    render_nodes == 0
}

/// The folder of the app's log files: `GREENMILE_LOG_DIR`, else where Tauri's `app_log_dir`
/// puts them (`~/.local/share/app.greenmile.desktop/logs` on Linux, `~/Library/Logs/...` on
/// macOS, `%LOCALAPPDATA%\app.greenmile.desktop\logs` on Windows).
pub fn log_dir(identifier: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("GREENMILE_LOG_DIR") {
        return Some(PathBuf::from(dir));
    }
    let base = directories::BaseDirs::new()?;
    if cfg!(target_os = "macos") {
        Some(base.home_dir().join("Library/Logs").join(identifier))
    } else {
        Some(base.data_local_dir().join(identifier).join("logs"))
    }
}

/// Logs to stderr and to a daily file in `dir` (the last [`KEPT_LOG_FILES`] days are kept).
/// The returned guard flushes the file when dropped; keep it for the life of the app. Without
/// a usable folder, logs go to stderr only.
pub fn init_logging(dir: Option<&Path>) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let filter = || {
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
            "greenmile=info,greenmile_desktop=info,greenmile_core=info,greenmile_server=info".into()
        })
    };
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));

    let appender = dir.and_then(|dir| {
        tracing_appender::rolling::RollingFileAppender::builder()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix("greenmile")
            .filename_suffix("log")
            .max_log_files(KEPT_LOG_FILES)
            .build(dir)
            .map_err(|e| {
                eprintln!("logs go to stderr only: cannot write to {}: {e}", dir.display())
            })
            .ok()
    });
    match appender {
        Some(appender) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let file = tracing_subscriber::fmt::layer().with_writer(writer).with_ansi(false);
            tracing_subscriber::registry().with(filter()).with(stderr).with(file).init();
            Some(guard)
        }
        None => {
            tracing_subscriber::registry().with(filter()).with(stderr).init();
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workaround_is_needed_without_a_render_node_or_with_nvidia() {
        let root = tempfile::tempdir().expect("temp dir");
        let nvidia = root.path().join("nvidia");
        let dri = root.path().join("dri");

        assert!(dmabuf_is_risky(&nvidia, &dri), "no /dev/dri at all, as under Xvfb in a VM");
        std::fs::create_dir(&dri).expect("dri");
        std::fs::write(dri.join("card0"), b"").expect("card");
        assert!(dmabuf_is_risky(&nvidia, &dri), "a card but no render node");
        std::fs::write(dri.join("renderD128"), b"").expect("render node");
        assert!(!dmabuf_is_risky(&nvidia, &dri), "a render node and no NVIDIA driver");
        std::fs::create_dir(&nvidia).expect("nvidia");
        assert!(dmabuf_is_risky(&nvidia, &dri), "the NVIDIA driver, render node or not");
    }
}
