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
