//! The user's time zone, which decides where months and days begin.
//!
//! The first of these that names a zone wins: the `time_zone` setting (an IANA name, checked
//! when it is saved), the `TZ` variable in the forms the C library reads, the system's zone,
//! and else UTC. The zone is always an IANA one ([`Tz`]): months of years past need the zone's
//! own history of offsets, which a fixed offset cannot give.

use std::path::Path;

use chrono_tz::Tz;

/// The zone `TZ` names, when it names one this app can use:
/// - an IANA name, with or without the leading `:` (`Asia/Shanghai`, `:Europe/Berlin`);
/// - a zone file, by its path under a `zoneinfo` folder or a link to one
///   (`/usr/share/zoneinfo/Asia/Kolkata`, `:/etc/localtime`);
/// - a POSIX rule without summer time (`CST-8`, `<+0530>-5:30`, `UTC0`): a whole-hour offset
///   becomes its `Etc/GMT` zone, and a few offsets of other widths the one zone that has kept
///   them for decades (`IST-5:30` is Asia/Kolkata).
///
/// An empty value is UTC, as for the C library. A POSIX rule with summer time (other than the
/// four that are IANA names too, such as `EST5EDT`) is `None`: its rule says nothing of the
/// years before it, and the caller falls back to the system's zone.
pub fn from_tz_variable(value: &str) -> Option<Tz> {
    let value = value.strip_prefix(':').unwrap_or(value);
    if value.is_empty() {
        return Some(Tz::UTC);
    }
    if let Ok(tz) = value.parse::<Tz>() {
        return Some(tz);
    }
    if value.starts_with('/') || value.contains("zoneinfo/") {
        return from_zone_file(Path::new(value));
    }
    // A name under tzdata's own folders, as the C library finds it in its zone directory.
    if let Some(name) = value.strip_prefix("posix/").or_else(|| value.strip_prefix("right/")) {
        return name.parse().ok();
    }
    from_posix_rule(value)
}

/// The IANA name a zone file stands for: the part of its path after the last `zoneinfo/`
/// (of the path as given, else with links followed), without tzdata's `posix/` or `right/`
/// folders.
fn from_zone_file(path: &Path) -> Option<Tz> {
    let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    [path, resolved.as_path()].iter().find_map(|p| {
        let text = p.to_str()?;
        let (_, name) = text.rsplit_once("zoneinfo/")?;
        let name =
            name.strip_prefix("posix/").or_else(|| name.strip_prefix("right/")).unwrap_or(name);
        name.parse::<Tz>().ok()
    })
}

/// Offsets east of UTC, in minutes, that are not whole hours, with the zone that has kept each
/// without summer time since at least 1986 (tzdata).
const FIXED_PART_HOURS: [(i32, Tz); 6] = [
    (4 * 60 + 30, Tz::Asia__Kabul),
    (5 * 60 + 30, Tz::Asia__Kolkata),
    (5 * 60 + 45, Tz::Asia__Kathmandu),
    (6 * 60 + 30, Tz::Asia__Yangon),
    (9 * 60 + 30, Tz::Australia__Darwin),
    (-(9 * 60 + 30), Tz::Pacific__Marquesas),
];

/// A POSIX rule `std offset` without summer time, as a zone (see [`from_tz_variable`]).
fn from_posix_rule(rule: &str) -> Option<Tz> {
    // The abbreviation: three or more letters, or between angle brackets three or more
    // letters, digits and signs.
    let rest = if let Some(quoted) = rule.strip_prefix('<') {
        let (name, rest) = quoted.split_once('>')?;
        let fine = |b: u8| b.is_ascii_alphanumeric() || b == b'+' || b == b'-';
        if name.len() < 3 || !name.bytes().all(fine) {
            return None;
        }
        rest
    } else {
        let letters = rule.bytes().take_while(u8::is_ascii_alphabetic).count();
        if letters < 3 {
            return None;
        }
        &rule[letters..]
    };
    // The offset, `[+-]hh[:mm[:ss]]`, positive west of Greenwich; nothing may follow it.
    let (sign, digits) = match rest.as_bytes().first()? {
        b'-' => (-1, &rest[1..]),
        b'+' => (1, &rest[1..]),
        _ => (1, rest),
    };
    let mut parts = digits.split(':');
    let mut field = |most: u32| -> Option<Option<u32>> {
        match parts.next() {
            None => Some(None),
            Some(p) if !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u32>().ok().filter(|n| *n <= most).map(Some)
            }
            Some(_) => None,
        }
    };
    let hours = field(24)??;
    let minutes = field(59)?.unwrap_or(0);
    let seconds = field(59)?.unwrap_or(0);
    if parts.next().is_some() || seconds != 0 {
        return None;
    }
    let east_minutes = -sign * (hours * 60 + minutes) as i32;
    if east_minutes == 0 {
        return Some(Tz::UTC);
    }
    if minutes == 0 {
        // `Etc/GMT-8` is eight hours east: tzdata signs these as POSIX does.
        let name = format!("Etc/GMT{}{hours}", if sign < 0 { '-' } else { '+' });
        return name.parse().ok();
    }
    FIXED_PART_HOURS.iter().find(|(m, _)| *m == east_minutes).map(|(_, tz)| *tz)
}

/// The zone of this machine: `TZ` when it names one ([`from_tz_variable`]), else the system's
/// (`/etc/localtime` and its kin), else UTC.
pub fn system_time_zone() -> Tz {
    std::env::var("TZ")
        .ok()
        .and_then(|value| from_tz_variable(&value))
        .or_else(|| iana_time_zone::get_timezone().ok().and_then(|name| name.parse().ok()))
        .unwrap_or(Tz::UTC)
}

/// `TZ`'s value when it is set but names no zone this app can use (so [`system_time_zone`]
/// passed over it), for a program to say so; a value that is not UTF-8 is given lossily.
pub fn unread_tz_variable() -> Option<String> {
    let value = std::env::var_os("TZ")?;
    match value.to_str() {
        Some(text) => from_tz_variable(text).is_none().then(|| text.to_owned()),
        None => Some(value.to_string_lossy().into_owned()),
    }
}

/// The zone `setting` names (a `time_zone` setting's value), else [`system_time_zone`].
pub fn from_setting(setting: Option<&str>) -> Tz {
    setting.and_then(|name| name.parse::<Tz>().ok()).unwrap_or_else(system_time_zone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iana_names_with_or_without_a_colon() {
        assert_eq!(from_tz_variable("Asia/Shanghai"), Some(Tz::Asia__Shanghai));
        assert_eq!(from_tz_variable(":Europe/Berlin"), Some(Tz::Europe__Berlin));
        assert_eq!(from_tz_variable("EST5EDT"), Some(Tz::EST5EDT));
        assert_eq!(from_tz_variable(""), Some(Tz::UTC));
        assert_eq!(from_tz_variable(":"), Some(Tz::UTC));
    }

    #[test]
    fn zone_files_by_their_path_under_zoneinfo() {
        // The name comes from the path even where no such file is installed.
        let path = "/usr/share/zoneinfo/Asia/Kolkata";
        assert_eq!(from_tz_variable(path), Some(Tz::Asia__Kolkata));
        assert_eq!(
            from_tz_variable(":/usr/share/zoneinfo/America/St_Johns"),
            Some(Tz::America__St_Johns)
        );
        assert_eq!(from_tz_variable("/usr/share/zoneinfo/posix/Asia/Tokyo"), Some(Tz::Asia__Tokyo));
        assert_eq!(from_tz_variable("/usr/share/zoneinfo/right/Asia/Tokyo"), Some(Tz::Asia__Tokyo));
        assert_eq!(from_tz_variable("posix/Asia/Tokyo"), Some(Tz::Asia__Tokyo));
        assert_eq!(from_tz_variable(":right/Europe/Paris"), Some(Tz::Europe__Paris));
        assert_eq!(from_tz_variable("/usr/share/zoneinfo/Mars/Olympus"), None);
        assert_eq!(from_tz_variable("/nowhere/at/all"), None);
    }

    #[test]
    fn a_link_to_a_zone_file_is_followed() {
        let dir = tempfile::tempdir().unwrap();
        let zoneinfo = dir.path().join("zoneinfo/Asia");
        std::fs::create_dir_all(&zoneinfo).unwrap();
        std::fs::write(zoneinfo.join("Kathmandu"), b"TZif").unwrap();
        let link = dir.path().join("localtime");
        std::os::unix::fs::symlink(zoneinfo.join("Kathmandu"), &link).unwrap();
        assert_eq!(from_tz_variable(link.to_str().unwrap()), Some(Tz::Asia__Kathmandu));
    }

    #[test]
    fn posix_rules_without_summer_time_are_fixed_offsets() {
        // POSIX counts west of Greenwich as positive, and so do tzdata's Etc names.
        assert_eq!(from_tz_variable("CST-8"), Some(Tz::Etc__GMTMinus8));
        assert_eq!(from_tz_variable("EST+5"), Some(Tz::Etc__GMTPlus5));
        assert_eq!(from_tz_variable("JST-9:00"), Some(Tz::Etc__GMTMinus9));
        assert_eq!(from_tz_variable("<+14>-14"), Some(Tz::Etc__GMTMinus14));
        assert_eq!(from_tz_variable("UTC0"), Some(Tz::UTC));
        assert_eq!(from_tz_variable("IST-5:30"), Some(Tz::Asia__Kolkata));
        assert_eq!(from_tz_variable("<+0545>-5:45"), Some(Tz::Asia__Kathmandu));
        assert_eq!(from_tz_variable("MART9:30"), Some(Tz::Pacific__Marquesas));
    }

    #[test]
    fn rules_it_cannot_follow_name_no_zone() {
        for value in [
            "CET-1CEST,M3.5.0,M10.5.0/3", // summer time
            "NZST-12NZDT",
            "IST-5:31", // no zone keeps this offset
            "AB-3",     // an abbreviation of two letters
            "<时区>-8", // the brackets hold letters, digits and signs only
            "<+5>-5",
            "posix/Mars/Olympus",
            "CST-25",
            "CST-8:60",
            "CST-8:00:30",
            "CST-8x",
            "CST",
            "8",
            "Mars/Olympus",
        ] {
            assert_eq!(from_tz_variable(value), None, "{value}");
        }
    }

    #[test]
    fn a_setting_wins_and_a_bad_one_is_passed_over() {
        assert_eq!(from_setting(Some("Asia/Shanghai")), Tz::Asia__Shanghai);
        assert_eq!(from_setting(Some("Mars/Olympus")), system_time_zone());
        assert_eq!(from_setting(None), system_time_zone());
    }
}
