//! `greenmile carbon` as a user runs it: the real binary, a temporary data folder, the demo.

mod common;

use serde_json::Value;

fn greenmile(data_dir: &std::path::Path, args: &[&str]) -> (i32, Value, String) {
    let r = common::run(data_dir, args, &[("TZ", "Asia/Shanghai")]);
    (r.code, r.json, r.stderr)
}

fn sum(items: &Value, field: &str) -> i64 {
    let items = items.as_array().expect("a list");
    items.iter().map(|i| i["carbon"][field].as_i64().expect("whole grams")).sum()
}

#[test]
fn carbon_json_splits_the_ledger_without_losing_a_gram() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(greenmile(dir.path(), &["demo", "--json"]).0, 0, "demo syncs");

    let (code, report, stderr) = greenmile(dir.path(), &["carbon", "--json"]);
    assert_eq!(code, 0, "greenmile carbon succeeds: {stderr}");
    let total = &report["total"];
    assert_eq!(total["total_g"], 10_290_000, "the ledger's 10.29 t");
    assert_eq!(total["entries"], 1661);
    let (measured, estimated) = (total["measured_g"].as_i64(), total["estimated_g"].as_i64());
    assert_eq!(measured.zip(estimated).map(|(m, e)| m + e), Some(10_290_000), "split adds up");
    assert_eq!(total["unknown_bills"], 144, "unknown bills are counted beside the total");

    assert_eq!(report["time_zone"], "Asia/Shanghai", "months are the user's");
    assert_eq!(sum(&report["by_month"], "total_g"), 10_290_000, "months add up to the total");
    assert_eq!(sum(&report["by_month"], "unknown_bills"), 144);
    assert_eq!(sum(&report["by_category"], "total_g"), 10_290_000, "so do categories");
    assert_eq!(sum(&report["by_category"], "measured_g"), measured.unwrap_or(-1));

    let food = report["by_category"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["category"] == "green_food"))
        .expect("green food is listed");
    assert_eq!(food["method"], Value::Null, "green food has no method");
    assert_eq!(food["carbon"]["entries"], 0, "so it has no figure");
    assert_eq!(food["carbon"]["unknown_bills"], 108, "and its bills are counted as unknown");

    // 10,290,000 g ÷ (0.16691 kg CO2e/km × 1000) = 61,650.05 km.
    let car = &report["equivalents"][0];
    assert_eq!((car["kind"].as_str(), car["amount"].as_i64()), (Some("car_km"), Some(61_650)));
    assert_eq!(car["factor"]["id"], "uk-car-average-2024", "the constant comes from the table");
    assert_eq!(car["factor"]["value"], 0.16691);
    assert_eq!(car["factor"]["licence"], "Open Government Licence v3.0");
}

#[test]
fn carbon_explain_recomputes_a_bill_offline_and_says_why_when_unknown() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(greenmile(dir.path(), &["demo", "--json"]).0, 0, "demo syncs");

    let (code, e, stderr) = greenmile(dir.path(), &["carbon", "--explain", "b-00001", "--json"]);
    assert_eq!(code, 0, "explain succeeds: {stderr}");
    // b-00001 is a second-hand phone for ¥3,199.40: ÷ 7.7355 CNY/EUR = €413.599638;
    // × 0.4222054752 kg CO2e/EUR (Memo Bank, MCC 5732, CN) = 174.624032 kg → 174,624 g.
    assert_eq!(e["grams"], 174_624);
    assert_eq!(e["api"], e["local"], "recomputed from the cache, the API's figure");
    assert_eq!(e["differs"], false);
    assert_eq!(e["method"]["id"], "second-hand-spend@1");
    assert_eq!(e["method"]["version"], 1);
    assert_eq!(e["activity"]["kind"], "second_hand");
    assert_eq!(e["activity"]["spend"]["minor"], 319_940);
    assert_eq!(e["basis"], "estimated", "spend-based figures are estimates");
    assert_eq!(e["confidence"], "low");
    assert_eq!(e["baseline"], "buying the same goods new, for the same money");
    let factors = e["factors"].as_array().expect("factors");
    let ids: Vec<&str> = factors.iter().filter_map(|f| f["id"].as_str()).collect();
    assert_eq!(ids, ["fx-eur-cny-2019", "cn-mcc5732-electronics-2019"]);
    assert_eq!(factors[1]["published"]["licence"], "CC BY-SA 4.0");
    assert_eq!(factors[1]["published"]["year"], 2019);
    assert!(factors.iter().all(|f| f["published"]["source"].is_string()), "sources named");
    let steps = e["arithmetic"].as_array().expect("arithmetic");
    assert_eq!(
        steps.last(),
        Some(&Value::from("174.624032 kg = 174624 g, rounded once to the nearest gram"))
    );

    let (_, food, _) =
        greenmile(dir.path(), &["bills", "--json", "--category", "green_food", "--limit", "1"]);
    let id = food["items"][0]["id"].as_str().expect("a green food bill").to_owned();
    let (code, e, _) = greenmile(dir.path(), &["carbon", "--explain", &id, "--json"]);
    assert_eq!(code, 0);
    assert_eq!(e["grams"], Value::Null, "unknown, not zero");
    assert_eq!(e["no_figure"], "no_method");
    assert!(e["no_figure_reason"].as_str().is_some_and(|r| r.contains("green_food")));

    let (code, err, _) = greenmile(dir.path(), &["carbon", "--explain", "b-99999", "--json"]);
    assert_eq!(code, 1, "an unknown bill exits 1");
    assert_eq!(err["error"]["code"], "invalid_input");
}
