//! The support bundle: diagnostics and recent logs in one zip a person can send, with secrets
//! and their home folder taken out.
//!
//! Logs are written to carry ids, counts and addresses only; the bundle still passes every line
//! through [`redact`], so a token that slipped into a message never leaves the machine.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

/// How many of the newest log files go into a bundle.
const BUNDLED_LOG_FILES: usize = 3;

/// What stands in for removed text.
pub const REDACTED: &str = "[redacted]";

static PATTERNS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        // Authorization headers and bearer tokens.
        (r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}", "$1 [redacted]"),
        // token=..., password: ..., "refresh_token": "...", in JSON, queries and key=value logs.
        (
            r#"(?i)("?[a-z_]*(?:token|password|secret|api_key|apikey)"?\s*[:=]\s*"?)[^"&\s,}]+"#,
            "${1}[redacted]",
        ),
        // JSON Web Tokens wherever they appear.
        (r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}", "[redacted]"),
        // Mainland China mobile numbers and e-mail addresses.
        (r"\b1[3-9]\d{9}\b", "[redacted]"),
        (r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b", "[redacted]"),
    ]
    .into_iter()
    .filter_map(|(pattern, replacement)| Regex::new(pattern).ok().map(|re| (re, replacement)))
    .collect()
});

/// `text` with secrets and personal identifiers replaced by [`REDACTED`], and `home` (the
/// user's home folder, which usually carries their name) by `~`.
pub fn redact(text: &str, home: Option<&Path>) -> String {
    let mut out = text.to_owned();
    if let Some(home) = home.map(|h| h.display().to_string()).filter(|h| h.len() > 1) {
        out = out.replace(&home, "~");
    }
    for (pattern, replacement) in PATTERNS.iter() {
        out = pattern.replace_all(&out, *replacement).into_owned();
    }
    out
}

/// The newest `count` files in `dir` whose names end in `.log`, newest first.
fn newest_logs(dir: &Path, count: usize) -> Vec<PathBuf> {
    let mut logs: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().ends_with(".log"))
                .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
                .collect()
        })
        .unwrap_or_default();
    logs.sort_by_key(|(modified, _)| std::cmp::Reverse(*modified));
    logs.into_iter().take(count).map(|(_, path)| path).collect()
}

/// Writes `diagnostics` (JSON text) and the newest logs of `log_dir`, both redacted, into a new
/// zip file at `target`. Returns the names of the files inside.
pub fn write_bundle(
    target: &Path,
    diagnostics_json: &str,
    log_dir: Option<&Path>,
    home: Option<&Path>,
) -> std::io::Result<Vec<String>> {
    let file = std::fs::OpenOptions::new().write(true).create_new(true).open(target)?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut names = vec!["diagnostics.json".to_owned()];
    zip.start_file("diagnostics.json", options).map_err(std::io::Error::other)?;
    zip.write_all(redact(diagnostics_json, home).as_bytes())?;

    for log in log_dir.map(|d| newest_logs(d, BUNDLED_LOG_FILES)).unwrap_or_default() {
        let Some(name) = log.file_name().map(|n| format!("logs/{}", n.to_string_lossy())) else {
            continue;
        };
        let text = String::from_utf8_lossy(&std::fs::read(&log)?).into_owned();
        zip.start_file(name.as_str(), options).map_err(std::io::Error::other)?;
        zip.write_all(redact(&text, home).as_bytes())?;
        names.push(name);
    }
    zip.finish().map_err(std::io::Error::other)?.sync_all()?;
    Ok(names)
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use super::*;

    #[test]
    fn secrets_and_identifiers_are_removed_and_the_rest_kept() {
        let home = Path::new("/home/wang.fang");
        let cases = [
            (
                "GET /v1/bills Authorization: Bearer rt_9f8e7d6c5b4a3f2e1d",
                "GET /v1/bills Authorization: Bearer [redacted]",
            ),
            (
                r#"{"refresh_token":"rt-canary-0001","bills":12}"#,
                r#"{"refresh_token":"[redacted]","bills":12}"#,
            ),
            ("login password=hunter22 ok", "login password=[redacted] ok"),
            (
                "cache at /home/wang.fang/.local/share/greenmile",
                "cache at ~/.local/share/greenmile",
            ),
            ("call 13812345678 or mail wang@example.cn", "call [redacted] or mail [redacted]"),
            (
                "synced 1817 bills from http://127.0.0.1:41234/ in 312 ms",
                "synced 1817 bills from http://127.0.0.1:41234/ in 312 ms",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(redact(input, Some(home)), expected, "redacting {input:?}");
        }
    }

    #[test]
    fn a_bundle_holds_redacted_diagnostics_and_the_newest_logs() {
        let scratch = tempfile::tempdir().expect("temp dir");
        let logs = scratch.path().join("logs");
        std::fs::create_dir(&logs).expect("logs dir");
        for day in 1..=4 {
            let path = logs.join(format!("greenmile.2026-12-0{day}.log"));
            std::fs::write(&path, format!("day {day} token=canary-{day}\n")).expect("log");
            let when =
                std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(day * 86_400);
            std::fs::File::options()
                .write(true)
                .open(&path)
                .and_then(|f| f.set_modified(when))
                .expect("set time");
        }
        std::fs::write(logs.join("notes.txt"), "not a log").expect("other file");
        let target = scratch.path().join("bundle.zip");
        let names = write_bundle(
            &target,
            r#"{"data_dir": "/home/li/.local/share/greenmile"}"#,
            Some(&logs),
            Some(Path::new("/home/li")),
        )
        .expect("bundle");
        assert_eq!(
            names,
            [
                "diagnostics.json",
                "logs/greenmile.2026-12-04.log",
                "logs/greenmile.2026-12-03.log",
                "logs/greenmile.2026-12-02.log"
            ]
        );

        let mut archive =
            zip::ZipArchive::new(std::fs::File::open(&target).expect("open zip")).expect("a zip");
        let mut all = String::new();
        for i in 0..archive.len() {
            archive.by_index(i).expect("entry").read_to_string(&mut all).expect("read");
        }
        assert!(all.contains(r#""data_dir": "~/.local/share/greenmile""#), "{all}");
        assert!(all.contains("day 4 token=[redacted]"), "{all}");
        assert!(!all.contains("canary"), "no token survives: {all}");
        assert!(write_bundle(&target, "{}", None, None).is_err(), "never overwrites a file");
    }
}
