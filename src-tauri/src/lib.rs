//! GreenMile's desktop shell: Tauri wiring over the core, nothing more.
//!
//! [`run`] builds the window, registers the commands (one module per domain under
//! [`commands`]) and starts [`shell::Shell`], which owns the cache, the embedded demo server
//! and the sync runs. The UI only ever calls these commands and listens to the
//! `sync://progress` event; it never talks HTTP and never sees a token. The TypeScript types of
//! everything that crosses are generated from Rust by [`bindings`].

pub mod bindings;
pub mod commands;
pub mod shell;

use std::sync::Arc;

use tauri::Manager;

/// Starts the app and blocks until its last window closes.
pub fn run() {
    commands::startup::mark_process_start();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
                "greenmile=info,greenmile_core=info,greenmile_server=info".into()
            }),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();

    let built = tauri::Builder::default()
        .setup(|app| {
            let shell = Arc::new(shell::Shell::from_environment().map_err(|e| e.message)?);
            app.manage(shell.clone());
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move { shell.start(handle).await });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::status::app_status,
            commands::sync::sync_now,
            commands::dashboard::dashboard,
            commands::bills::bills,
            commands::carbon::carbon_explain,
            commands::offers::offers,
            commands::offers::offer_detail,
            commands::offers::compare_plans,
            commands::offers::instalment_calc,
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
