//! `LogFeed`: the lines of a job's log the console knows, shared by the job view (which grows
//! it from the tail while it polls) and the viewer (which fetches the pages it shows).

use leptos::prelude::*;

use crate::api::{ApiClient, ClientError};
use crate::log_model::{Follower, Grow, LogCache};

/// Pages kept in memory (20,000 lines).
const CACHE_PAGES: usize = 20;

/// The lines of a job's log the console knows, shared by the job view (which grows it while it
/// polls) and the viewer (which fetches the pages it shows).
#[derive(Clone, Copy)]
pub struct LogFeed {
    pub cache: RwSignal<LogCache>,
    follower: StoredValue<Follower>,
}

impl Default for LogFeed {
    fn default() -> Self {
        LogFeed::new()
    }
}

impl LogFeed {
    pub fn new() -> LogFeed {
        LogFeed {
            cache: RwSignal::new(LogCache::new(CACHE_PAGES)),
            follower: StoredValue::new(Follower::default()),
        }
    }

    /// Fetches the lines written since the last call (the first call: the tail). One request,
    /// or two when the log grew by more than a page since (then the tail, skipping the middle,
    /// which is fetched when someone scrolls to it).
    pub async fn grow(&self, client: &ApiClient, id: &str) -> Result<(), ClientError> {
        for _ in 0..2 {
            let ask = self
                .cache
                .with_untracked(|c| self.follower.with_value(|f| f.next(c)));
            let page = match ask {
                Grow::Tail(n) => client.log_tail(id, n).await?,
                Grow::From { offset, limit } => client.log_range(id, offset, limit).await?,
            };
            if !self.is_alive() {
                // The job view closed while the request was out.
                return Ok(());
            }
            if page.lines.is_empty() && self.cache.with_untracked(|c| c.is_known()) {
                // Nothing new: nothing to redraw.
                return Ok(());
            }
            let mut follower = self.follower.get_value();
            self.cache.update(|c| {
                follower.answered(c, page.offset, page.lines, page.has_more);
            });
            self.follower.set_value(follower);
            let behind = self
                .cache
                .with_untracked(|c| matches!(follower.next(c), Grow::Tail(_)));
            if !behind {
                break;
            }
        }
        Ok(())
    }

    /// Whether the view that owns this feed still exists (after an `await` it may not).
    pub fn is_alive(&self) -> bool {
        self.cache.try_with_untracked(|_| ()).is_some()
    }
}
