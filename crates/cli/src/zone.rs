//! The time zone the CLI takes months and days in and prints times in: the data folder's
//! `time_zone` setting, else `TZ`, else the system's ([`greenmile_core::zone`]). Read once a
//! command knows its data folder ([`settle`]), so every figure and time of one command agrees.

use std::path::Path;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use greenmile_core::paths::CACHE_FILE;

use crate::locale::{self, Lang};

/// The zone, once settled.
static ZONE: OnceLock<Tz> = OnceLock::new();

/// Reads the `time_zone` setting of `data_dir`'s cache without changing anything there, and
/// says on stderr when `TZ` names no zone this app can follow and no setting stands in.
pub async fn settle(data_dir: &Path) {
    let setting = greenmile_core::settings::peek(&data_dir.join(CACHE_FILE), "time_zone").await;
    let setting = setting.filter(|name| name.parse::<Tz>().is_ok());
    let zone = greenmile_core::zone::from_setting(setting.as_deref());
    if setting.is_none() {
        if let Some(value) = greenmile_core::zone::unread_tz_variable() {
            eprintln!("{}", unread_tz_notice(locale::current(), &value, zone));
        }
    }
    let _ = ZONE.set(zone);
}

fn unread_tz_notice(lang: Lang, value: &str, zone: Tz) -> String {
    // A value longer than any zone name is shown by its start.
    let value: String = match value.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_owned(),
    };
    match lang {
        Lang::ZhCn => format!(
            "提示：TZ={value:?} 不是本应用能用的时区（它需要 Asia/Shanghai 这样的 IANA 名称），\
             月份和时间按 {zone} 计算。可用 `greenmile settings set time_zone 地区/城市` 指定。"
        ),
        Lang::En => format!(
            "notice: TZ={value:?} is not a time zone this app can follow (it needs an IANA name \
             such as Asia/Shanghai); months and times are in {zone}. Choose one with \
             `greenmile settings set time_zone Area/City`."
        ),
    }
}

/// The zone to take months in and print times in.
pub fn current() -> Tz {
    ZONE.get().copied().unwrap_or_else(greenmile_core::zone::system_time_zone)
}

/// `at` as a date and time in [`current`], `YYYY-MM-DD HH:MM`.
pub fn date_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&current()).format("%Y-%m-%d %H:%M").to_string()
}

/// `at` as a date in [`current`], `YYYY-MM-DD`.
pub fn date(at: DateTime<Utc>) -> String {
    at.with_timezone(&current()).format("%Y-%m-%d").to_string()
}

/// Today's date in [`current`].
pub fn today() -> chrono::NaiveDate {
    Utc::now().with_timezone(&current()).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_names_the_value_and_the_zone_used_in_both_languages() {
        let en = unread_tz_notice(Lang::En, "IST-5:31", Tz::Asia__Kolkata);
        assert!(
            en.contains("TZ=\"IST-5:31\"") && en.contains("months and times are in Asia/Kolkata"),
            "{en}"
        );
        let zh = unread_tz_notice(Lang::ZhCn, "IST-5:31", Tz::UTC);
        assert!(zh.contains("TZ=\"IST-5:31\"") && zh.contains("按 UTC 计算"), "{zh}");
        let long = unread_tz_notice(Lang::En, &"x".repeat(100_000), Tz::UTC);
        assert!(
            long.contains(&format!("TZ=\"{}…\"", "x".repeat(60))) && long.len() < 400,
            "{long}"
        );
    }
}
