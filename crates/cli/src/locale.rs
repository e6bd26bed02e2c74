//! The language of the CLI's own words, Simplified Chinese or English: the quiz, and the
//! headline and hint of every error.
//!
//! The first of these that names a language wins: `--lang` (on `greenmile quiz`), the data
//! folder's `locale` setting (what the app's language menu and `greenmile settings set locale`
//! save), the environment (`LC_ALL`, `LC_MESSAGES`, then `LANG`, as POSIX orders them), and
//! else English. [`settle`] reads the setting once a command knows its data folder; an error
//! before that follows the environment. Messages that come from the core stay in English: they
//! are the detail under a headline in the user's language, as in the app.

use std::path::Path;
use std::sync::OnceLock;

pub use greenmile_core::learn::Lang;
use greenmile_core::paths::CACHE_FILE;

/// The data folder's `locale` setting, once read.
static FOLDER: OnceLock<Lang> = OnceLock::new();

/// Reads the `locale` setting of `data_dir`'s cache, without creating or changing anything
/// there (the doctor promises to change nothing).
pub async fn settle(data_dir: &Path) {
    let path = data_dir.join(CACHE_FILE);
    if let Some(tag) = greenmile_core::settings::peek(&path, "locale").await {
        let _ = FOLDER.set(Lang::from_tag(&tag));
    }
}

/// The language to speak now: the folder's setting, else the environment's.
pub fn current() -> Lang {
    FOLDER.get().copied().unwrap_or_else(from_env)
}

fn from_env() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
        .map_or(Lang::En, |tag| Lang::from_tag(&tag))
}

/// `zh` or `en`, whichever `lang` is; for the short texts that take no arguments.
pub fn text(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}
