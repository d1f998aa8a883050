//! One file per page of the console.

mod compare;
mod history;
mod job;
mod job_layout;
mod not_found;
mod report;
mod start;

pub use compare::ComparePage;
pub(crate) use history::early as early_history;
pub use history::{HistoryPage, HistoryTable, Sort as HistorySort};
pub use job::JobPage;
pub use not_found::NotFound;
pub use report::ReportPage;
pub use start::StartPage;
