//! `greenmile-desktop`: the GreenMile window.

// Without a console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // Before anything else runs: this may set an environment variable, which is only sound
    // while the process has a single thread.
    let dmabuf_workaround = greenmile_desktop::platform::apply_webkit_workaround();
    greenmile_desktop::run(dmabuf_workaround);
}
