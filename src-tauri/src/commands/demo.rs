//! The demo: starting it afresh, with a persona, for the next visitor.

use std::sync::Arc;

use greenmile_core::{AppError, SyncReport};
use greenmile_server::demo::Persona;
use tauri::{AppHandle, State};

use crate::shell::Shell;

/// Seeds the demo again (as `persona`, or the persona shown now), empties the cache and syncs;
/// progress arrives as `sync://progress` events. Refused as `invalid_input` when connected.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn reset_demo(
    app: AppHandle,
    shell: State<'_, Arc<Shell>>,
    persona: Option<Persona>,
) -> Result<SyncReport, AppError> {
    shell.reset_demo(&app, persona).await
}
