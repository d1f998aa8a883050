//! Triage of a finished run, pure and tested natively: which log lines name which asset
//! (`line`), the reasons gathered from the log page by page (`reasons`), the per-asset
//! report that joins the per-asset status API with those reasons, its filter and sort
//! (`report`), the report as CSV (`csv`), and which lines to read from the log viewer's
//! cache or the server and whether the status look-up can add anything (`plan`); and two runs
//! side by side: their figures and which assets newly fail, are fixed or still fail (`compare`);
//! the warnings grouped by what would fix them, a missing file or a kind (`causes`); the run's
//! pace from its progress lines, for the job view's curve (`pace`).
//!
//! Sources of truth: the per-asset status API (`POST`/`GET /bin/guides/v1/assets/status`)
//! says which assets failed; the run's log says why (its ERROR and WARN lines name the
//! asset's repository path). The status API reports each asset's *latest* outcome across
//! jobs, so a FAILURE counts as this run's only when this run's log names the asset (see
//! `report::rows_from_status`). Without the status API (an AEM that answers 404) the report
//! is built from the log alone (`report::rows_from_log`).

pub mod causes;
pub mod compare;
pub mod csv;
mod line;
pub mod pace;
pub mod plan;
mod reasons;
pub mod report;

pub use line::{problem_in, Problem};
pub use reasons::{Reason, Reasons};
pub use report::{Outcome, ReportQuery, Row, SortKey};
