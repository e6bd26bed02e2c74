//! `greenmile settings`: the user's settings, written here first and delivered by `sync`.

use chrono::Utc;
use greenmile_core::{Cache, settings};

use crate::{SettingsCommand, outln, output};

/// Runs `settings set` or `settings list`.
pub async fn run(json: bool, cache: &Cache, action: &SettingsCommand) -> anyhow::Result<()> {
    match action {
        SettingsCommand::Set { key, value } => {
            let idempotency_key = greenmile_core::outbox::new_key(&mut fastrand::Rng::new());
            settings::set(cache, key, value, &idempotency_key, Utc::now()).await?;
            if json {
                return output::json(&serde_json::json!({
                    "key": key, "value": value, "pending": true
                }));
            }
            outln!("{key} = {value} (saved here; the next sync sends it to the server)");
            Ok(())
        }
        SettingsCommand::List => {
            let list = settings::list(cache).await?;
            if json {
                return output::json(&list);
            }
            for s in &list {
                let pending = if s.pending { "  (not yet on the server)" } else { "" };
                outln!("{} = {}{pending}", s.key, s.value);
            }
            if list.is_empty() {
                outln!("No settings yet; set one with `greenmile settings set KEY VALUE`.");
            }
            Ok(())
        }
    }
}
