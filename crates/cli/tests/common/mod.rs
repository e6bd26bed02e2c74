//! Runs the real `greenmile` binary for the CLI's tests, with nothing of the caller's server,
//! token or token store leaking into the run.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// What one run of `greenmile` did.
pub struct Run {
    /// The exit code (-1 when a signal ended it).
    pub code: i32,
    /// Standard output read as JSON, `Null` when it is not.
    pub json: Value,
    /// Standard output as text.
    pub stdout: String,
    /// Standard error as text.
    pub stderr: String,
}

/// Runs `greenmile --data-dir DATA_DIR ARGS` with `env` added to a clean environment.
pub fn run(data_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_greenmile"));
    command
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("GREENMILE_SERVER")
        .env_remove("GREENMILE_ACCESS_TOKEN")
        .env_remove("GREENMILE_TOKEN_STORE");
    for (name, value) in env {
        command.env(name, value);
    }
    let out = command.output().expect("greenmile runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    Run {
        code: out.status.code().unwrap_or(-1),
        json: serde_json::from_str(&stdout).unwrap_or(Value::Null),
        stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
