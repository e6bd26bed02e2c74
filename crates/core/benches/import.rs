//! How fast payment exports are imported: `cargo bench -p greenmile-core --bench import`.
//!
//! For each layout the bench writes a 100,000-row export in memory (deterministic: a fixed
//! seed, timestamps rising from 2024-01-01), imports it into a fresh SQLite file with the real
//! importer ([`import::import_bytes`]: layout detection, decoding, meaning, green rules,
//! carbon, one transaction) and, in the same run, reads the same bytes with the csv crate
//! alone (records only: no decoding, no meaning, no database) as the baseline. One line per
//! layout, for `scripts/bench.sh` to collect:
//!
//! `import <layout>: <rows> rows in <s> s = <rows/s> rows/s; baseline <name> <rows/s> rows/s;
//! ratio <x>`
//!
//! where the ratio is the baseline's rows/s over the import's: how many times longer the
//! import takes than merely splitting the file into records. `GREENMILE_BENCH_ROWS` changes
//! the row count.

#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::fmt::Write as _;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use greenmile_core::Cache;
use greenmile_core::import::{self, Format};

/// The rows of each generated export.
const DEFAULT_ROWS: usize = 100_000;

/// What a generated row buys: a merchant, an item, a platform category and a price range, in
/// the mix of a household's spending (green rides and charges, second-hand goods, meals).
const PURCHASES: [(&str, &str, &str, i64); 8] = [
    ("北京地铁", "地铁出行 {km} km", "交通出行", 300),
    ("北京公交", "公交出行", "交通出行", 200),
    ("哈啰单车", "单车骑行", "交通出行", 150),
    ("特来电", "充电订单 {kwh}度", "爱车养车", 4_000),
    ("多抓鱼", "二手书 {n}", "文化休闲", 3_500),
    ("某餐厅", "午餐", "餐饮美食", 3_800),
    ("盒马", "有机纯牛奶 {n}盒", "日用百货", 7_990),
    ("京东平台商户", "USB 数据线 {n}", "数码电器", 2_990),
];

/// One generated row, before a layout writes it.
struct Purchase {
    at: String,
    order: String,
    merchant: &'static str,
    item: String,
    category: &'static str,
    fen: i64,
}

fn purchases(rows: usize) -> Vec<Purchase> {
    let mut rng = fastrand::Rng::with_seed(2024);
    let start = DateTime::parse_from_rfc3339("2024-01-01T00:00:00+08:00").unwrap().to_utc();
    (0..rows)
        .map(|n| {
            let (merchant, item, category, fen) = PURCHASES[rng.usize(..PURCHASES.len())];
            let at = start + Duration::seconds(37 * n as i64) + Duration::hours(8);
            let item = item
                .replace("{km}", &format!("{}.{}", rng.u32(1..30), rng.u32(0..10)))
                .replace("{kwh}", &format!("{}.{}", rng.u32(5..60), rng.u32(0..10)))
                .replace("{n}", &n.to_string());
            Purchase {
                at: at.format("%Y-%m-%d %H:%M:%S").to_string(),
                order: format!("2024{n:020}"),
                merchant,
                item,
                category,
                fen: fen + rng.i64(0..fen),
            }
        })
        .collect()
}

fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// The export of `rows` purchases in `format`'s layout, as the platform writes it.
fn export(format: Format, rows: &[Purchase]) -> Vec<u8> {
    let mut text = String::with_capacity(rows.len() * 160);
    match format {
        Format::AlipayCsv => {
            for _ in 0..22 {
                text.push_str("------------------------------------------------------------\n");
            }
            text.push_str("导出信息：\n支付宝（中国）网络技术有限公司  电子客户回单\n");
            text.push_str(
                "交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,\
                 交易订单号,商家订单号,备注,\n",
            );
            for r in rows {
                let (at, cat, who, item, amount, id) =
                    (&r.at, r.category, r.merchant, &r.item, yuan(r.fen), &r.order);
                let _ = writeln!(
                    text,
                    "{at},{cat},{who},/,{item},支出,{amount},余额,交易成功,{id}\t,M{id}\t,,"
                );
            }
            return encoding_rs::GBK.encode(&text).0.into_owned();
        }
        Format::AlipayCsvPre2023 => {
            text.push_str("支付宝交易记录明细查询\n账号:[test@example.com]\n");
            text.push_str(
                "收/支,交易对方,对方账号,商品说明,收/付款方式,金额,交易状态,交易分类,交易订单号,\
                 商家订单号,交易时间,\n",
            );
            for r in rows {
                let (at, cat, who, item, amount, id) =
                    (&r.at, r.category, r.merchant, &r.item, yuan(r.fen), &r.order);
                let _ = writeln!(
                    text,
                    "支出,{who},,{item},余额,{amount},交易成功,{cat},{id}\t,M{id}\t,{at},"
                );
            }
            return encoding_rs::GBK.encode(&text).0.into_owned();
        }
        Format::AlipayPcWeb => {
            text.push_str("支付宝交易记录明细查询\n账号:[test@example.com]\n");
            text.push_str(
                "交易号,商家订单号,交易创建时间,付款时间,最近修改时间,交易来源地,类型,交易对方,\
                 商品名称,金额（元）,收/支,交易状态,服务费（元）,成功退款（元）,备注,资金状态,\n",
            );
            for r in rows {
                let (at, who, item, amount, id) =
                    (&r.at, r.merchant, &r.item, yuan(r.fen), &r.order);
                let _ = writeln!(
                    text,
                    "{id}\t,T{id}\t,{at},{at},{at},其他,即时到账交易,{who},{item},{amount},支出,\
                     交易成功,0.00,0.00,,已支出,"
                );
            }
            return encoding_rs::GBK.encode(&text).0.into_owned();
        }
        // The workbook's rows are written as the CSV export; the workbook is not generated.
        Format::WechatCsv | Format::WechatXlsx => {
            text.push('\u{feff}');
            text.push_str("微信支付账单明细,,,,,,,,,,\n");
            for _ in 0..15 {
                text.push_str(",,,,,,,,,,\n");
            }
            text.push_str("交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注\n");
            for r in rows {
                let (at, who, item, amount, id) =
                    (&r.at, r.merchant, &r.item, yuan(r.fen), &r.order);
                let _ = writeln!(
                    text,
                    "{at},商户消费,{who},{item},支出,¥{amount},零钱,支付成功,{id}\t,M{id}\t,/"
                );
            }
        }
        Format::JdCsv => {
            text.push('\u{feff}');
            text.push_str("交易时间,商户名称,交易说明,金额,收/付款方式,交易状态,收/支,交易分类,交易订单号,商家订单号,备注\n");
            for r in rows {
                let (at, who, item, amount, id) =
                    (&r.at, r.merchant, &r.item, yuan(r.fen), &r.order);
                let _ = writeln!(
                    text,
                    "{at}\t,{who},{item},{amount},钱包余额,交易成功,支出,{},{id}\t,M{id}\t, ,",
                    r.category
                );
            }
        }
        Format::MeituanCsv => {
            text.push('\u{feff}');
            text.push_str("\"\"\r\n美团账单\r\n");
            text.push_str(
                "交易创建时间,交易成功时间,交易类型,订单标题,收/支,支付方式,订单金额,实付金额,\
                 交易单号,商家单号,备注\r\n",
            );
            for r in rows {
                let (at, item, amount, id) = (&r.at, &r.item, yuan(r.fen), &r.order);
                let _ = write!(
                    text,
                    "{at},{at},支付,{item},支出,美团月付,¥{amount},¥{amount},\"{id}\t\",\"M{id}\t\",/\r\n"
                );
            }
        }
    }
    text.into_bytes()
}

/// The baseline: the same bytes split into CSV records by the csv crate, nothing more.
fn csv_records(bytes: &[u8]) -> usize {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut n = 0;
    while reader.read_byte_record(&mut record).unwrap() {
        n += 1;
    }
    n
}

fn main() {
    let rows = std::env::var("GREENMILE_BENCH_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_ROWS);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let purchases = purchases(rows);
    let now = Utc::now();

    // TODO(import-bench-xlsx): the WeChat workbook layout is not generated: no xlsx writer is
    // a dependency yet, and calamine only reads.
    let layouts = [
        Format::AlipayCsv,
        Format::AlipayCsvPre2023,
        Format::AlipayPcWeb,
        Format::WechatCsv,
        Format::JdCsv,
        Format::MeituanCsv,
    ];
    for format in layouts {
        let bytes = export(format, &purchases);

        let started = Instant::now();
        let records = csv_records(&bytes);
        let baseline = rows as f64 / started.elapsed().as_secs_f64();
        assert!(records > rows, "{}: the baseline saw every row", format.as_str());

        // The reading alone (layout, decoding, meaning), to tell it from the database's part.
        let started = Instant::now();
        let read = import::read_export(&bytes).unwrap();
        let reading = rows as f64 / started.elapsed().as_secs_f64();
        assert_eq!(read.rows.len(), rows);
        drop(read);

        let dir = tempfile::tempdir().unwrap();
        let report = runtime.block_on(async {
            let cache = Cache::open(&dir.path().join("bench.sqlite")).await.unwrap();
            let started = Instant::now();
            let report = import::import_bytes(&cache, format.as_str(), &bytes, now).await.unwrap();
            let seconds = started.elapsed().as_secs_f64();
            cache.close().await;
            (report, seconds)
        });
        let (report, seconds) = report;
        assert_eq!(report.format, format, "the layout is recognised");
        assert_eq!(
            (report.rows, report.imported),
            (rows, rows),
            "{}: every row imported: {:?}",
            format.as_str(),
            report.skipped.first()
        );

        let rate = rows as f64 / seconds;
        println!(
            "import {}: {rows} rows in {seconds:.3} s = {rate:.0} rows/s; baseline csv-records \
             {baseline:.0} rows/s; ratio {:.1}",
            format.as_str(),
            baseline / rate
        );
        println!("  {}: reading alone {reading:.0} rows/s", format.as_str());
    }
}
