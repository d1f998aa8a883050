//! One file per page of the console.

mod history;
mod not_found;

pub use history::{HistoryPage, HistoryTable};
pub use not_found::NotFound;
