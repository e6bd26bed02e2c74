//! Alipay (支付宝) CSV exports: the mobile layout since February 2023, the layout before it,
//! and the older PC-web layout.
//!
//! The 2023 and pre-2023 layouts share their column names (the older one lacks 备注, uses 其他
//! where the newer says 不计收支, and ends with a footer) and one reader:
//!
//! - A refund (退款成功, 交易分类 退款, 商品说明 `退款-…`) is a separate row. Its order number is
//!   the purchase's, or the purchase's followed by `_…`; with the merchant it is the key that
//!   finds the purchase ([`super::Entry::link_key`]), in this file or the cache.
//! - 交易关闭 (a closed trade) nets to no money: it was never paid, or all of it came back. A
//!   closed trade with a refund row in the file was paid and refunded, so it is kept as a
//!   purchase the refund cancels (an earlier export may have shown it as 交易成功, and the two
//!   must be the same bill); without one it is neutral. Alipay can list one refund twice
//!   (under 其他 and under 收入): the repeat is neutral, since counting both would make the
//!   refund negative spending, as the pre-2023 fixture's golden file does with its 109.90.
//! - 不计收支 / 其他 rows (balance moves, wealth products, repayments) are neither income nor
//!   spending. 亲友代付 and 亲情卡 rows are paid by a relative and marked so.
//!
//! The PC-web layout (about 2019–2022) writes refunds into the purchase's 成功退款（元） column
//! instead, so its separate refund rows are neutral. No openly licensed file of it exists: this
//! reader follows the column list that public parsers describe for it, and its test file was
//! written here from that list.

use std::collections::HashSet;

use super::detect::{Row, Table};
use super::{Entry, Kind, Outcome, amount_of, order_id, time_of};

/// Reads the 2023 and pre-2023 mobile layouts.
pub fn read(table: &Table) -> Vec<(usize, Outcome)> {
    let rows: Vec<(usize, Result<Draft, String>)> =
        table.rows.iter().map(|row| (row.line, draft(table, row))).collect();

    // A closed trade was paid when the file also holds a refund of it.
    // TODO(import-refunds): a closed trade whose refund came in an earlier export, with no
    // 交易成功 row of it ever imported, leaves that refund counted alone; it would need the
    // closed row stored too, to be linked later.
    let refunded: HashSet<String> = rows
        .iter()
        .filter_map(|(_, d)| d.as_ref().ok())
        .filter(|d| d.entry.kind == Kind::Refund)
        .map(|d| d.entry.link_key.clone())
        .collect();

    rows.into_iter()
        .map(|(line, draft)| {
            let outcome = match draft {
                Err(reason) => Outcome::Skipped(reason),
                Ok(d) if d.closed && !refunded.contains(&d.entry.link_key) => Outcome::Neutral(
                    "交易关闭: the trade was closed and nothing was refunded, so no money moved"
                        .into(),
                ),
                Ok(d) if d.closed => {
                    Outcome::Entry(Box::new(Entry { kind: Kind::Expense, ..d.entry }))
                }
                Ok(d) => match d.neutral {
                    Some(reason) => Outcome::Neutral(reason),
                    None => Outcome::Entry(Box::new(d.entry)),
                },
            };
            (line, outcome)
        })
        .collect()
}

struct Draft {
    entry: Entry,
    closed: bool,
    neutral: Option<String>,
}

fn draft(table: &Table, row: &Row) -> Result<Draft, String> {
    let direction = table.text(row, "收/支")?;
    let status = table.text(row, "交易状态")?;
    let category = table.text(row, "交易分类")?;
    let item = table.text(row, "商品说明")?;
    let merchant = table.text(row, "交易对方")?;
    let occurred_at = time_of(table, row, "交易时间")?;
    let cell = amount_of(table, row, "金额")?;
    let order = order_id(&table.text(row, "交易订单号")?);

    let refund = status == "退款成功" || category == "退款" || item.starts_with("退款-");
    let kind = if refund {
        Kind::Refund
    } else if direction == "收入" {
        Kind::Income
    } else {
        Kind::Expense
    };
    // A refund's order number is the purchase's, or the purchase's with `_suffix`.
    let base = order.split('_').next().unwrap_or_default();
    let link_key = format!("{base}|{merchant}");

    let neutral = if refund {
        None
    } else if status.contains("等待付款") || status.contains("未付款") {
        Some(format!("{status}: not paid yet, no money moved"))
    } else if direction == "支出" || direction == "收入" {
        None
    } else if category == "投资理财" {
        Some(format!("{direction}: a move into or out of a wealth product"))
    } else {
        Some(format!(
            "{}: neither income nor spending ({category})",
            blank_as(&direction, "收/支 empty")
        ))
    };

    let entry = Entry {
        kind,
        occurred_at,
        order_id: order,
        merchant,
        paid_by_relative: category == "亲友代付"
            || item.contains("亲情卡")
            || item.contains("亲友代付"),
        item,
        platform_category: category,
        payment_method: table.text_or_empty(row, "收/付款方式")?,
        platform_status: status.clone(),
        gross: cell.gross,
        refunded_in_cell: cell.refunded_minor,
        link_key,
    };
    Ok(Draft { entry, closed: status == "交易关闭" && !refund, neutral })
}

fn blank_as(text: &str, instead: &str) -> String {
    if text.is_empty() { instead.to_owned() } else { text.to_owned() }
}

/// Reads the PC-web layout with its 成功退款（元） column.
pub fn read_pc_web(table: &Table) -> Vec<(usize, Outcome)> {
    table
        .rows
        .iter()
        .map(|row| (row.line, pc_web_row(table, row).unwrap_or_else(Outcome::Skipped)))
        .collect()
}

fn pc_web_row(table: &Table, row: &Row) -> Result<Outcome, String> {
    let direction = table.text(row, "收/支")?;
    let status = table.text(row, "交易状态")?;
    let kind_text = table.text_or_empty(row, "类型")?;
    let item = table.text(row, "商品名称")?;
    let paid = table.text_or_empty(row, "付款时间")?;
    let occurred_at = if paid.is_empty() {
        time_of(table, row, "交易创建时间")?
    } else {
        time_of(table, row, "付款时间")?
    };
    let mut cell = amount_of(table, row, "金额(元)")?;
    let refunded = table.text_or_empty(row, "成功退款(元)")?;
    if !refunded.is_empty() {
        let refund = super::amount::parse_amount_cell(&refunded).map_err(|e| e.to_string())?;
        if refund.gross.minor > cell.gross.minor {
            return Err(format!("成功退款 {refunded} is more than the amount"));
        }
        cell.refunded_minor = refund.gross.minor;
    }

    if status == "交易关闭" {
        return Ok(Outcome::Neutral("交易关闭: the trade was closed, so no money moved".into()));
    }
    if kind_text.contains("退款") || status == "退款成功" || item.starts_with("退款-") {
        return Ok(Outcome::Neutral(
            "a refund row: PC-web exports already subtract it in the purchase's 成功退款（元）"
                .into(),
        ));
    }
    let kind = match direction.as_str() {
        "支出" => Kind::Expense,
        "收入" => Kind::Income,
        _ => {
            let what = table.text_or_empty(row, "资金状态")?;
            return Ok(Outcome::Neutral(format!(
                "{}: neither income nor spending",
                if what.is_empty() { "收/支 empty".to_owned() } else { what }
            )));
        }
    };
    let merchant = table.text(row, "交易对方")?;
    Ok(Outcome::Entry(Box::new(Entry {
        kind,
        occurred_at,
        order_id: order_id(&table.text(row, "交易号")?),
        link_key: String::new(),
        paid_by_relative: item.contains("亲情卡") || item.contains("亲友代付"),
        merchant,
        item,
        platform_category: kind_text,
        payment_method: String::new(),
        platform_status: status,
        gross: cell.gross,
        refunded_in_cell: cell.refunded_minor,
    })))
}
