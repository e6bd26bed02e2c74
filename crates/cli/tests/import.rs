//! `greenmile import` as a user runs it: the real binary, the fixture exports, a temporary
//! data folder.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn fixture(name: &str) -> String {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/bills").join(name);
    path.display().to_string()
}

fn greenmile(data_dir: &std::path::Path, args: &[&str]) -> (i32, Value, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_greenmile"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .expect("greenmile runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn import_json_reports_each_file() {
    let dir = tempfile::tempdir().unwrap();
    let alipay = fixture("greenmile/alipay-green-gbk.csv");
    let jd = fixture("deb-sig/jd-utf8bom.csv");

    let (code, out, _, stderr) = greenmile(dir.path(), &["import", "--json", &alipay, &jd]);

    assert_eq!(code, 0, "both files import: {stderr}");
    let files = out["files"].as_array().expect("a files list");
    assert_eq!(files.len(), 2);
    let a = &files[0];
    assert_eq!(a["format"], "alipay_csv");
    assert_eq!((a["rows"].as_i64(), a["imported"].as_i64()), (Some(17), Some(15)));
    assert_eq!((a["neutral"].as_i64(), a["duplicates"].as_i64()), (Some(0), Some(0)));
    let skipped = a["skipped"].as_array().unwrap();
    assert_eq!(skipped[0]["line"], 19, "each skipped row has its line");
    assert!(skipped[0]["reason"].as_str().unwrap().contains("交易时间"));
    // Hand-worked in crates/core/tests/import.rs: 3262.60 spent net, 3174.60 of it green.
    assert_eq!(a["net_spend"]["CNY"], 326_260);
    assert_eq!(a["green_net_spend"]["CNY"], 317_460);
    let green = a["green"].as_array().unwrap();
    let bikes = green.iter().find(|c| c["category"] == "shared_bike").unwrap();
    assert_eq!((bikes["bills"].as_i64(), bikes["net_spend"]["CNY"].as_i64()), (Some(3), Some(450)));
    assert_eq!(files[1]["format"], "jd_csv");
    assert_eq!(files[1]["net_spend"]["CNY"], 164_843);

    let (code, again, _, _) = greenmile(dir.path(), &["import", "--json", &alipay]);
    assert_eq!(code, 0);
    let a = &again["files"][0];
    assert_eq!((a["imported"].as_i64(), a["duplicates"].as_i64()), (Some(0), Some(15)));
}

#[test]
fn import_text_names_what_happened() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stdout, stderr) =
        greenmile(dir.path(), &["import", &fixture("deb-sig/alipay-pre2023format.csv")]);

    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Alipay CSV (before 2023)"), "{stdout}");
    assert!(
        stdout.contains("16 rows: 9 imported, 0 already imported, 7 neutral, 0 skipped"),
        "{stdout}"
    );
    assert!(stdout.contains("net spend ¥211.91"), "the 109.90 order nets to zero: {stdout}");
}

#[test]
fn a_bad_file_fails_alone_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.csv");
    std::fs::write(&notes, "name,age\nAda,36\n").unwrap();
    let meituan = fixture("deb-sig/meituan-utf8bom-crlf.csv");

    let (code, out, _, _) =
        greenmile(dir.path(), &["import", "--json", notes.to_str().unwrap(), &meituan]);

    assert_eq!(code, 1, "a file failed");
    let files = out["files"].as_array().expect("still one JSON object with every file");
    assert_eq!(files[0]["error"]["code"], "invalid_input");
    assert!(files[0]["error"]["message"].as_str().unwrap().contains("no known bill layout"));
    assert_eq!(files[1]["imported"], 28, "the good file is imported all the same");
}

#[test]
fn imported_bills_show_in_bills_summary_and_carbon() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, _, stderr) =
        greenmile(dir.path(), &["import", &fixture("greenmile/wechat-green.csv")]);
    assert_eq!(code, 0, "{stderr}");

    // The metro ride 4.00, the bike ride (1.50 of 3.00 kept), the refunded desk, the charge
    // 30.00: four green bills, 35.50 spent.
    let (_, list, _, _) = greenmile(dir.path(), &["bills", "--json"]);
    assert_eq!(list["total"], 4);
    let items = list["items"].as_array().unwrap();
    assert!(items.iter().all(|b| b["source"] == "file" && b["file_format"] == "wechat_csv"));
    let (_, only, _, _) = greenmile(dir.path(), &["bills", "--json", "--source", "file"]);
    assert_eq!(only["total"], 4, "the file filter keeps them");
    let (_, none, _, _) = greenmile(dir.path(), &["bills", "--json", "--source", "api"]);
    assert_eq!(none["total"], 0, "nothing was synced");
    let (_, _, text, _) = greenmile(dir.path(), &["bills"]);
    assert_eq!(text.matches("file:wechat_csv").count(), 4, "each row shows its source: {text}");

    let (_, summary, _, _) = greenmile(dir.path(), &["summary", "--json"]);
    assert_eq!((summary["bills"].as_i64(), summary["imported_bills"].as_i64()), (Some(4), Some(4)));
    assert_eq!(summary["green_spend"]["CNY"], 3_550);
    let (_, carbon, _, _) = greenmile(dir.path(), &["carbon", "--json"]);
    assert_eq!(carbon["total"]["total_g"], summary["carbon_saved_g"], "one total everywhere");
    let grams: i64 = items.iter().filter_map(|b| b["carbon_g"].as_i64()).sum();
    assert_eq!(summary["carbon_saved_g"].as_i64(), Some(grams), "the sum of the bills' grams");

    let metro = items.iter().find(|b| b["merchant"] == "上海地铁").unwrap();
    let id = metro["id"].as_str().unwrap();
    let (code, _, text, stderr) = greenmile(dir.path(), &["carbon", "--explain", id]);
    assert_eq!(code, 0, "{stderr}");
    assert!(text.contains("imported from a file (wechat_csv)"), "{text}");
    assert!(text.contains("8 km by metro"), "the stated 8.0公里: {text}");
}
