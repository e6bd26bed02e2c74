//! Meituan (美团) CSV exports.
//!
//! Meituan lists what was ordered (订单金额) and what was paid after discounts (实付金额); the
//! money is the amount paid. A refund (交易类型 退款, 收/支 收入) is its own row with its own
//! numbers and no reference to the purchase; it carries the purchase's 订单标题, which is the
//! key that finds the purchase ([`super::Entry::link_key`]). 还款 rows repay 美团月付 credit for
//! purchases that are listed themselves, so they are neutral. There is no merchant column: the
//! merchant is the platform and the title names the shop.

use super::detect::{Row, Table};
use super::{Entry, Kind, Outcome, amount_of, order_id, time_of};

/// Reads the rows of a Meituan export.
pub fn read(table: &Table) -> Vec<(usize, Outcome)> {
    table.read_rows(read_row)
}

fn read_row(table: &Table, row: &Row) -> Result<Outcome, String> {
    let kind_text = table.text(row, "交易类型")?;
    let direction = table.text(row, "收/支")?;
    let title = table.text(row, "订单标题")?;
    let succeeded = table.text_or_empty(row, "交易成功时间")?;
    let occurred_at = if succeeded.is_empty() {
        time_of(table, row, "交易创建时间")?
    } else {
        time_of(table, row, "交易成功时间")?
    };
    let cell = amount_of(table, row, "实付金额")?;

    let kind = match (kind_text.as_str(), direction.as_str()) {
        ("还款", _) => {
            return Ok(Outcome::Neutral(
                "还款: repays 美团月付 credit for purchases listed themselves".into(),
            ));
        }
        ("退款", _) => Kind::Refund,
        (_, "支出") => Kind::Expense,
        (_, "收入") => Kind::Income,
        _ => {
            return Ok(Outcome::Neutral(format!(
                "{kind_text}: neither income nor spending (收/支 {direction})"
            )));
        }
    };

    Ok(Outcome::Entry(Box::new(Entry {
        kind,
        occurred_at,
        order_id: order_id(&table.text(row, "交易单号")?),
        merchant: "美团".to_owned(),
        link_key: title.clone(),
        item: title,
        platform_category: kind_text,
        payment_method: table.text_or_empty(row, "支付方式")?,
        platform_status: String::new(),
        paid_by_relative: false,
        gross: cell.gross,
        refunded_in_cell: cell.refunded_minor,
    })))
}
