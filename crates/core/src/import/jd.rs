//! JD (京东) CSV exports.
//!
//! JD writes a partial refund into the purchase's amount cell (`131.77(已退款89.84)`) and a
//! full one as `468.32(已全额退款)` under 收/支 不计收支, and lists every refund again as its own
//! 不计收支 row: those rows are neutral, or the refund would count twice. The purchase keeps its
//! full amount and the refund beside it. Other 不计收支 rows (先享后付 pay-later holds, zero
//! rows) moved no money of the user's. The time cell ends with a TAB.

use super::detect::{Row, Table};
use super::{Entry, Kind, Outcome, amount_of, order_id, time_of};

/// Reads the rows of a JD export.
pub fn read(table: &Table) -> Vec<(usize, Outcome)> {
    table.read_rows(read_row)
}

fn read_row(table: &Table, row: &Row) -> Result<Outcome, String> {
    let direction = table.text(row, "收/支")?;
    let status = table.text(row, "交易状态")?;
    let item = table.text(row, "交易说明")?;
    let occurred_at = time_of(table, row, "交易时间")?;
    let cell = amount_of(table, row, "金额")?;

    if status == "退款成功" || item.starts_with("退款-") {
        return Ok(Outcome::Neutral(
            "a refund row: JD already subtracts it in the purchase's amount cell (已退款…)".into(),
        ));
    }
    if status == "交易关闭" {
        return Ok(Outcome::Neutral("交易关闭: the trade was closed, so no money moved".into()));
    }
    let fully_refunded = cell.gross.minor > 0 && cell.refunded_minor == cell.gross.minor;
    let kind = match direction.as_str() {
        "支出" => Kind::Expense,
        "不计收支" if fully_refunded => Kind::Expense,
        "收入" => Kind::Income,
        _ => {
            let category = table.text_or_empty(row, "交易分类")?;
            return Ok(Outcome::Neutral(format!(
                "{}: neither income nor spending ({category})",
                if direction.is_empty() { "收/支 empty" } else { &direction }
            )));
        }
    };

    Ok(Outcome::Entry(Box::new(Entry {
        kind,
        occurred_at,
        order_id: order_id(&table.text(row, "交易订单号")?),
        merchant: table.text(row, "商户名称")?,
        item,
        platform_category: table.text_or_empty(row, "交易分类")?,
        payment_method: table.text_or_empty(row, "收/付款方式")?,
        platform_status: status,
        paid_by_relative: false,
        gross: cell.gross,
        refunded_in_cell: cell.refunded_minor,
        link_key: String::new(),
    })))
}
