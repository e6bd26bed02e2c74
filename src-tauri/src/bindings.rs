//! The TypeScript types of everything that crosses IPC, generated from the Rust types.
//!
//! [`render`] writes every type as one module; `tests/bindings.rs` compares it with the
//! committed `ui/src/bindings.ts` and fails when they drift (set `GREENMILE_UPDATE_BINDINGS=1`
//! to rewrite the file).

use greenmile_api::{
    BillStatus, CarbonActivity, CarbonBasis, CarbonConfidence, Certification, GreenCategory, Money,
    SecondHandGoods, SubsidyPayer, TransitMode,
};
use greenmile_core::account::{Account, SignOutReport};
use greenmile_core::carbon::Factor;
use greenmile_core::carbon::explain::{
    CarbonExplanation, FactorDetail, FigureSource, MethodInfo, NoFigure, NotRecomputed,
};
use greenmile_core::carbon::totals::{Equivalent, EquivalentKind};
use greenmile_core::dashboard::{
    CategoryPoint, CertificationCount, Dashboard, MonthPoint, UpcomingPayment,
};
use greenmile_core::db::bills::{BillFilter, BillList, BillQuery, BillRow, BillSource};
use greenmile_core::db::offers::{OfferDetail, OfferRow};
use greenmile_core::export::ExportFormat;
use greenmile_core::import::Format;
use greenmile_core::import::report::{CategoryReport, FileReport, RowNote};
use greenmile_core::instalment::{
    CalcMethod, CalcRequest, ComparisonRow, PlanDetail, PlanKindName, PlanRow, ScheduleRow,
};
use greenmile_core::learn::content::{Choice, Paragraphs, QuestionKind};
use greenmile_core::learn::{
    Answer, AnswerFeedback, AttemptOutcome, Badge, BadgeRule, BadgeStatus, Lang, LessonProgress,
    LessonView, Progress, QuestionResult, QuestionView, Score, Streak, Text,
};
use greenmile_core::outbox::OutboxReport;
use greenmile_core::sync::CatalogSync;
use greenmile_core::{AppError, CollectionReport, ErrorCode, SyncPhase, SyncProgress, SyncReport};
use greenmile_server::demo::Persona;
use ts_rs::TS;

use greenmile_core::doctor::{CacheCheck, CollectionSync, Diagnostics, KeychainCheck, ServerCheck};

use crate::commands::bills::ExportOutcome;
use crate::commands::diagnostics::{DesktopDiagnostics, SupportBundle};
use crate::commands::imports::ImportOutcome;
use crate::commands::learn::SavedCard;
use crate::commands::offers::PlanPick;
use crate::shell::{AppStatus, Mode, SyncState};

/// Every IPC type as TypeScript, in a stable order.
pub fn render() -> String {
    let decls = [
        GreenCategory::decl(),
        Certification::decl(),
        BillStatus::decl(),
        Money::decl(),
        MonthPoint::decl(),
        CategoryPoint::decl(),
        CertificationCount::decl(),
        EquivalentKind::decl(),
        Equivalent::decl(),
        Dashboard::decl(),
        UpcomingPayment::decl(),
        BillSource::decl(),
        BillRow::decl(),
        BillFilter::decl(),
        BillQuery::decl(),
        BillList::decl(),
        ExportFormat::decl(),
        ExportOutcome::decl(),
        CarbonBasis::decl(),
        CarbonConfidence::decl(),
        TransitMode::decl(),
        SecondHandGoods::decl(),
        CarbonActivity::decl(),
        Factor::decl(),
        FactorDetail::decl(),
        FigureSource::decl(),
        MethodInfo::decl(),
        NoFigure::decl(),
        NotRecomputed::decl(),
        CarbonExplanation::decl(),
        PlanKindName::decl(),
        SubsidyPayer::decl(),
        PlanRow::decl(),
        ScheduleRow::decl(),
        PlanDetail::decl(),
        ComparisonRow::decl(),
        OfferDetail::decl(),
        PlanPick::decl(),
        CalcMethod::decl(),
        CalcRequest::decl(),
        OfferRow::decl(),
        Mode::decl(),
        Persona::decl(),
        ErrorCode::decl(),
        AppError::decl(),
        SyncPhase::decl(),
        SyncProgress::decl(),
        OutboxReport::decl(),
        CollectionReport::decl(),
        CatalogSync::decl(),
        SyncReport::decl(),
        SyncState::decl(),
        AppStatus::decl(),
        Account::decl(),
        SignOutReport::decl(),
        Text::decl(),
        Paragraphs::decl(),
        QuestionKind::decl(),
        Choice::decl(),
        QuestionView::decl(),
        LessonView::decl(),
        Answer::decl(),
        AnswerFeedback::decl(),
        QuestionResult::decl(),
        Score::decl(),
        Streak::decl(),
        AttemptOutcome::decl(),
        LessonProgress::decl(),
        Progress::decl(),
        BadgeRule::decl(),
        Badge::decl(),
        BadgeStatus::decl(),
        Lang::decl(),
        SavedCard::decl(),
        CacheCheck::decl(),
        CollectionSync::decl(),
        ServerCheck::decl(),
        KeychainCheck::decl(),
        Diagnostics::decl(),
        DesktopDiagnostics::decl(),
        SupportBundle::decl(),
        Format::decl(),
        RowNote::decl(),
        CategoryReport::decl(),
        FileReport::decl(),
        ImportOutcome::decl(),
    ];

    let mut out = String::from(
        "// Generated from the Rust types by `cargo test -p greenmile-desktop --test bindings`.\n\
         // Do not edit: change the Rust type and set GREENMILE_UPDATE_BINDINGS=1.\n",
    );
    for decl in decls {
        out.push('\n');
        out.push_str("export ");
        out.push_str(decl.trim());
        out.push('\n');
    }
    out
}
