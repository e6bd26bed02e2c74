//! How the CLI prints: text for people, one JSON object with `--json`.

use greenmile_core::instalment::{PlanKindName, PlanRow};
use greenmile_core::money::minor_digits;
use std::io::Write as _;

use greenmile_core::learn::Lang;
use greenmile_core::{AppError, CoreError, ErrorCode};
use serde::Serialize;

/// Writes a line to stdout, returning the error instead of panicking when the reader has gone
/// (`greenmile bills | head`); `main` treats that case as success.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?
    }};
}

/// Prints `value` as pretty JSON on stdout.
pub fn json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    outln!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Whether `error` is stdout closing under us, which is how `| head` ends a listing.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Handles a command line clap could not read: help and version print as usual and exit 0;
/// anything else is a usage error that exits 1, as JSON when `--json` was asked for.
pub fn usage_error(error: clap::Error) -> std::process::ExitCode {
    use clap::error::ErrorKind;
    if matches!(error.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = error.print();
        return std::process::ExitCode::SUCCESS;
    }
    // `args_os`: an argument that is not UTF-8 is itself a usage error, not a reason to panic.
    if std::env::args_os().any(|a| a == "--json") {
        let message = error.kind().as_str().unwrap_or("the command line is not valid");
        // The message is every line but the usage and the pointer to --help: it can span
        // several ("…were not provided:" then the arguments) and end in a tip (a similar
        // argument), joined into one.
        let detail = error.to_string();
        let mut lines: Vec<&str> = Vec::new();
        let mut in_usage = false;
        for line in detail.lines().map(str::trim) {
            if line.starts_with("Usage:") {
                in_usage = true;
            } else if line.is_empty() {
                in_usage = false;
            } else if !in_usage && !line.starts_with("For more information") {
                lines.push(line);
            }
        }
        let joined = lines.join(" ");
        let text = joined.trim_start_matches("error: ");
        let text = if text.is_empty() { message } else { text };
        let report = AppError { code: ErrorCode::InvalidInput, message: text.to_owned() };
        let _ = writeln!(std::io::stdout().lock(), "{}", serde_json::json!({ "error": report }));
    } else {
        let _ = error.print();
    }
    std::process::ExitCode::FAILURE
}

/// Prints an error: the message and what to do, or `{"error": ...}` with `--json`. In Chinese
/// a headline for the code leads, since the message may be the core's English detail.
pub fn error(as_json: bool, error: &anyhow::Error) {
    let report = match error.downcast_ref::<CoreError>() {
        Some(core) => AppError::from(core),
        None => AppError { code: ErrorCode::Internal, message: format!("{error:#}") },
    };
    if as_json {
        let body = serde_json::json!({ "error": report });
        // Nothing is left to tell if stdout is gone too.
        let _ = writeln!(std::io::stdout().lock(), "{body}");
        return;
    }
    match crate::locale::current() {
        Lang::ZhCn => {
            eprintln!("错误：{}：{}", headline_zh(report.code), report.message);
            if let Some(hint) = hint_zh(report.code) {
                eprintln!("提示：{hint}");
            }
        }
        Lang::En => {
            eprintln!("error: {}", report.message);
            if let Some(hint) = hint(report.code) {
                eprintln!("hint: {hint}");
            }
        }
    }
}

fn hint(code: ErrorCode) -> Option<&'static str> {
    match code {
        ErrorCode::ServerUnreachable => Some(
            "check the server address and that it is running; your saved data is kept, and the \
             next sync continues from where this one stopped",
        ),
        ErrorCode::BadResponse => Some(
            "the server does not speak the Green API v1; nothing it sent was saved, and what was \
             already synced is kept",
        ),
        ErrorCode::ServerError => Some(
            "the server refused or failed the request (see above); what was already synced is kept",
        ),
        ErrorCode::Cache => Some(
            "check that the data folder is a writable folder and the disk not full; if the \
             cache file is damaged, move greenmile.sqlite aside and sync again",
        ),
        ErrorCode::DiskFull => Some(
            "free some space on the disk that holds the data folder, then run the command \
             again; nothing was half-saved",
        ),
        ErrorCode::InvalidInput => None,
        ErrorCode::Busy => Some("wait for the running sync to finish"),
        ErrorCode::Internal => None,
        ErrorCode::KeychainUnavailable => Some(
            "GreenMile keeps sign-in tokens only in the system keychain; start it, or set \
             GREENMILE_TOKEN_STORE=session to keep them until you log out",
        ),
        ErrorCode::SignInRequired => {
            Some("sign in with `greenmile login --server URL --email ADDRESS`")
        }
        ErrorCode::InvalidCredentials => Some("check the e-mail address and password"),
        ErrorCode::RateLimited => Some("wait the time given, then try again"),
        ErrorCode::CertificateRefused => Some(
            "the connection is not safe: the server's certificate is self-signed, for another \
             name or expired. Check the address; nothing was sent",
        ),
    }
}

/// What kind of failure, in Chinese; the app's error titles say the same.
fn headline_zh(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::ServerUnreachable => "无法连接服务器",
        ErrorCode::BadResponse => "服务器返回了意外的内容",
        ErrorCode::ServerError => "服务器出现问题",
        ErrorCode::Cache => "无法读取或写入本地缓存",
        ErrorCode::DiskFull => "磁盘已满",
        ErrorCode::InvalidInput => "输入未被接受",
        ErrorCode::Busy => "同步正在进行中",
        ErrorCode::Internal => "GreenMile 内部出错",
        ErrorCode::KeychainUnavailable => "没有可用的系统钥匙串",
        ErrorCode::SignInRequired => "需要登录",
        ErrorCode::InvalidCredentials => "邮箱地址或密码不正确",
        ErrorCode::RateLimited => "尝试次数过多",
        ErrorCode::CertificateRefused => "服务器证书不受信任",
    }
}

/// [`hint`] in Chinese.
fn hint_zh(code: ErrorCode) -> Option<&'static str> {
    match code {
        ErrorCode::ServerUnreachable => Some(
            "请检查服务器地址以及服务器是否在运行；已保存的数据不会丢失，\
             下次同步会从这次中断的地方继续",
        ),
        ErrorCode::BadResponse => {
            Some("该服务器不支持 Green API v1；它发来的内容都没有保存，已同步的数据保持不变")
        }
        ErrorCode::ServerError => Some("服务器拒绝或未能完成请求（见上）；已同步的数据保持不变"),
        ErrorCode::Cache => Some(
            "请确认数据文件夹可写、磁盘未满；如果缓存文件已损坏，\
             请把 greenmile.sqlite 移到别处后重新同步",
        ),
        ErrorCode::DiskFull => {
            Some("请在数据文件夹所在的磁盘上腾出一些空间，然后重新运行该命令；没有保存任何半截数据")
        }
        ErrorCode::InvalidInput => None,
        ErrorCode::Busy => Some("请等待正在进行的同步完成"),
        ErrorCode::Internal => None,
        ErrorCode::KeychainUnavailable => Some(
            "GreenMile 只把登录令牌保存在系统钥匙串中；请启动钥匙串，或设置 \
             GREENMILE_TOKEN_STORE=session，令牌会保留到你退出登录",
        ),
        ErrorCode::SignInRequired => {
            Some("请用 `greenmile login --server URL --email ADDRESS` 登录")
        }
        ErrorCode::InvalidCredentials => Some("请检查邮箱地址和密码"),
        ErrorCode::RateLimited => Some("请等待提示的时间后再试"),
        ErrorCode::CertificateRefused => Some(
            "连接不安全：服务器的证书是自签名的、属于其他域名或已过期。\
             请检查地址；没有发送任何数据",
        ),
    }
}

/// `minor` units of `currency` as text, such as `¥1,299.00` or `12.50 EUR`.
pub fn money(minor: i64, currency: &str) -> String {
    let digits = minor_digits(currency);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let scale = 10u64.pow(digits);
    let major = group_thousands(abs / scale);
    let text = if digits == 0 {
        major
    } else {
        format!("{major}.{:0width$}", abs % scale, width = digits as usize)
    };
    match currency {
        "CNY" => format!("{sign}¥{text}"),
        "USD" => format!("{sign}${text}"),
        "EUR" => format!("{sign}€{text}"),
        other => format!("{sign}{text} {other}"),
    }
}

/// A rate in percent as text with two decimals: `13.03 %`.
pub fn percent(pct: f64) -> String {
    format!("{pct:.2} %")
}

/// Basis points as exact percent text: 60 → `0.60 %`.
pub fn basis_points(bp: u32) -> String {
    format!("{}.{:02} %", bp / 100, bp % 100)
}

/// A plan's kind and stated terms, short enough for one column of the offer list.
pub fn plan_kind(plan: &PlanRow) -> String {
    let bp = |bp: Option<u32>| bp.map(basis_points).unwrap_or_else(|| "?".to_owned());
    match plan.kind {
        PlanKindName::InterestFree => "interest-free".to_owned(),
        PlanKindName::FeePerPeriod => format!("fee {}/month", bp(plan.fee_bp)),
        PlanKindName::FeeUpFront => format!("fee {} once", bp(plan.fee_bp)),
        // English only: a terminal pads CJK at twice the width, which would break the column.
        PlanKindName::AnnualRate => format!("{}/year annuity", bp(plan.annual_rate_bp)),
        PlanKindName::EqualPrincipal => format!("{}/year equal principal", bp(plan.annual_rate_bp)),
        PlanKindName::LevelPayment => "level payments".to_owned(),
    }
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Grams of CO2e as text: `850 g`, `12.3 kg`, `4.56 t`.
pub fn grams(g: i64) -> String {
    let abs = g.unsigned_abs();
    if abs >= 1_000_000 {
        format!("{:.2} t", g as f64 / 1_000_000.0)
    } else if abs >= 1_000 {
        format!("{:.1} kg", g as f64 / 1_000.0)
    } else {
        format!("{g} g")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_formatted_from_minor_units() {
        assert_eq!(money(129_900, "CNY"), "¥1,299.00");
        assert_eq!(money(-5, "USD"), "-$0.05");
        assert_eq!(money(1_234_567, "JPY"), "1,234,567 JPY");
        assert_eq!(money(1_234, "KWD"), "1.234 KWD");
    }

    #[test]
    fn rates_print_with_two_decimals() {
        assert_eq!(percent(13.034_224), "13.03 %");
        assert_eq!(basis_points(60), "0.60 %");
        assert_eq!(basis_points(1_250), "12.50 %");
    }

    #[test]
    fn grams_pick_a_readable_unit() {
        assert_eq!(grams(850), "850 g");
        assert_eq!(grams(12_345), "12.3 kg");
        assert_eq!(grams(4_560_000), "4.56 t");
    }
}
