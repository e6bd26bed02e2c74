//! `greenmile offers` and `greenmile offers calc` as a user runs them: the real binary, a
//! temporary data folder.

use std::process::Command;

use serde_json::Value;

struct Run {
    code: i32,
    json: Value,
    stdout: String,
    stderr: String,
}

fn greenmile(data_dir: &std::path::Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_greenmile"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("GREENMILE_SERVER")
        .output()
        .expect("greenmile runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    Run {
        code: out.status.code().unwrap_or(-1),
        json: serde_json::from_str(&stdout).unwrap_or(Value::Null),
        stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn calc(args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut all = vec!["offers", "calc"];
    all.extend_from_slice(args);
    let run = greenmile(dir.path(), &all);
    assert!(!dir.path().join("greenmile.sqlite").exists(), "the calculator opens no cache");
    run
}

fn round2(value: &Value) -> f64 {
    (value.as_f64().expect("a number") * 100.0).round() / 100.0
}

#[test]
fn calc_json_shows_the_fee_plans_true_rate() {
    let run = calc(&["--principal", "12000", "--months", "12", "--fee-rate", "0.6", "--json"]);

    assert_eq!(run.code, 0, "calc succeeds: {}", run.stderr);
    let out = &run.json;
    assert_eq!(round2(&out["annualised_rate_pct"]), 13.03, "the IRR rate, not the ad's 7.2 %");
    assert_eq!(
        out["monthly_payment"],
        serde_json::json!({"minor": 107_200, "currency": "CNY"}),
        "1,072.00 a month"
    );
    assert_eq!(round2(&out["effective_annual_rate_pct"]), 13.84, "(1 + r)^12 − 1");
    assert_eq!(round2(&out["naive_rate_pct"]), 7.2, "the ad's rate is shown beside it");
    assert_eq!(out["total_cost"]["minor"], 86_400, "12 fees of 72.00");
    let schedule = out["schedule"].as_array().expect("a schedule");
    assert_eq!(schedule.len(), 12, "one row a month");
    assert_eq!(schedule[11]["remaining"]["minor"], 0, "repaid in full");
}

#[test]
fn calc_given_payment_is_regulation_z_appendix_j() {
    // 5,000.00 advanced, 24 monthly payments of 230.00: APR 9.69 %.
    let run = calc(&["--principal", "5,000", "--months", "24", "--payment", "230.00", "--json"]);

    assert_eq!(run.code, 0, "calc succeeds: {}", run.stderr);
    assert_eq!(round2(&run.json["annualised_rate_pct"]), 9.69);
    assert_eq!(run.json["kind"], "level_payment");
    assert_eq!(run.json["total_paid"]["minor"], 24 * 23_000, "every payment is the given one");
}

#[test]
fn calc_text_prints_the_schedule_and_the_rates_side_by_side() {
    let run = calc(&[
        "--principal",
        "12000",
        "--months",
        "12",
        "--fee-rate",
        "0.6",
        "--first-due",
        "2026-01-31",
    ]);

    assert_eq!(run.code, 0, "calc succeeds: {}", run.stderr);
    let text = &run.stdout;
    assert!(text.contains("2026-02-28"), "due dates clamp to the month end:\n{text}");
    assert!(text.contains("¥1,072.00"), "the payment is shown:\n{text}");
    let rates = text.lines().find(|l| l.contains("13.03 %")).expect("a line with the IRR rate");
    assert!(rates.contains("13.84 %") && rates.contains("7.20 %"), "side by side: {rates}");
    let rows = text.lines().filter(|l| l.contains("2026-") || l.contains("2027-")).count();
    assert_eq!(rows, 12, "twelve instalments:\n{text}");
}

#[test]
fn calc_covers_every_kind_of_plan() {
    for (flags, kind) in [
        (&["--interest-free"][..], "interest_free"),
        (&["--fee-rate", "3", "--up-front"][..], "fee_up_front"),
        (&["--annual-rate", "4.8"][..], "annual_rate"),
        (&["--annual-rate", "4.8", "--equal-principal"][..], "equal_principal"),
    ] {
        let mut args = vec!["--principal", "3600", "--months", "6", "--json"];
        args.extend_from_slice(flags);
        let run = calc(&args);
        assert_eq!(run.code, 0, "{flags:?}: {}", run.stderr);
        assert_eq!(run.json["kind"], kind, "{flags:?}");
        let paid: i64 = run.json["schedule"]
            .as_array()
            .expect("a schedule")
            .iter()
            .map(|r| r["principal"]["minor"].as_i64().unwrap_or(0))
            .sum();
        assert_eq!(paid, 360_000, "{flags:?}: the principal is repaid exactly");
    }
}

#[test]
fn bad_calc_input_is_a_coded_error() {
    let cases: [&[&str]; 12] = [
        &["--principal", "12000", "--months", "12"],
        &["--principal", "12000", "--months", "12", "--payment", "1072", "--fee-rate", "0.6"],
        &["--principal", "12000.555", "--months", "12", "--interest-free"],
        &["--principal", "abc", "--months", "12", "--interest-free"],
        &["--principal", "0", "--months", "12", "--interest-free"],
        &["--principal", "12000", "--months", "0", "--interest-free"],
        &["--principal", "12000", "--months", "361", "--interest-free"],
        &["--principal", "12000", "--months", "12", "--fee-rate", "-0.6"],
        &["--principal", "12000", "--months", "12", "--annual-rate", "150"],
        &["--principal", "12000", "--months", "12", "--payment", "900"],
        &["--principal", "12000", "--months", "12", "--interest-free", "--up-front"],
        &["--principal", "100", "--months", "12", "--interest-free", "--first-due", "2026-02-30"],
    ];
    for args in cases {
        let mut with_json = args.to_vec();
        with_json.push("--json");
        let run = calc(&with_json);
        assert_eq!(run.code, 1, "{args:?} exits 1");
        assert_eq!(run.json["error"]["code"], "invalid_input", "{args:?}: {}", run.stdout);
        let message = run.json["error"]["message"].as_str().unwrap_or("");
        assert!(!message.is_empty(), "{args:?} says what is wrong");

        let run = calc(args);
        assert_eq!(run.code, 1, "{args:?} exits 1 in text mode too");
        assert!(run.stderr.starts_with("error: "), "{args:?}: {}", run.stderr);
    }

    let run = calc(&["--principal", "12000", "--months", "12", "--payment", "900", "--json"]);
    assert_eq!(
        run.json["error"]["message"],
        "--payment: 12 payments of ¥900.00 repay ¥10,800.00, less than the principal of \
         ¥12,000.00",
        "the message speaks in yuan"
    );
}

#[test]
fn offers_list_each_plans_payment_and_annualised_rate() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(greenmile(dir.path(), &["demo", "--json"]).code, 0, "demo syncs");

    let run = greenmile(dir.path(), &["offers", "--json"]);
    assert_eq!(run.code, 0, "offers succeeds: {}", run.stderr);
    let plans: Vec<&Value> = run
        .json
        .as_array()
        .expect("a list of offers")
        .iter()
        .flat_map(|o| o["plans"].as_array().expect("plans").iter())
        .collect();
    for plan in &plans {
        let apr = plan["apr_pct"].as_f64().expect("every plan has an annualised rate");
        assert!(apr.is_finite() && apr >= 0.0, "{plan}");
        assert!(plan["monthly_payment"]["minor"].as_i64().unwrap_or(0) > 0, "{plan}");
    }
    for kind in
        ["interest_free", "fee_per_period", "annual_rate", "fee_up_front", "equal_principal"]
    {
        assert!(plans.iter().any(|p| p["kind"] == kind), "the demo has a {kind} plan");
    }

    let run = greenmile(dir.path(), &["offers"]);
    assert_eq!(run.code, 0, "offers succeeds: {}", run.stderr);
    let plan_lines: Vec<&str> = run.stdout.lines().filter(|l| l.contains(" months ")).collect();
    assert_eq!(plan_lines.len(), plans.len(), "one line a plan:\n{}", run.stdout);
    assert!(
        plan_lines.iter().all(|l| l.contains("/month") && l.contains("APR")),
        "each plan line has its payment and rate:\n{}",
        run.stdout
    );
}
