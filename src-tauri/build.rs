//! Generates an `allow-<command>` permission for each of the app's own commands, so the UI can
//! call only the commands its capability (`capabilities/main.json`) lists. Without an app
//! manifest Tauri allows every registered command to every window.

/// Every command registered in `lib.rs`; `tests/security.rs` fails when the three lists (this
/// one, the handler and the capability) disagree.
const COMMANDS: &[&str] = &[
    "app_status",
    "sync_now",
    "dashboard",
    "diagnostics",
    "save_support_bundle",
    "bills",
    "carbon_explain",
    "offers",
    "offer_detail",
    "compare_plans",
    "instalment_calc",
    "learn_lessons",
    "learn_check_answer",
    "learn_submit_attempt",
    "learn_progress",
    "learn_badges",
    "import_files",
    "pick_import_files",
    "dashboard_painted",
    "learn_save_badge_card",
    "reset_demo",
    "notifications_enabled",
    "set_notifications",
    "export_bills",
    "sign_in",
    "sign_out",
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("the Tauri configuration and capabilities are valid");
}
