//! The suite at a hundredth of its volume, so it keeps working between benchmark runs. Times
//! are not judged here (a debug build on a busy machine proves nothing); the rows must all be
//! there and every cross-check must hold.

use greenmile_bench::{Options, run};

#[tokio::test(flavor = "multi_thread")]
async fn the_suite_runs_at_a_hundredth_of_its_volume_and_its_cross_checks_hold() {
    let options = Options {
        scale: 0.01,
        query_runs: 5,
        desktop: None,
        deb: None,
        import_output: None,
        keep: None,
    };
    let report = run(&options).await.expect("the suite runs");

    assert_eq!(report.volume.bills, 1_000, "1 % of 100k bills");
    for figure in [
        "First sync",
        "First sync vs raw rusqlite",
        "First sync vs INSERT … SELECT",
        "Sync with no changes: requests",
        "Replay of applied pages: rows changed",
        "Dashboard aggregates",
        "Search",
        "A page of 50 bills",
        "Reads during a sync: SQLITE_BUSY",
        "Import",
    ] {
        assert!(
            report.rows.iter().any(|r| r.figure.starts_with(figure)),
            "the table has a row for {figure:?}"
        );
    }
    let replay = report.rows.iter().find(|r| r.figure.ends_with("rows changed"));
    assert_eq!(replay.map(|r| r.measured.as_str()), Some("0"), "a replay changes no row");

    assert!(report.checks.len() >= 6, "every cross-check ran");
    for check in &report.checks {
        assert!(check.met, "cross-check holds: {}", check.what);
    }
}
