//! One bill's carbon figure, explained from the cache alone.
//!
//! [`explain`] takes what the cache holds for a bill (its API figure and the trace that came
//! with it) and recomputes the figure with this app's method from the stored inputs. The
//! explanation names the method and its version, every factor with its published source, the
//! baseline, whether the figure is measured or estimated, and the arithmetic step by step. The
//! app shows the API's figure; when this app's differs (a newer method version, a changed
//! factor, a partial refund the server did not apply) both are given. A bill without a figure
//! says why: refunded in full, no method for its category, or no figure sent.
//!
//! A bill imported from a payment export has no API figure: its figure is the one this app
//! computed from what the row states ([`crate::import::green`]), kept on the row, and explained
//! the same way with `source` saying so.

use chrono::{DateTime, Utc};
use greenmile_api::{
    BillStatus, CarbonActivity, CarbonBasis, CarbonConfidence, CarbonFigure, GreenCategory, Money,
};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use ts_rs::TS;

use super::{Activity, Estimate, Factor, MethodId};
use crate::db::bills::{self, BillSource};
use crate::db::imported;
use crate::error::{CoreError, Result};

/// What the cache holds about one bill's carbon.
#[derive(Debug, Clone, PartialEq)]
pub struct BillCarbon {
    /// The bill's id.
    pub id: String,
    /// When it was paid.
    pub occurred_at: DateTime<Utc>,
    /// Who was paid.
    pub merchant: String,
    /// What was bought.
    pub item: String,
    /// Why it is green.
    pub category: GreenCategory,
    /// Where it stands.
    pub status: BillStatus,
    /// What was finally paid.
    pub amount: Money,
    /// The figure with its trace: the API's for a synced bill, this app's for an imported one.
    pub figure: Option<CarbonFigure>,
    /// Synced or imported.
    pub source: BillSource,
    /// For an imported bill, the export layout it was read from.
    pub file_format: Option<String>,
}

/// Why a bill has no carbon figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NoFigure {
    /// The bill was refunded in full: nothing was bought, so nothing was saved.
    Refunded,
    /// No method covers the bill's category (green food, recycling): unknown, not zero.
    NoMethod,
    /// The category has a method but the export row states none of its inputs (a distance,
    /// kWh): unknown, not zero.
    NotInFile,
    /// The category has a method but the API sent no figure: unknown, not zero.
    NotProvided,
}

/// Why the API's figure could not be recomputed here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NotRecomputed {
    /// The API sent the figure without its inputs (a server older than traces).
    NoInputs,
    /// This app's method refused the stored inputs, or has no method for them.
    InputsRefused,
}

/// A figure and the method that produced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FigureSource {
    /// Grams of CO2e saved.
    #[ts(type = "number")]
    pub grams: i64,
    /// The method, `name@version`.
    pub method: String,
}

/// The method behind an explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MethodInfo {
    /// `name@version`.
    pub id: String,
    /// The name, stable across versions.
    pub name: String,
    /// The version; it rises whenever the formula or a factor value it reads changes.
    pub version: u32,
    /// The formula in words and symbols.
    pub formula: String,
}

/// One factor as the explanation lists it: the value each side used and its published source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FactorDetail {
    /// The factor's id.
    pub id: String,
    /// What its value counts.
    pub unit: String,
    /// The value this app's method read; null when only the API's figure used the factor.
    pub local_value: Option<f64>,
    /// The value the API's figure was computed with; null when its trace does not name it.
    pub api_value: Option<f64>,
    /// The factor as this app's table publishes it (source document, publisher, year,
    /// licence, confidence, why it was chosen); null when the table does not have it.
    pub published: Option<Factor>,
}

/// Everything needed to check a bill's carbon figure by hand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CarbonExplanation {
    /// The bill's id.
    pub bill_id: String,
    /// Synced from the Green API (`api` is the server's figure) or imported from a file (the
    /// figure is this app's, from what the row states).
    pub source: BillSource,
    /// For an imported bill, the export layout it was read from, such as `alipay_csv`.
    pub file_format: Option<String>,
    /// When it was paid.
    #[ts(type = "string")]
    pub occurred_at: DateTime<Utc>,
    /// Who was paid.
    pub merchant: String,
    /// What was bought.
    pub item: String,
    /// Why it is green.
    pub category: GreenCategory,
    /// Where the bill stands.
    pub status: BillStatus,
    /// What was finally paid.
    pub amount: Money,
    /// The figure the app shows: the API's, or for an imported bill the one stored at import;
    /// null when there is none (see `no_figure`).
    #[ts(type = "number | null")]
    pub grams: Option<i64>,
    /// Why there is no figure: `refunded` means nothing was saved; the others mean unknown.
    pub no_figure: Option<NoFigure>,
    /// `no_figure` in English words, for the detail line.
    pub no_figure_reason: Option<String>,
    /// The API's figure as synced; for an imported bill, the figure stored at import.
    pub api: Option<FigureSource>,
    /// This app's figure, recomputed from the stored inputs with its current method.
    pub local: Option<FigureSource>,
    /// Why there is no local figure although the API sent one.
    pub not_recomputed: Option<NotRecomputed>,
    /// Whether the two figures differ in grams or method; then both are worth showing.
    pub differs: bool,
    /// The method of the local figure, else the API's when this app knows it.
    pub method: Option<MethodInfo>,
    /// The method's inputs.
    pub activity: Option<CarbonActivity>,
    /// Every factor either figure used, the local method's first, in formula order.
    pub factors: Vec<FactorDetail>,
    /// What the saving is measured against.
    pub baseline: Option<String>,
    /// Whether the figure rests on a recorded quantity or on an estimate.
    pub basis: Option<CarbonBasis>,
    /// How far the figure can be trusted.
    pub confidence: Option<CarbonConfidence>,
    /// The local figure's arithmetic, one step a line.
    pub arithmetic: Vec<String>,
}

/// The explanation of bill `id`'s carbon figure, synced or imported, from the cache alone.
pub async fn explain_bill(pool: &SqlitePool, id: &str) -> Result<CarbonExplanation> {
    if let Some(bill) = bills::carbon_of(pool, id).await? {
        return Ok(explain(&bill));
    }
    let bill = imported::carbon_of(pool, id)
        .await?
        .ok_or_else(|| CoreError::InvalidInput(format!("there is no bill {id:?} in the cache")))?;
    Ok(explain(&bill))
}

/// Explains `bill`'s figure and recomputes it with this app's methods.
pub fn explain(bill: &BillCarbon) -> CarbonExplanation {
    let mut out = CarbonExplanation {
        bill_id: bill.id.clone(),
        source: bill.source,
        file_format: bill.file_format.clone(),
        occurred_at: bill.occurred_at,
        merchant: bill.merchant.clone(),
        item: bill.item.clone(),
        category: bill.category,
        status: bill.status,
        amount: bill.amount.clone(),
        grams: None,
        no_figure: None,
        no_figure_reason: None,
        api: None,
        local: None,
        not_recomputed: None,
        differs: false,
        method: None,
        activity: None,
        factors: Vec::new(),
        baseline: None,
        basis: None,
        confidence: None,
        arithmetic: Vec::new(),
    };

    let figure = match (&bill.figure, bill.status) {
        (_, BillStatus::Refunded) => {
            return no_figure(
                out,
                NoFigure::Refunded,
                "refunded in full: nothing was bought, so nothing was saved".to_owned(),
            );
        }
        (None, _) => {
            let (why, reason) = match super::method_for(bill.category) {
                Err(none) => (
                    NoFigure::NoMethod,
                    format!("no carbon method covers {}: {}", bill.category.as_str(), none.reason),
                ),
                Ok(method) if bill.source == BillSource::File => (
                    NoFigure::NotInFile,
                    format!(
                        "the export states none of the inputs {method} needs (a distance, kWh \
                         or the kind of goods)"
                    ),
                ),
                Ok(method) => (
                    NoFigure::NotProvided,
                    format!(
                        "the server sent no figure, and {method} needs inputs only the server has"
                    ),
                ),
            };
            return no_figure(out, why, reason);
        }
        (Some(figure), _) => figure,
    };

    out.grams = Some(figure.grams);
    out.api = Some(FigureSource { grams: figure.grams, method: figure.method.clone() });
    out.method = MethodId::parse(&figure.method).map(method_info);

    let Some(trace) = &figure.trace else {
        out.not_recomputed = Some(NotRecomputed::NoInputs);
        return out;
    };
    out.activity = Some(trace.activity.clone());
    out.baseline = Some(trace.baseline.clone());
    out.basis = Some(trace.basis);
    out.confidence = Some(trace.confidence);
    out.factors =
        trace.factors.iter().map(|f| detail(&f.id, &f.unit, None, Some(f.value))).collect();

    let activity = super::after_refund(Activity::from(&trace.activity), bill.status, &bill.amount);
    match activity.as_ref().map(super::estimate) {
        Some(Ok(estimate)) => recomputed(&mut out, estimate),
        Some(Err(error)) => {
            tracing::debug!(bill.id = %bill.id, %error, "stored carbon inputs refused");
            out.not_recomputed = Some(NotRecomputed::InputsRefused);
        }
        None => out.not_recomputed = Some(NotRecomputed::InputsRefused),
    }
    out
}

fn no_figure(mut out: CarbonExplanation, why: NoFigure, reason: String) -> CarbonExplanation {
    out.no_figure = Some(why);
    out.no_figure_reason = Some(reason);
    out
}

/// Fills in the local side: the figure, its method, its factors beside the API's, and the
/// arithmetic. The API's trace stays for what only it names.
fn recomputed(out: &mut CarbonExplanation, estimate: Estimate) {
    let local = FigureSource { grams: estimate.grams, method: estimate.method.to_string() };
    out.differs = out.api.as_ref() != Some(&local);
    out.local = Some(local);
    out.method = Some(method_info(estimate.method));
    out.activity = Some(CarbonActivity::from(&estimate.activity));
    out.baseline = Some(estimate.baseline);
    out.basis = Some(estimate.basis);
    out.confidence = Some(estimate.confidence);
    out.arithmetic = estimate.steps;

    let api_side = std::mem::take(&mut out.factors);
    let mut factors: Vec<FactorDetail> = estimate
        .factors
        .iter()
        .map(|f| {
            let api_value = api_side.iter().find(|a| a.id == f.id).and_then(|a| a.api_value);
            detail(&f.id, &f.unit, Some(f.value), api_value)
        })
        .collect();
    factors.extend(api_side.into_iter().filter(|a| !estimate.factors.iter().any(|f| f.id == a.id)));
    out.factors = factors;
}

fn detail(id: &str, unit: &str, local_value: Option<f64>, api_value: Option<f64>) -> FactorDetail {
    FactorDetail {
        id: id.to_owned(),
        unit: unit.to_owned(),
        local_value,
        api_value,
        published: super::factors().get(id).cloned(),
    }
}

fn method_info(method: MethodId) -> MethodInfo {
    MethodInfo {
        id: method.to_string(),
        name: method.name.to_owned(),
        version: method.version,
        formula: method.formula().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use greenmile_api::TransitMode;

    use super::*;
    use crate::carbon::{Goods, estimate};

    fn bill(category: GreenCategory, status: BillStatus, paid: i64) -> BillCarbon {
        BillCarbon {
            id: "b-1".to_owned(),
            occurred_at: Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap(),
            merchant: "m".to_owned(),
            item: "i".to_owned(),
            category,
            status,
            amount: Money::cny(paid),
            figure: None,
            source: BillSource::Api,
            file_format: None,
        }
    }

    #[test]
    fn a_current_figure_recomputes_to_itself_with_every_source_named() {
        let mut b = bill(GreenCategory::PublicTransport, BillStatus::Posted, 400);
        let trip = Activity::Transit { mode: TransitMode::Bus, km: 8.5 };
        b.figure = Some(estimate(&trip).unwrap().figure());

        let e = explain(&b);
        // 8.5 km × (0.16691 − 0.10846) kg/km = 0.496825 kg → 497 g.
        assert_eq!(e.grams, Some(497));
        assert_eq!(e.local, e.api, "the local figure is the API's");
        assert!(!e.differs);
        assert_eq!(e.method.unwrap().id, "transit-distance@1");
        assert_eq!(e.basis, Some(CarbonBasis::Measured));
        let ids: Vec<&str> = e.factors.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["uk-car-average-2024", "uk-bus-local-2024"]);
        for f in &e.factors {
            assert_eq!(f.local_value, f.api_value, "{} has one value on both sides", f.id);
            let published = f.published.as_ref().unwrap();
            assert_eq!(published.licence, "Open Government Licence v3.0");
            assert_eq!(published.year, 2024);
        }
        assert_eq!(
            e.arithmetic.last().unwrap(),
            "0.496825 kg = 497 g, rounded once to the nearest gram"
        );
    }

    #[test]
    fn a_figure_the_server_computed_differently_shows_both() {
        let mut b = bill(GreenCategory::SecondHand, BillStatus::PartiallyRefunded, 4_000);
        // The server kept the figure of the whole ¥100.00 after ¥60.00 came back.
        let whole = Activity::SecondHand { spend: Money::cny(10_000), goods: Goods::Books };
        b.figure = Some(estimate(&whole).unwrap().figure());

        let e = explain(&b);
        assert_eq!(e.grams, Some(5458), "the app shows the API's figure");
        // ¥40.00 ÷ 7.7355 × 0.4222054752 kg/€ = 2.183210 kg: the spend follows the money.
        assert_eq!(e.local.as_ref().map(|l| l.grams), Some(2183));
        assert!(e.differs, "both figures are offered");
        assert_eq!(e.basis, Some(CarbonBasis::Estimated));
        assert_eq!(e.confidence, Some(CarbonConfidence::Low));
    }

    #[test]
    fn bills_without_a_figure_say_why() {
        let food = explain(&bill(GreenCategory::GreenFood, BillStatus::Posted, 3_990));
        assert_eq!((food.grams, food.no_figure), (None, Some(NoFigure::NoMethod)));
        assert!(food.no_figure_reason.unwrap().contains("green_food"));

        let mut refunded = bill(GreenCategory::SharedBike, BillStatus::Refunded, 0);
        refunded.figure = Some(estimate(&Activity::SharedBike { km: 3.0 }).unwrap().figure());
        let e = explain(&refunded);
        assert_eq!(
            (e.grams, e.no_figure),
            (None, Some(NoFigure::Refunded)),
            "refunds save nothing"
        );

        let silent = explain(&bill(GreenCategory::EvCharging, BillStatus::Posted, 2_000));
        assert_eq!(silent.no_figure, Some(NoFigure::NotProvided));
    }

    #[test]
    fn a_figure_without_inputs_is_shown_but_not_recomputed() {
        let mut b = bill(GreenCategory::SharedBike, BillStatus::Posted, 150);
        b.figure =
            Some(CarbonFigure { grams: 417, method: "shared-bike@1".to_owned(), trace: None });

        let e = explain(&b);
        assert_eq!(e.grams, Some(417));
        assert_eq!(e.not_recomputed, Some(NotRecomputed::NoInputs));
        assert_eq!(e.method.unwrap().formula, MethodId::SHARED_BIKE.formula());
        assert!(e.arithmetic.is_empty());
    }
}
