//! Importing bills from payment exports: Alipay, WeChat Pay, JD and Meituan.
//!
//! Most people in GreenMile's first market hold their spending as these exports. Reading them
//! shows green spending and carbon savings before any finance account is linked. The pieces
//! shared by every format come first: export times are China wall-clock text read into UTC
//! instants ([`time`]), and amount cells are read exactly into integer fen ([`amount`]).

pub mod amount;
pub mod time;
