//! Importing payment exports into a real SQLite cache in a temporary folder.
//!
//! Every expected number below was worked out by hand from the fixture files under
//! `tests/fixtures/bills/` (the arithmetic is in the comments), not copied from the importer's
//! output. Carbon grams are compared with `carbon::estimate` on the inputs the rows state, so
//! what is checked is that the importer feeds the right quantities to the right method.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use greenmile_api::{BillStatus, Certification, GreenCategory, SecondHandGoods, TransitMode};
use greenmile_core::carbon::{self, Activity};
use greenmile_core::db::imported;
use greenmile_core::import::{self, FileReport, Format};
use greenmile_core::{Cache, CoreError};

struct Fixture {
    _dir: tempfile::TempDir,
    cache: Cache,
}

async fn cache() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = Cache::open(&dir.path().join("cache.sqlite")).await.expect("cache opens");
    Fixture { _dir: dir, cache }
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/bills").join(name)
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z").unwrap().with_timezone(&Utc)
}

async fn import(f: &Fixture, name: &str) -> FileReport {
    import::import_file(&f.cache, &fixture(name), now()).await.expect("the fixture imports")
}

fn cny(report_totals: &std::collections::BTreeMap<String, i64>) -> i64 {
    report_totals.get("CNY").copied().unwrap_or(0)
}

fn category(report: &FileReport, c: GreenCategory) -> &import::report::CategoryReport {
    report.green.iter().find(|r| r.category == c).expect("the category is reported")
}

fn grams(activity: Activity) -> i64 {
    carbon::estimate(&activity).expect("the method accepts the inputs").grams
}

async fn all_rows(f: &Fixture) -> Vec<imported::ImportedBill> {
    imported::list(f.cache.pool(), 500, 0).await.expect("imported bills list")
}

fn assert_buckets_add_up(r: &FileReport) {
    assert_eq!(
        r.rows,
        r.imported + r.duplicates + r.neutral + r.skipped.len(),
        "every row of {} ends in exactly one bucket",
        r.file
    );
}

#[tokio::test]
async fn alipay_2023_gbk_export() {
    let f = cache().await;
    let r = import(&f, "deb-sig/alipay-2023format-gbk.csv").await;

    assert_eq!(r.format, Format::AlipayCsv, "GBK, 24 preamble lines, header found by its cells");
    // 10 data rows (the preamble's 共66笔记录 is not what the file holds).
    assert_eq!(r.rows, 10);
    // Imported: 亲友代付 49.74, 等待确认收货 20.00, 退款-亲情卡 16.03 (a refund whose purchase
    // is not in the file), 转账红包 222228.50 (income), 9.90, 82.00, and the closed 一卡通充值
    // 50.00 with its refund 50.00 (paid, then all of it came back).
    assert_eq!(r.imported, 8);
    // Neutral: 卖出至余额宝 99.34 and the closed 82.00 that has no refund (never paid).
    assert_eq!(r.neutral, 2);
    assert!(r.skipped.is_empty(), "no bad rows: {:?}", r.skipped);
    assert_buckets_add_up(&r);
    // 49.74 + 20.00 + 9.90 + 82.00 + 50.00 − 50.00 − 16.03 = 145.61; income is not spending.
    assert_eq!(cny(&r.net_spend), 14_561);
    assert_eq!(r.paid_by_relatives, 1, "亲友代付 is marked");
    assert_eq!(r.refunds_unmatched, 1, "退款-亲情卡 has no purchase in the file");
    // 一卡通充值 tops up a transit card (green), but all 50.00 came back: 50.00 − 50.00.
    assert_eq!(cny(&r.green_net_spend), 0);
    let transit = category(&r, GreenCategory::PublicTransport);
    assert_eq!((transit.bills, cny(&transit.net_spend)), (1, 0));
    assert_eq!((transit.carbon_g, transit.carbon_unknown), (0, 0), "refunded: saves nothing");

    let rows = all_rows(&f).await;
    let red_packet = rows.iter().find(|b| b.kind == "income").expect("the income is kept");
    assert_eq!(red_packet.amount.minor, 22_222_850, "222228.50 read exactly");
    let relative = rows.iter().find(|b| b.paid_by_relative && b.kind == "expense").unwrap();
    assert_eq!(relative.amount.minor, 4974);
    let t = rows.iter().find(|b| b.amount.minor == 4974).unwrap().occurred_at;
    assert_eq!(t.to_rfc3339(), "2023-02-12T13:32:14+00:00", "21:32:14 in Shanghai is UTC+8");
}

#[tokio::test]
async fn alipay_pre_2023_export_counts_the_refunded_order_once() {
    let f = cache().await;
    let r = import(&f, "deb-sig/alipay-pre2023format.csv").await;

    assert_eq!(r.format, Format::AlipayCsvPre2023);
    // 16 data rows between the banner and the footer; the footer (特别提示 …) is not read.
    assert_eq!(r.rows, 16);
    // Expenses 6.51, 87.90, 79.00, 31.00, 7.50, income 10.00, 42.00, and the 109.90 order:
    // its closed purchase and its refund (the 其他 row) = 9.
    assert_eq!(r.imported, 9);
    // The same refund again under 收入, and six 投资理财 moves (2.00, 0.11, 50.00, 15.40,
    // 3000.00, 20.00) = 7.
    assert_eq!(r.neutral, 7);
    let repeat = r.neutral_rows.iter().find(|n| n.line == 5).expect("line 5 is neutral");
    assert!(repeat.reason.contains("repeats line 4"), "{repeat:?}");
    assert_buckets_add_up(&r);
    // 6.51 + 87.90 + 79.00 + 31.00 + 7.50 + 109.90 − 109.90 = 211.91. The golden beancount
    // file subtracts both refund rows: 211.91 − 109.90 = 102.01, a double count.
    assert_eq!(cny(&r.net_spend), 21_191, "the 109.90 order nets to zero, not to −109.90");

    let rows = all_rows(&f).await;
    let dettol: Vec<_> = rows.iter().filter(|b| b.merchant.contains("滴露")).collect();
    assert_eq!(dettol.len(), 2, "one purchase and one refund: {dettol:?}");
    let purchase = dettol.iter().find(|b| b.kind == "expense").unwrap();
    assert_eq!((purchase.amount.minor, purchase.status), (0, BillStatus::Refunded));
}

#[tokio::test]
async fn wechat_csv_and_both_workbook_layouts_are_the_same_bills() {
    let f = cache().await;
    let csv = import(&f, "deb-sig/wechat-utf8bom.csv").await;

    assert_eq!(csv.format, Format::WechatCsv);
    assert_eq!(csv.rows, 27);
    // Expenses: 28.16, 12.00, 500.00, 2243.46 (亲属卡), 12.00 (T+1), 12.00 (T-1), 36.99, 9.90,
    // 50.0, 0.01 (分分捐) = 10; income: 0.35, 23.00, 0.07, 0.07, 5.00 = 5.
    assert_eq!(csv.imported, 15);
    // 收/支 `/`: 转入零钱通 2000, three 零钱提现, 信用卡还款, two 理财通, two 零钱通转出,
    // 转入零钱通 1.23, 零钱充值 = 11.
    assert_eq!(csv.neutral, 11);
    assert_eq!(csv.skipped.len(), 1, "the unknown 交易类型 is skipped");
    assert_eq!(csv.skipped[0].line, 44, "header on line 17, 27 rows: the last is line 44");
    assert!(csv.skipped[0].reason.contains("deg-不认识的-txType"), "{:?}", csv.skipped[0]);
    assert_buckets_add_up(&csv);
    // 28.16 + 12 + 500 + 2243.46 + 12 + 12 + 36.99 + 9.90 + 50.00 + 0.01 = 2904.52
    assert_eq!(cny(&csv.net_spend), 290_452);
    assert_eq!(csv.paid_by_relatives, 1);

    // The 2026 workbook (header row 18, amounts as number cells) and the 2025 one (row 17,
    // amounts as text) hold the same 27 rows, after a junk `Column1…` sheet.
    for (name, header_row) in [("deb-sig/wechat.xlsx", 18), ("deb-sig/wechat-2025layout.xlsx", 17)]
    {
        let xlsx = import(&f, name).await;
        assert_eq!(xlsx.format, Format::WechatXlsx, "{name}");
        assert_eq!(xlsx.rows, 27, "{name}");
        assert_eq!(xlsx.imported, 0, "{name}: the CSV already brought every bill");
        assert_eq!(xlsx.duplicates, 15, "{name}");
        assert_eq!(xlsx.neutral, 11, "{name}");
        assert_eq!(xlsx.skipped[0].line, header_row + 27, "{name}: the last row");
        assert_eq!(cny(&xlsx.net_spend), 290_452, "{name}: 548.58000000000004 read as 548.58");
    }
    assert_eq!(imported::count(f.cache.pool()).await.unwrap(), 15);
}

#[tokio::test]
async fn a_fresh_cache_takes_the_2026_workbook_alone() {
    let f = cache().await;
    let r = import(&f, "deb-sig/wechat.xlsx").await;

    assert_eq!((r.imported, r.neutral, r.skipped.len()), (15, 11, 1));
    let rows = all_rows(&f).await;
    let small: Vec<i64> = rows
        .iter()
        .filter(|b| b.kind == "income" && b.amount.minor < 10)
        .map(|b| b.amount.minor)
        .collect();
    assert_eq!(small, vec![7, 7], "7.0000000000000007E-2 is 7 fen");
}

#[tokio::test]
async fn jd_export_with_refunds_in_the_amount_cell() {
    let f = cache().await;
    let r = import(&f, "deb-sig/jd-utf8bom.csv").await;

    assert_eq!(r.format, Format::JdCsv);
    assert_eq!(r.rows, 26);
    // 16 支出 rows plus the fully refunded 468.32(已全额退款) purchase listed as 不计收支.
    assert_eq!(r.imported, 17);
    // Seven refund rows (89.84, 0.00, 70.48, 70.48, 397.84, 235.50, 233.45) and two 先享后付
    // rows (0.00, 35.61).
    assert_eq!(r.neutral, 9);
    assert_buckets_add_up(&r);
    // Gross of the 支出 rows: 10.20 + 60.90 + 131.77 + 9.80 + 19.72 + 119.66 + 448.32 + 68.19
    // + 13.00 + 14.99 + 40.00 + 10.85 + 416.87 + 20.61 + 657.21 + 235.61 = 2277.70; refunds in
    // the cells 89.84 + 70.48 + 233.45 + 235.50 = 629.27; 2277.70 − 629.27 = 1648.43, which is
    // also JD's own 支出 total in the preamble. 468.32 − 468.32 adds 0.
    assert_eq!(cny(&r.net_spend), 164_843);

    let rows = all_rows(&f).await;
    let jeep = rows.iter().find(|b| b.item.starts_with("JEEP")).unwrap();
    assert_eq!((jeep.gross.minor, jeep.amount.minor), (13_177, 4_193), "131.77 − 89.84");
    assert_eq!(jeep.status, BillStatus::PartiallyRefunded);
    let returned = rows.iter().find(|b| b.gross.minor == 46_832).unwrap();
    assert_eq!((returned.amount.minor, returned.status), (0, BillStatus::Refunded));
    assert!(rows.iter().all(|b| b.category.is_none()), "no green goods in this export");
}

#[tokio::test]
async fn meituan_export_links_refunds_by_title() {
    let f = cache().await;
    let r = import(&f, "deb-sig/meituan-utf8bom-crlf.csv").await;

    assert_eq!(r.format, Format::MeituanCsv, "BOM, CRLF and \"\" preamble lines");
    assert_eq!(r.rows, 29);
    // 22 支付 rows and 6 退款 rows; the 还款 of 美团月付 is neutral.
    assert_eq!((r.imported, r.neutral), (28, 1));
    assert_buckets_add_up(&r);
    // 实付金额 of the 22 payments: 21.17 + 19.90 + 11.90 + 15.90 + 218.00 + 139.00 + 119.00
    // + 34.90 + 149.70 + 139.80 + 20.00 + 14.01 + 10.90 + 57.77 + 48.00 + 49.56 + 19.81 + 19.02
    // + 26.31 + 11.77 + 10.06 + 19.20 = 1175.68; refunds 20.00 + 11.77 + 10.06 + 68.00 + 88.00
    // + 11.90 = 209.73 (Meituan's own 收入 total); 1175.68 − 209.73 = 965.95.
    assert_eq!(cny(&r.net_spend), 96_595);
    // The two KTV refunds and 瑞幸 have no purchase in the file.
    assert_eq!(r.refunds_unmatched, 3);

    let rows = all_rows(&f).await;
    let tart = rows.iter().find(|b| b.kind == "expense" && b.item.contains("葡式蛋挞")).unwrap();
    assert_eq!((tart.amount.minor, tart.status), (0, BillStatus::Refunded), "20.00 came back");
    let voucher = rows
        .iter()
        .find(|b| b.kind == "expense" && b.item.ends_with("289893081774554007"))
        .unwrap();
    assert_eq!((voucher.gross.minor, voucher.amount.minor), (1006, 0));
}

#[tokio::test]
async fn green_bills_their_categories_refunds_and_carbon() {
    let f = cache().await;
    let r = import(&f, "greenmile/alipay-green-gbk.csv").await;

    assert_eq!(r.rows, 17);
    // Lines 7–23. Skipped: 25:00 (19) and ¥¥3.00 (20). Imported: the other 15, three of them
    // refund rows (the closed 二手手机 on line 13 was paid and refunded on line 14).
    assert_eq!((r.imported, r.neutral), (15, 0));
    let skipped: Vec<usize> = r.skipped.iter().map(|s| s.line).collect();
    assert_eq!(skipped, vec![19, 20], "bad rows are reported with their lines");
    assert!(r.skipped[0].reason.contains("交易时间"), "{:?}", r.skipped[0]);
    assert!(r.skipped[1].reason.contains("two yen signs"), "{:?}", r.skipped[1]);
    assert_buckets_add_up(&r);

    // Expenses 4.00 + 2.00 + 1.50 + 45.20 + 60.00 + 800.00 + 79.90 + 2999.00 + 50.00 + 38.00
    // + 3.00 + 1.50 = 4084.10, refunds 20.00 + 800.00 + 1.50 = 821.50: 3262.60.
    assert_eq!(cny(&r.net_spend), 326_260);
    // Not green: the 爱回收 fee (ambiguous, 50.00) and the meal (38.00): 3262.60 − 88.00.
    assert_eq!(cny(&r.green_net_spend), 317_460);
    assert_eq!(r.ambiguous, 1);
    assert_eq!(r.refunds_unmatched, 0, "both refunds found their purchase");

    let transit = category(&r, GreenCategory::PublicTransport);
    assert_eq!((transit.bills, cny(&transit.net_spend)), (2, 600), "metro 4.00 + bus 2.00");
    let metro = grams(Activity::Transit { mode: TransitMode::Metro, km: 12.4 });
    assert_eq!(transit.carbon_g, metro, "the metro ride states 12.4 km");
    assert_eq!(transit.carbon_unknown, 1, "the bus ride states no distance");

    let bikes = category(&r, GreenCategory::SharedBike);
    // 1.50 (哈啰) + 3.00 (青桔, 2.0 km) + 1.50 − 1.50 (青桔, refunded in full) = 4.50
    assert_eq!((bikes.bills, cny(&bikes.net_spend)), (3, 450));
    // 150 fen at the rule's 60 fen per km is 2.5 km; the refunded ride saves nothing.
    let bike = grams(Activity::SharedBike { km: 2.5 }) + grams(Activity::SharedBike { km: 2.0 });
    assert_eq!((bikes.carbon_g, bikes.carbon_unknown), (bike, 0));

    let ev = category(&r, GreenCategory::EvCharging);
    assert_eq!((ev.bills, cny(&ev.net_spend)), (1, 4520));
    assert_eq!(ev.carbon_g, grams(Activity::EvCharging { kwh: 30.5 }));

    let second = category(&r, GreenCategory::SecondHand);
    // Books 60.00 − 20.00, phone 800.00 − 800.00. The spend-based figure follows the 40.00
    // kept; the refunded phone saves nothing and is not "unknown".
    assert_eq!((second.bills, cny(&second.net_spend)), (2, 4000));
    assert_eq!(second.carbon_unknown, 0);
    let books = Activity::SecondHand {
        spend: greenmile_api::Money::cny(4000),
        goods: SecondHandGoods::Books,
    };
    assert_eq!(second.carbon_g, grams(books));

    for (c, fen) in
        [(GreenCategory::GreenFood, 7990), (GreenCategory::EnergyEfficientAppliance, 299_900)]
    {
        let report = category(&r, c);
        assert_eq!((report.bills, cny(&report.net_spend)), (1, fen), "{c:?}");
        assert_eq!((report.carbon_g, report.carbon_unknown), (0, 1), "{c:?}: no method, unknown");
    }

    let rows = all_rows(&f).await;
    let book = rows.iter().find(|b| b.kind == "expense" && b.merchant == "多抓鱼").unwrap();
    assert_eq!((book.amount.minor, book.status), (4000, BillStatus::PartiallyRefunded));
    assert_eq!(book.certification, Some(Certification::SelfDeclared), "imports self-declare");
    assert_eq!(book.rule_id.as_deref(), Some("second-hand-platform"));
    let refunded_ride = rows
        .iter()
        .find(|b| b.kind == "expense" && b.item == "单车骑行" && b.merchant == "青桔单车")
        .unwrap();
    assert_eq!((refunded_ride.amount.minor, refunded_ride.carbon_g), (0, None));
    let fee = rows.iter().find(|b| b.merchant == "爱回收").unwrap();
    assert_eq!(fee.category, None, "two categories matched: not green");
    assert_eq!(fee.certification, Some(Certification::Unverified));
    assert_eq!(fee.rule_id.as_deref(), Some("second-hand-platform+recycling-collection"));
    let meal = rows.iter().find(|b| b.item == "午餐").unwrap();
    assert_eq!((meal.category, meal.carbon_g), (None, None), "what no rule knows is not green");
}

#[tokio::test]
async fn wechat_refunds_in_the_status_and_a_new_year_midnight() {
    let f = cache().await;
    let r = import(&f, "greenmile/wechat-green.csv").await;

    assert_eq!(r.format, Format::WechatCsv, "UTF-8 without a BOM");
    // Imported: metro 4.00, bike 3.00 (1.50 refunded), desk 300.00 (all refunded), charging
    // 30.00. Neutral: the refund row and the withdrawal.
    assert_eq!((r.rows, r.imported, r.neutral), (6, 4, 2));
    // 4.00 + (3.00 − 1.50) + (300.00 − 300.00) + 30.00 = 35.50, all green.
    assert_eq!(cny(&r.net_spend), 3550);
    assert_eq!(cny(&r.green_net_spend), 3550);
    let bikes = category(&r, GreenCategory::SharedBike);
    assert_eq!(bikes.carbon_g, grams(Activity::SharedBike { km: 2.5 }), "1.50 kept / 0.60 per km");
    let second = category(&r, GreenCategory::SecondHand);
    assert_eq!((second.bills, second.carbon_g, second.carbon_unknown), (1, 0, 0));

    let rows = all_rows(&f).await;
    let metro = rows.iter().find(|b| b.merchant == "上海地铁").unwrap();
    assert_eq!(metro.occurred_at.to_rfc3339(), "2024-12-31T15:59:59+00:00");
    let bike = rows.iter().find(|b| b.merchant == "美团单车").unwrap();
    assert_eq!(bike.occurred_at.to_rfc3339(), "2024-12-31T16:00:01+00:00", "2025 in Shanghai");
}

#[tokio::test]
async fn alipay_pc_web_layout_with_its_refund_column() {
    let f = cache().await;
    let r = import(&f, "greenmile/alipay-pcweb-gbk.csv").await;

    assert_eq!(r.format, Format::AlipayPcWeb, "金额（元） with full-width brackets");
    // Imported: the 50.00 books (20.00 in 成功退款), the 30.00 meal, the 66.00 income.
    // Neutral: the closed 外套 and the 资金转移 into 余额宝.
    assert_eq!((r.rows, r.imported, r.neutral), (5, 3, 2));
    // (50.00 − 20.00) + 30.00 = 60.00; green: the 30.00 kept of the second-hand books.
    assert_eq!((cny(&r.net_spend), cny(&r.green_net_spend)), (6000, 3000));
}

#[tokio::test]
async fn importing_again_adds_nothing() {
    let f = cache().await;
    let first = import(&f, "greenmile/alipay-green-gbk.csv").await;
    let stored = all_rows(&f).await;

    let again = import(&f, "greenmile/alipay-green-gbk.csv").await;

    assert_eq!((again.imported, again.duplicates), (0, first.imported));
    assert_eq!((again.neutral, again.skipped.len()), (first.neutral, first.skipped.len()));
    assert_eq!(again.net_spend, first.net_spend, "the report still describes the file");
    assert_eq!(again.green, first.green);
    assert_eq!(all_rows(&f).await, stored, "no row changed, no refund applied twice");
}

/// Alipay's 2023 layout in UTF-8, from rows given as text.
fn alipay(rows: &[&str]) -> Vec<u8> {
    let mut text = String::from(
        "交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,商家订单号,备注,\n",
    );
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text.into_bytes()
}

#[tokio::test]
async fn overlapping_exports_and_a_refund_in_a_later_export() {
    let f = cache().await;
    let january = alipay(&[
        "2024-01-05 10:00:00,文化休闲,多抓鱼,/,二手书 一本,支出,30.00,余额,交易成功,A1,M1,,",
        "2024-01-20 10:00:00,交通出行,北京地铁,/,地铁出行 5 km,支出,3.00,余额,交易成功,A2,M2,,",
    ]);
    let february = alipay(&[
        "2024-01-20 10:00:00,交通出行,北京地铁,/,地铁出行 5 km,支出,3.00,余额,交易成功,A2,M2,,",
        "2024-02-02 10:00:00,退款,多抓鱼,/,退款-二手书 一本,不计收支,30.00,余额,退款成功,A1_1,M1,,",
    ]);

    let r1 = import::import_bytes(&f.cache, "january.csv", &january, now()).await.unwrap();
    let r2 = import::import_bytes(&f.cache, "february.csv", &february, now()).await.unwrap();

    assert_eq!((r1.imported, r2.imported, r2.duplicates), (2, 1, 1), "the overlap is not new");
    assert_eq!(cny(&r2.net_spend), 300 - 3000, "February: the metro ride, the refund");
    assert_eq!(cny(&r2.green_net_spend), 300 - 3000, "the refunded purchase is green");
    let rows = all_rows(&f).await;
    let book = rows.iter().find(|b| b.kind == "expense" && b.merchant == "多抓鱼").unwrap();
    assert_eq!((book.amount.minor, book.status), (0, BillStatus::Refunded));
    assert_eq!(book.carbon_g, None, "a purchase refunded in full saves nothing");

    // And in the other order: the refund first, its purchase later.
    let g = cache().await;
    import::import_bytes(&g.cache, "february.csv", &february, now()).await.unwrap();
    let late = import::import_bytes(&g.cache, "january.csv", &january, now()).await.unwrap();
    assert_eq!((late.imported, late.duplicates), (1, 1));
    let rows = all_rows(&g).await;
    let book = rows.iter().find(|b| b.kind == "expense" && b.merchant == "多抓鱼").unwrap();
    assert_eq!(book.status, BillStatus::Refunded, "the earlier refund found its purchase");
}

/// JD's layout, from rows given as text.
fn jd(row: &str) -> Vec<u8> {
    format!(
        "交易时间,商户名称,交易说明,金额,收/付款方式,交易状态,收/支,交易分类,交易订单号,商家订单号,备注\n{row}\n"
    )
    .into_bytes()
}

#[tokio::test]
async fn a_later_export_adds_the_refund_written_beside_an_imported_purchase() {
    let f = cache().await;
    let early = jd(
        "2024-12-28 13:27:56\t,京东平台商户,JEEP 卫衣,131.77,信用卡,交易成功,支出,服饰内衣,1001\t,2001\t, ,",
    );
    let late = jd(
        "2024-12-28 13:27:56\t,京东平台商户,JEEP 卫衣,131.77(已退款89.84),信用卡,交易成功,支出,服饰内衣,1001\t,2001\t, ,",
    );

    import::import_bytes(&f.cache, "early.csv", &early, now()).await.unwrap();
    let r = import::import_bytes(&f.cache, "late.csv", &late, now()).await.unwrap();

    assert_eq!(
        (r.imported, r.duplicates, r.refunds_updated),
        (0, 1, 1),
        "the same row, now refunded"
    );
    let bill = &all_rows(&f).await[0];
    assert_eq!(
        (bill.amount.minor, bill.status),
        (4193, BillStatus::PartiallyRefunded),
        "131.77 − 89.84"
    );

    let again = import::import_bytes(&f.cache, "early.csv", &early, now()).await.unwrap();
    assert_eq!(again.refunds_updated, 0, "an older export does not undo the refund");
    assert_eq!(all_rows(&f).await[0].amount.minor, 4193);
}

async fn assert_refused(f: &Fixture, name: &str, bytes: &[u8], says: &str) {
    let before = imported::count(f.cache.pool()).await.unwrap();
    let err = import::import_bytes(&f.cache, name, bytes, now()).await.unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, CoreError::InvalidInput(_)), "{name}: an input error, got {err:?}");
    assert!(message.contains(name), "{name}: the message names the file: {message}");
    assert!(message.contains(says), "{name}: {message:?} should say {says:?}");
    assert_eq!(imported::count(f.cache.pool()).await.unwrap(), before, "{name}: cache unchanged");
}

#[tokio::test]
async fn bad_files_are_refused_and_change_nothing() {
    let f = cache().await;
    import(&f, "deb-sig/jd-utf8bom.csv").await;

    let jd = std::fs::read(fixture("deb-sig/jd-utf8bom.csv")).unwrap();
    let cut = &jd[..jd.len() - 60];
    assert_refused(&f, "cut.csv", cut, "truncated").await;
    // The pre-2023 Alipay file cut in its ninth line: byte 1909 is the lead byte of a GBK
    // character, so 1909 bytes end inside a row and 1910 inside a character.
    let gbk = std::fs::read(fixture("deb-sig/alipay-pre2023format.csv")).unwrap();
    assert!(gbk[1909] >= 0x81, "byte 1909 starts a two-byte character");
    assert_refused(&f, "cut-row.csv", &gbk[..1909], "truncated").await;
    assert_refused(&f, "cut-char.csv", &gbk[..1910], "in the middle of a character").await;

    assert_refused(&f, "notes.csv", "name,age\nAda,36\n".as_bytes(), "no known bill layout").await;
    let mut encrypted = b"PK\x03\x04\x14\x00\x09\x00\x63\x00".to_vec();
    encrypted.extend_from_slice(&[0; 64]);
    assert_refused(&f, "bill.zip", &encrypted, "password").await;
    let empty_export = alipay(&[]);
    assert_refused(&f, "empty-export.csv", &empty_export, "no transactions").await;
    assert_refused(&f, "zero.csv", b"", "empty").await;
    assert_refused(
        &f,
        "photo.png",
        &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0],
        "binary",
    )
    .await;
    let wb = std::fs::read(fixture("deb-sig/wechat.xlsx")).unwrap();
    assert_refused(&f, "cut.xlsx", &wb[..wb.len() / 2], "truncated").await;
}

/// A device or pipe reports size 0, so the limit must hold while reading: `/dev/zero` never
/// ends, and used to be read until memory ran out.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn an_endless_device_is_refused_at_the_size_limit() {
    let f = cache().await;
    let error = import::import_file(&f.cache, std::path::Path::new("/dev/zero"), now())
        .await
        .expect_err("no export is endless");
    assert_eq!(
        error.to_string(),
        "/dev/zero: more than 52428800 bytes, larger than any bill export"
    );
    assert!(all_rows(&f).await.is_empty(), "nothing was imported");
}

#[tokio::test]
async fn rows_from_the_future_or_with_absurd_quantities_are_skipped_with_their_reason() {
    let f = cache().await;
    let export = alipay(&[
        "2026-11-20 08:00:00,交通出行,北京地铁,/,地铁出行 12 km,支出,4.00,余额,交易成功,F1,M1,,",
        "2099-01-01 08:00:00,交通出行,北京地铁,/,地铁出行 12 km,支出,4.00,余额,交易成功,F2,M2,,",
        "2026-11-21 19:00:00,充电桩,特来电,/,充电 1000000 kWh,支出,30.00,余额,交易成功,F3,M3,,",
        "2026-11-22 08:00:00,交通出行,北京公交,/,公交出行 99999 km,支出,2.00,余额,交易成功,F4,M4,,",
    ]);

    let report = import::import_bytes(&f.cache, "odd.csv", &export, now()).await.unwrap();

    assert_eq!((report.rows, report.imported), (4, 1), "only the ordinary metro ride is kept");
    let lines: Vec<usize> = report.skipped.iter().map(|s| s.line).collect();
    assert_eq!(lines, [3, 4, 5], "header is line 1; each odd row is reported by its line");
    assert!(report.skipped[0].reason.contains("2099-01-01"), "{}", report.skipped[0].reason);
    assert!(report.skipped[1].reason.contains("1000000 kWh"), "{}", report.skipped[1].reason);
    assert!(report.skipped[2].reason.contains("99999 km"), "{}", report.skipped[2].reason);
    assert_eq!(cny(&report.net_spend), 400, "the skipped rows count in no total");
    assert_eq!(all_rows(&f).await.len(), 1, "and none of them is stored");
}

#[tokio::test]
async fn a_green_bill_of_an_absurd_amount_is_skipped_with_its_line_and_reason() {
    let f = cache().await;
    let export = alipay(&[
        "2026-11-20 08:00:00,交通出行,北京地铁,/,地铁出行 12 km,支出,4.00,余额,交易成功,P1,M1,,",
        "2026-11-20 09:00:00,交通出行,北京地铁,/,地铁出行,支出,9999999999.99,余额,交易成功,P2,M2,,",
    ]);

    let report = import::import_bytes(&f.cache, "absurd.csv", &export, now()).await.unwrap();

    assert_eq!((report.rows, report.imported), (2, 1), "only the ¥4.00 ride is kept");
    assert_eq!(report.skipped.len(), 1, "{:?}", report.skipped);
    assert_eq!(report.skipped[0].line, 3, "header on line 1, the absurd ride on line 3");
    assert_eq!(
        report.skipped[0].reason,
        "the amount is ¥9999999999.99, more than a metro, bus or transit-card bill can be \
         (¥1000.00 at most)"
    );
    assert_eq!(cny(&report.net_spend), 400, "the skipped ride counts in no total");
    let rows = all_rows(&f).await;
    assert_eq!(rows.len(), 1, "the skipped ride is not stored");
    assert_eq!(rows[0].amount.minor, 400);
}

#[tokio::test]
async fn a_quantity_in_exponent_notation_is_ignored_not_half_read() {
    let f = cache().await;
    let export = alipay(&[
        "2026-11-21 19:00:00,充电桩,特来电,/,充电 1e308kWh,支出,30.00,余额,交易成功,E1,M1,,",
    ]);

    let report = import::import_bytes(&f.cache, "exponent.csv", &export, now()).await.unwrap();

    assert_eq!((report.imported, report.skipped.len()), (1, 0), "a plausible ¥30.00 charge");
    let charging = category(&report, GreenCategory::EvCharging);
    assert_eq!((charging.bills, charging.carbon_g, charging.carbon_unknown), (1, 0, 1));
    let rows = all_rows(&f).await;
    assert_eq!(rows[0].category, Some(GreenCategory::EvCharging));
    assert_eq!(rows[0].carbon_g, None, "carbon unknown, not that of 308 kWh");
}
