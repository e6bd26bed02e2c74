//! The zone months and times are taken in: the `time_zone` setting, else `TZ` in the forms
//! the C library reads, else the system's; the real binary on the demo.

mod common;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

fn greenmile(data_dir: &std::path::Path, args: &[&str], tz: Option<&str>) -> common::Run {
    let env: Vec<(&str, &str)> = tz.map(|value| ("TZ", value)).into_iter().collect();
    common::run(data_dir, args, &env)
}

/// The zone of `greenmile carbon --json`, and what it said on stderr.
fn zone_of(data_dir: &std::path::Path, tz: Option<&str>) -> (String, String) {
    let run = greenmile(data_dir, &["carbon", "--json"], tz);
    assert_eq!(run.code, 0, "carbon runs: {}", run.stderr);
    (run.json["time_zone"].as_str().expect("a zone").to_owned(), run.stderr)
}

#[test]
fn tz_as_a_name_a_zone_file_or_a_fixed_posix_rule_gives_the_months_zone() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(greenmile(dir.path(), &["demo", "--json"], None).code, 0, "demo syncs");

    for (tz, zone) in [
        ("Asia/Shanghai", "Asia/Shanghai"),
        (":Europe/Berlin", "Europe/Berlin"),
        ("/usr/share/zoneinfo/Asia/Kolkata", "Asia/Kolkata"),
        (":/usr/share/zoneinfo/America/St_Johns", "America/St_Johns"),
        ("CST-8", "Etc/GMT-8"),
        ("IST-5:30", "Asia/Kolkata"),
        ("", "UTC"),
    ] {
        let (got, stderr) = zone_of(dir.path(), Some(tz));
        assert_eq!(got, zone, "TZ={tz:?}");
        assert!(!stderr.contains("TZ="), "TZ={tz:?} is understood, so nothing is said: {stderr}");
    }

    // A rule with summer time is not followed: the system's zone is used, and the user told.
    let (system, _) = zone_of(dir.path(), None);
    let (got, stderr) = zone_of(dir.path(), Some("CET-1CEST,M3.5.0,M10.5.0/3"));
    assert_eq!(got, system, "the system's zone");
    assert!(
        stderr.contains("TZ=\"CET-1CEST,M3.5.0,M10.5.0/3\" is not a time zone this app can follow")
            && stderr.contains(&format!("months and times are in {system}")),
        "{stderr}"
    );
}

#[test]
fn the_time_zone_setting_wins_over_tz_for_months_and_printed_times() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(greenmile(dir.path(), &["demo", "--json"], None).code, 0, "demo syncs");
    let set = greenmile(dir.path(), &["settings", "set", "time_zone", "America/St_Johns"], None);
    assert_eq!(set.code, 0, "the setting is kept: {}", set.stderr);

    for tz in [Some("Asia/Shanghai"), Some("IST-5:31"), None] {
        let (got, stderr) = zone_of(dir.path(), tz);
        assert_eq!(got, "America/St_Johns", "TZ={tz:?}");
        assert!(!stderr.contains("TZ="), "the setting stands in, so nothing is said: {stderr}");
    }

    // The list prints each bill's time in the same zone.
    let page = greenmile(dir.path(), &["bills", "--json"], Some("Asia/Shanghai"));
    let first = &page.json["items"][0];
    let (id, at) = (first["id"].as_str().expect("id"), first["occurred_at"].as_str().expect("at"));
    let at: DateTime<Utc> = at.parse().expect("an instant");
    let local = at.with_timezone(&Tz::America__St_Johns).format("%Y-%m-%d %H:%M").to_string();
    let text = greenmile(dir.path(), &["bills"], Some("Asia/Shanghai")).stdout;
    let line = text.lines().find(|l| l.contains(id)).expect("the bill is listed");
    assert!(line.starts_with(&format!("{local}  {id}")), "{line} starts with {local}");
    assert_ne!(
        local,
        at.with_timezone(&Tz::Asia__Shanghai).format("%Y-%m-%d %H:%M").to_string(),
        "St John's and Shanghai differ by 11.5 hours"
    );
}

#[test]
fn the_calculator_dates_the_first_payment_in_the_folders_zone() {
    use chrono::Months;
    let dir = tempfile::tempdir().expect("temp dir");
    // Kiritimati is UTC+14 and Etc/GMT+12 is UTC-12: their dates always differ.
    let set = greenmile(dir.path(), &["settings", "set", "time_zone", "Pacific/Kiritimati"], None);
    assert_eq!(set.code, 0, "{}", set.stderr);
    let due_in = |tz: Tz| {
        let today = Utc::now().with_timezone(&tz).date_naive();
        (today + Months::new(1)).to_string()
    };
    let before = due_in(Tz::Pacific__Kiritimati);
    let args = ["--json", "offers", "calc", "--principal", "1200", "--months", "2"];
    let run =
        greenmile(dir.path(), &[&args[..], &["--annual-rate", "10"]].concat(), Some("Etc/GMT+12"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let due = run.json["schedule"][0]["due"].as_str().expect("a due date").to_owned();
    let after = due_in(Tz::Pacific__Kiritimati);
    assert!(due == before || due == after, "{due} is a month from today in Kiritimati ({before})");
    assert_ne!(due, due_in(Tz::Etc__GMTPlus12), "not from today in TZ's zone");
}

#[test]
fn a_tz_that_is_not_utf8_is_named_too() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_greenmile"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["summary", "--json"])
        .env("TZ", std::ffi::OsStr::from_bytes(b"Asia/\xff"))
        .env_remove("GREENMILE_SERVER")
        .output()
        .expect("greenmile runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("TZ=\"Asia/\u{fffd}\" is not a time zone this app can follow"),
        "{stderr}"
    );
}
