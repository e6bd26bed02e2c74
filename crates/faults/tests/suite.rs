//! The fault-injection suite as part of the test run: 1,000 seeded runs of the real client
//! against a misbehaving server, killed at random points, each checked.

use std::process::Command;

#[test]
fn a_thousand_seeded_runs_never_lose_or_duplicate() {
    // GREENMILE_FAULT_RUNS lowers the count for a quick local pass; CI runs the full 1,000.
    let runs = std::env::var("GREENMILE_FAULT_RUNS").unwrap_or_else(|_| "1000".to_owned());
    let out = Command::new(env!("CARGO_BIN_EXE_greenmile-faults"))
        .args(["--runs", &runs, "--jobs", "4"])
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("greenmile-faults runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "failing seeds and how to replay them:\n{stdout}\n{stderr}");
    assert!(stdout.contains(&format!("{runs} runs in")), "every run was made: {stdout}");
    assert!(stdout.contains("; 0 failed"), "and none failed: {stdout}");
}
