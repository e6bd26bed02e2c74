//! `greenmile carbon`: the cache's carbon savings, and how one bill's figure was computed.

use chrono::Utc;
use greenmile_api::{CarbonActivity, CarbonBasis};
use greenmile_core::Cache;
use greenmile_core::carbon::explain::{self, CarbonExplanation, NoFigure, NotRecomputed};
use greenmile_core::carbon::totals::{self, CarbonReport, CarbonSplit};
use greenmile_core::db::bills::BillSource;

use crate::outln;
use crate::output::{self, grams};

/// Prints the totals by month and category, measured against estimated.
pub async fn report(json: bool, cache: &Cache) -> anyhow::Result<()> {
    let report = totals::report(cache.pool(), Utc::now(), crate::zone::current()).await?;
    if json {
        return output::json(&report);
    }
    print_report(&report)
}

/// Prints how bill `id`'s figure was computed.
pub async fn explain(json: bool, cache: &Cache, id: &str) -> anyhow::Result<()> {
    let explanation = explain::explain_bill(cache.pool(), id).await?;
    if json {
        return output::json(&explanation);
    }
    print_explanation(&explanation)
}

fn print_report(r: &CarbonReport) -> anyhow::Result<()> {
    let t = &r.total;
    outln!("Carbon saved:  {} CO2e from {} figures", grams(t.total_g), t.entries);
    outln!("  measured:    {}  (recorded km and kWh × published factors)", grams(t.measured_g));
    outln!(
        "  estimated:   {}  (spend-based, or projected over a service life)",
        grams(t.estimated_g)
    );
    outln!(
        "  unknown:     {} bills whose carbon no method can tell (not counted as 0)",
        t.unknown_bills
    );
    for e in &r.equivalents {
        let f = &e.factor;
        outln!("  That is {}", e.text);
        outln!(
            "    ({} = {} {}, {}, {}, {})",
            f.id,
            f.value,
            f.unit,
            f.publisher,
            f.year,
            f.licence
        );
    }
    if r.recomputed.bills > 0 {
        outln!(
            "  {} bills come from older method versions: {} by the API's figures, {} by this \
             app's newer methods (the API's are counted)",
            r.recomputed.bills,
            grams(r.recomputed.api_g),
            grams(r.recomputed.local_g)
        );
    }

    outln!();
    outln!("By month ({})", r.time_zone);
    outln!(
        "  {:<8} {:>10} {:>10} {:>10} {:>8}",
        "month",
        "total",
        "measured",
        "estimated",
        "unknown"
    );
    for m in &r.by_month {
        outln!("  {:<8} {}", m.month, columns(&m.carbon));
    }

    outln!();
    outln!("By category");
    for c in &r.by_category {
        let method = c.method.as_deref().unwrap_or("no method: unknown");
        outln!("  {:<27}{}  {method}", c.category.as_str(), columns(&c.carbon));
    }
    Ok(())
}

/// A split's columns; with no known figure but unknown bills, the total reads "unknown", never
/// a zero.
fn columns(s: &CarbonSplit) -> String {
    if s.entries == 0 && s.unknown_bills > 0 {
        return format!("{:>10} {:>10} {:>10} {:>8}", "unknown", "-", "-", s.unknown_bills);
    }
    format!(
        "{:>10} {:>10} {:>10} {:>8}",
        grams(s.total_g),
        grams(s.measured_g),
        grams(s.estimated_g),
        s.unknown_bills
    )
}

fn print_explanation(e: &CarbonExplanation) -> anyhow::Result<()> {
    let when = crate::zone::date_time(e.occurred_at);
    outln!("Bill {}  {when}  {} — {}", e.bill_id, e.merchant, e.item);
    if e.source == BillSource::File {
        let format = e.file_format.as_deref().unwrap_or("an unknown layout");
        outln!("  imported from a file ({format}); a sync never changes it");
    }
    outln!(
        "  {}, {}, {}",
        e.category.as_str(),
        output::money(e.amount.minor, &e.amount.currency),
        e.status.as_str()
    );

    let Some(shown) = e.grams else {
        let word = if e.no_figure == Some(NoFigure::Refunded) { "none" } else { "unknown" };
        outln!("Carbon saved: {word}");
        if let Some(reason) = &e.no_figure_reason {
            outln!("  Why: {reason}");
        }
        return Ok(());
    };
    let by = match e.source {
        BillSource::Api => "as the Green API computed it",
        BillSource::File => "as this app computed it from the imported row",
    };
    outln!("Carbon saved: {} CO2e ({shown} g), {by}", grams(shown));

    if let Some(m) = &e.method {
        outln!("Method:       {} (method {}, version {})", m.id, m.name, m.version);
        outln!("              {}", m.formula);
    }
    if let Some(activity) = &e.activity {
        outln!("Inputs:       {}", inputs(activity));
    }
    if let Some(baseline) = &e.baseline {
        outln!("Baseline:     {baseline}");
    }
    if let (Some(basis), Some(confidence)) = (e.basis, e.confidence) {
        let basis = match basis {
            CarbonBasis::Measured => "measured (a recorded quantity × published factors)",
            CarbonBasis::Estimated => {
                "estimated (spend or a projection stands in for a measurement)"
            }
        };
        outln!("Basis:        {basis}; confidence {}", confidence.as_str());
    }

    if !e.factors.is_empty() {
        outln!("Factors:");
    }
    for f in &e.factors {
        let value = match (f.local_value, f.api_value) {
            (Some(local), Some(api)) if local != api => format!("{local} (the API used {api})"),
            (Some(v), _) | (None, Some(v)) => v.to_string(),
            (None, None) => "?".to_owned(),
        };
        outln!("  {}  {value} {}", f.id, f.unit);
        match &f.published {
            Some(p) => {
                outln!("      {}", p.source);
                outln!(
                    "      {}, {}, {}; confidence {}",
                    p.publisher,
                    p.year,
                    p.licence,
                    p.confidence.as_str()
                );
            }
            None => outln!("      not in this app's factor table: its source cannot be shown"),
        }
    }

    if !e.arithmetic.is_empty() {
        outln!("Arithmetic:");
        for step in &e.arithmetic {
            outln!("  {step}");
        }
    }

    match (&e.api, &e.local, e.not_recomputed) {
        (Some(api), Some(local), _) if e.differs => {
            outln!("The figures differ:");
            let label = if e.source == BillSource::File { "at import:" } else { "Green API: " };
            outln!("  {label} {} g by {}  (shown)", api.grams, api.method);
            outln!("  this app:   {} g by {}", local.grams, local.method);
        }
        (Some(_), Some(local), _) => {
            let whose = if e.source == BillSource::File { "at import" } else { "the Green API's" };
            outln!("Recomputed here: {} g by {}, the same as {whose}.", local.grams, local.method)
        }
        (_, _, Some(NotRecomputed::NoInputs)) => {
            outln!("Not recomputed: the server sent this figure without its inputs.")
        }
        (_, _, Some(NotRecomputed::InputsRefused)) => {
            outln!("Not recomputed: this app's method refuses the inputs the server sent.")
        }
        _ => {}
    }
    Ok(())
}

/// A method's inputs in words.
fn inputs(activity: &CarbonActivity) -> String {
    match activity {
        CarbonActivity::Appliance {
            baseline_kwh_per_year,
            certified_kwh_per_year,
            service_years,
        } => {
            format!(
                "certified {certified_kwh_per_year} kWh/yr against a baseline of \
                 {baseline_kwh_per_year} kWh/yr, over {service_years} years of service"
            )
        }
        CarbonActivity::Transit { mode, km } => format!("{km} km by {}", mode.as_str()),
        CarbonActivity::SharedBike { km } => format!("{km} km by shared bike"),
        CarbonActivity::EvCharging { kwh } => format!("{kwh} kWh charged"),
        CarbonActivity::SecondHand { spend, goods } => format!(
            "{} spent on second-hand {}",
            output::money(spend.minor, &spend.currency),
            goods.as_str()
        ),
    }
}
