//! `greenmile-desktop`: the GreenMile window.

// Without a console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    greenmile_desktop::run();
}
