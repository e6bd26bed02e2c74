//! Where GreenMile keeps its files.

use std::path::PathBuf;

/// The file name of the cache inside a data folder.
pub const CACHE_FILE: &str = "greenmile.sqlite";

/// The folder, inside a data folder, where demo mode keeps its embedded server's database.
pub const DEMO_DIR: &str = "demo";

/// The platform's app data folder for GreenMile (`~/.local/share/greenmile` on Linux,
/// `~/Library/Application Support/app.greenmile.GreenMile` on macOS, `%APPDATA%` on Windows),
/// or `None` where the platform has no home folder.
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("app", "greenmile", "GreenMile").map(|d| d.data_dir().to_owned())
}
