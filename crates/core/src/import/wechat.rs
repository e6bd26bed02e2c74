//! WeChat Pay (微信支付) exports: the CSV, and the xlsx workbooks of 2025 (header on row 17)
//! and 2026 (row 18, amounts as number cells). All share one set of column names.
//!
//! - 收/支 `/` marks a neutral move: 零钱提现, 零钱通 and 理财通 moves, 信用卡还款, 零钱充值.
//! - A refund is written into the purchase's 当前状态 (`已全额退款`, `已退款(￥5.00)`), so a
//!   separate refund row (交易类型 `…-退款`) repeats it and is neutral.
//! - A 交易类型 outside the families WeChat uses is skipped with its name: the row's meaning
//!   cannot be told, and the fixture's `deg-不认识的-txType` shows such rows exist.
//! - 亲属卡交易 rows are paid from a relative's card and marked so.

use super::amount::parse_amount_cell;
use super::detect::{Row, Table};
use super::{Entry, Kind, Outcome, amount_of, order_id, time_of};

/// Words of the 交易类型 families WeChat Pay exports use.
const KNOWN_TYPES: [&str; 20] = [
    "商户消费",
    "红包",
    "扫二维码付款",
    "二维码收款",
    "转账",
    "零钱",
    "理财通",
    "信用卡还款",
    "亲属卡",
    "赞赏码",
    "其他",
    "分分捐",
    "群收款",
    "充值",
    "退款",
    "提现",
    "还款",
    "缴费",
    "医保",
    "面对面",
];

/// Reads the rows of a WeChat Pay CSV or workbook.
pub fn read(table: &Table) -> Vec<(usize, Outcome)> {
    table.read_rows(read_row)
}

fn read_row(table: &Table, row: &Row) -> Result<Outcome, String> {
    let kind_text = table.text(row, "交易类型")?;
    let direction = table.text(row, "收/支")?;
    let status = table.text(row, "当前状态")?;
    let occurred_at = time_of(table, row, "交易时间")?;
    let mut cell = amount_of(table, row, "金额(元)")?;

    if !KNOWN_TYPES.iter().any(|k| kind_text.contains(k)) {
        return Err(format!(
            "unknown WeChat Pay 交易类型 {kind_text:?}: its meaning cannot be told"
        ));
    }
    if kind_text.contains("退款") {
        return Ok(Outcome::Neutral(
            "a refund row: WeChat Pay already writes it into the purchase's 当前状态".into(),
        ));
    }
    if ["已关闭", "支付失败", "对方已退还", "已退还"].iter().any(|s| status.contains(s))
    {
        return Ok(Outcome::Neutral(format!("{status}: the payment did not go through")));
    }
    let kind = match direction.as_str() {
        "支出" => Kind::Expense,
        "收入" => Kind::Income,
        _ => {
            // TODO(import-fees): a withdrawal's 服务费 (in 备注, `服务费¥0.10`) is money the
            // user paid; it is not counted yet because no other export states fees this way.
            return Ok(Outcome::Neutral(format!(
                "{kind_text}: a neutral move (收/支 {}), neither income nor spending",
                if direction.is_empty() { "empty" } else { &direction }
            )));
        }
    };

    cell.refunded_minor = refunded_in_status(&status, cell.gross.minor)?;
    let product = table.text(row, "商品")?;
    Ok(Outcome::Entry(Box::new(Entry {
        kind,
        occurred_at,
        order_id: order_id(&table.text(row, "交易单号")?),
        merchant: table.text(row, "交易对方")?,
        item: if product == "/" { String::new() } else { product },
        paid_by_relative: kind_text.contains("亲属卡"),
        platform_category: kind_text,
        payment_method: table.text_or_empty(row, "支付方式")?,
        platform_status: status,
        gross: cell.gross,
        refunded_in_cell: cell.refunded_minor,
        link_key: String::new(),
    })))
}

/// The refund a 当前状态 reports: all of it for 已全额退款, the amount in `已退款(￥5.00)`.
fn refunded_in_status(status: &str, gross: i64) -> Result<i64, String> {
    if status.contains("已全额退款") {
        return Ok(gross);
    }
    let Some(rest) = status.split_once("已退款").map(|(_, r)| r) else {
        return Ok(0);
    };
    let inner = rest.trim().trim_start_matches(['(', '（']).trim_end_matches([')', '）']);
    if inner.is_empty() {
        return Err(format!("当前状态 {status:?} says refunded but not how much"));
    }
    let refund = parse_amount_cell(inner).map_err(|e| format!("当前状态 {status:?}: {e}"))?;
    if refund.gross.minor > gross {
        return Err(format!("当前状态 {status:?} refunds more than was paid"));
    }
    Ok(refund.gross.minor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refunds_written_in_the_status() {
        assert_eq!(refunded_in_status("支付成功", 1000), Ok(0));
        assert_eq!(refunded_in_status("已全额退款", 1000), Ok(1000));
        assert_eq!(refunded_in_status("已退款(￥5.00)", 1000), Ok(500));
        assert_eq!(refunded_in_status("已退款￥2.50", 1000), Ok(250));
        assert!(refunded_in_status("已退款", 1000).is_err());
        assert!(refunded_in_status("已退款(￥50.00)", 1000).is_err());
    }
}
