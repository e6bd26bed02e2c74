//! GreenMile's desktop shell: Tauri wiring over the core, nothing more.
//!
//! [`run`] builds the window, registers the commands (one module per domain under
//! [`commands`]) and starts [`shell::Shell`], which owns the cache, the embedded demo server
//! and the sync runs. The UI only ever calls these commands and listens to the
//! `sync://progress` event; it never talks HTTP and never sees a token. The TypeScript types of
//! everything that crosses are generated from Rust by [`bindings`]. Files to import reach the
//! core from a picker opened on this side or a drop on the window (`import://report`).

pub mod bindings;
pub mod commands;
pub mod platform;
pub mod shell;
pub mod support;

use std::sync::Arc;

use tauri::Manager;

/// The app's identifier, as in `tauri.conf.json`.
pub const IDENTIFIER: &str = "app.greenmile.desktop";

/// Starts the app and blocks until its last window closes. `dmabuf_workaround` says whether
/// `main` turned WebKitGTK's DMA-BUF renderer off.
pub fn run(dmabuf_workaround: bool) {
    commands::startup::mark_process_start();
    let log_dir = platform::log_dir(IDENTIFIER);
    let _log_guard = platform::init_logging(log_dir.as_deref());
    if dmabuf_workaround {
        tracing::info!("WebKitGTK's DMA-BUF renderer turned off (no GPU render node or NVIDIA)");
    }
    let platform = platform::Platform { log_dir, dmabuf_workaround };

    let built = tauri::Builder::default()
        // A second start brings the open window forward instead of opening another one on the
        // same cache.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        // Size and position come back where the window was left. Its commands are not granted
        // to the UI (see capabilities/main.json); it works from Rust alone.
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .manage(platform)
        // The file picker, opened from Rust only: the UI is granted none of its permissions.
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .on_window_event(commands::imports::on_window_event)
        .setup(|app| {
            let shell = Arc::new(shell::Shell::from_environment().map_err(|e| e.message)?);
            app.manage(shell.clone());
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move { shell.start(handle).await });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::status::app_status,
            commands::account::sign_in,
            commands::account::sign_out,
            commands::sync::sync_now,
            commands::demo::reset_demo,
            commands::notifications::notifications_enabled,
            commands::notifications::set_notifications,
            commands::dashboard::dashboard,
            commands::diagnostics::diagnostics,
            commands::diagnostics::save_support_bundle,
            commands::bills::bills,
            commands::bills::export_bills,
            commands::carbon::carbon_explain,
            commands::offers::offers,
            commands::offers::offer_detail,
            commands::offers::compare_plans,
            commands::offers::instalment_calc,
            commands::learn::learn_lessons,
            commands::learn::learn_check_answer,
            commands::learn::learn_submit_attempt,
            commands::learn::learn_progress,
            commands::learn::learn_badges,
            commands::learn::learn_save_badge_card,
            commands::imports::import_files,
            commands::imports::pick_import_files,
            commands::startup::dashboard_painted,
        ])
        .build(tauri::generate_context!());

    match built {
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                let shell = handle.state::<Arc<shell::Shell>>().inner().clone();
                tauri::async_runtime::block_on(shell.shutdown());
            }
        }),
        Err(error) => {
            tracing::error!(error = %error, "the window could not be created");
            eprintln!("GreenMile could not start: {error}");
            std::process::exit(1);
        }
    }
}
