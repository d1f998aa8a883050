//! One job's log as the console reads it: `LogFeed`, the lines known (one bounded page cache
//! and the follower that grows it from the tail while the job runs), and `JobLog`, the handle
//! that carries the client, the job's id and that feed together. Every feature reads through
//! the handle: the job view's poll (`grow`), the viewer's pages and scans (`fetch_page`),
//! "Copy lines" (`lines`), triage and the comparison (`read_in_order`). The page arithmetic
//! is pure and tested natively in `log_model` (`page_lines`, `pages_of`, `next_read`,
//! `redraw_now`); this is the one place that turns it into requests.

use std::ops::Range;
use std::sync::Arc;

use asset_processing_api::LogPage;
use leptos::prelude::*;

use crate::api::{ApiClient, ClientError};
use crate::log_model::{next_read, page_lines, pages_of, Follower, Grow, LogCache, PAGE};
use crate::text;

/// Pages kept in memory (20,000 lines).
const CACHE_PAGES: usize = 20;

/// The lines of a job's log the console knows: shared by the job view (which grows it while
/// it polls), the viewer (which fetches the pages it shows) and triage (which reads the rest).
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

    /// Whether the view that owns this feed still exists (after an `await` it may not).
    pub fn is_alive(&self) -> bool {
        self.cache.try_with_untracked(|_| ()).is_some()
    }

    /// The log's length, once an answer told it (after a final poll: the whole log).
    pub fn known_len(&self) -> Option<u64> {
        self.cache
            .try_with_untracked(|c| c.is_known().then(|| c.len()))
            .flatten()
    }

    /// The lines of `range` if the cache holds every one of them (a range past the length the
    /// cache knows, or any range before it knows the length, is not held: the cache's own
    /// `has_all` clips to the known length).
    pub fn held(&self, range: Range<u64>) -> Option<Vec<String>> {
        self.cache
            .try_with_untracked(|c| {
                let within = c.is_known() && range.end <= c.len();
                (within && c.has_all(range.clone())).then(|| {
                    c.loaded_in(range)
                        .into_iter()
                        .map(|(_, l)| l.to_owned())
                        .collect()
                })
            })
            .flatten()
    }

    /// Keeps a page read for something other than the rows on screen, without a redraw (the
    /// viewer fetches its own rows, and a search over what is loaded would run again for
    /// every page read).
    pub fn keep_quietly(&self, offset: u64, lines: Vec<String>) {
        let _ = self.cache.try_update_untracked(|c| {
            c.insert(offset, lines);
        });
    }
}

/// A page read in order: where it starts, its lines, and whether it was the log's last.
pub struct ReadPage {
    pub offset: u64,
    pub lines: Vec<String>,
    pub last: bool,
}

/// One job's log: the client, the id and the feed, travelling together. Cheap to clone.
#[derive(Clone)]
pub struct JobLog {
    /// None where no client is provided (component tests): reads then fail with a message.
    client: Option<ApiClient>,
    id: Arc<str>,
    feed: LogFeed,
}

impl JobLog {
    pub fn new(client: Option<ApiClient>, id: &str, feed: LogFeed) -> JobLog {
        JobLog {
            client,
            id: Arc::from(id),
            feed,
        }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn feed(&self) -> LogFeed {
        self.feed
    }

    /// Whether there is a server to ask (without one, only what the feed holds is known).
    pub fn can_fetch(&self) -> bool {
        self.client.is_some()
    }

    fn client(&self) -> Result<&ApiClient, ClientError> {
        self.client
            .as_ref()
            .ok_or_else(|| ClientError::Network(text::LOG_LINE_LOADING.into()))
    }

    /// One request: page `p` as the server has it now.
    pub async fn fetch_page(&self, p: u64) -> Result<LogPage, ClientError> {
        self.client()?
            .log_range(&self.id, page_lines(p).start, PAGE)
            .await
    }

    /// The log's length now, from one line of its tail (a running job's log grows on).
    pub async fn length_now(&self) -> Result<u64, ClientError> {
        let tail = self.client()?.log_tail(&self.id, 1).await?;
        Ok(tail.offset + tail.lines.len() as u64)
    }

    /// Fetches the lines written since the last call (the first call: the tail). One request,
    /// or two when the log grew by more than a page since (then the tail, skipping the middle,
    /// which is fetched when someone scrolls to it).
    pub async fn grow(&self) -> Result<(), ClientError> {
        let (feed, client) = (self.feed, self.client()?);
        for _ in 0..2 {
            let ask = feed
                .cache
                .with_untracked(|c| feed.follower.with_value(|f| f.next(c)));
            let page = match ask {
                Grow::Tail(n) => client.log_tail(&self.id, n).await?,
                Grow::From { offset, limit } => client.log_range(&self.id, offset, limit).await?,
            };
            if !feed.is_alive() {
                // The job view closed while the request was out.
                return Ok(());
            }
            if page.lines.is_empty() && feed.cache.with_untracked(|c| c.is_known()) {
                // Nothing new: nothing to redraw.
                return Ok(());
            }
            let mut follower = feed.follower.get_value();
            feed.cache.update(|c| {
                follower.answered(c, page.offset, page.lines, page.has_more);
            });
            feed.follower.set_value(follower);
            let behind = feed
                .cache
                .with_untracked(|c| matches!(follower.next(c), Grow::Tail(_)));
            if !behind {
                break;
            }
        }
        Ok(())
    }

    /// The lines of `range`, from the cache where it holds them, else each missing page
    /// fetched and handed to `keep` (which puts it in the cache as its caller wants).
    pub async fn lines(
        &self,
        range: Range<u64>,
        keep: impl Fn(u64, Vec<String>),
    ) -> Result<Vec<String>, ClientError> {
        let mut out = Vec::with_capacity((range.end - range.start) as usize);
        for p in pages_of(range.clone()) {
            let part = page_lines(p).start.max(range.start)..page_lines(p).end.min(range.end);
            if let Some(lines) = self.feed.held(part.clone()) {
                out.extend(lines);
                continue;
            }
            let page = self.fetch_page(p).await?;
            let from = page.offset;
            out.extend(
                part.filter_map(|i| i.checked_sub(from))
                    .filter_map(|k| page.lines.get(k as usize).cloned()),
            );
            keep(page.offset, page.lines);
        }
        Ok(out)
    }

    /// Reads the log in order from line `from`, a page at a time, up to `until` lines (the
    /// length to read to, when known) or the log's end: each range from the cache where it is
    /// held, else from the server (the page is then kept quietly in the cache). `on_page` gets
    /// each page; returning false stops the read (its view is gone). `pace` says whether a
    /// page is asked for at once or when the browser is idle.
    pub async fn read_in_order(
        &self,
        from: u64,
        until: Option<u64>,
        pace: Pace,
        mut on_page: impl FnMut(ReadPage) -> bool,
    ) -> Result<(), ClientError> {
        let mut read = from;
        let total = until.unwrap_or(u64::MAX);
        while let Some(range) = next_read(read, total) {
            let page = match self.feed.held(range.clone()) {
                Some(lines) => ReadPage {
                    offset: range.start,
                    last: range.end >= total,
                    lines,
                },
                None => {
                    if pace == Pace::Idle {
                        crate::browser::idle().await;
                    }
                    let page = self
                        .client()?
                        .log_range(&self.id, range.start, PAGE)
                        .await?;
                    let last = !page.has_more || page.lines.is_empty();
                    self.feed.keep_quietly(page.offset, page.lines.clone());
                    ReadPage {
                        offset: page.offset,
                        lines: page.lines,
                        last,
                    }
                }
            };
            let (last, end) = (page.last, page.offset + page.lines.len() as u64);
            if !on_page(page) || last || end <= read {
                break;
            }
            read = end;
        }
        Ok(())
    }
}

/// How a read of the whole log takes the server's pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pace {
    /// At once: a person waits for the read (the comparison).
    Now,
    /// A page when the browser is idle: a background read (the Problems panel's reasons of a
    /// 10,000,000-line log are 10,000 pages) takes no frame from a person scrolling the log.
    Idle,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log_model::test_lines;

    #[test]
    fn only_lines_the_cache_really_holds_are_held() {
        let feed = LogFeed::new();
        // Nothing known yet: not even an empty answer for the first page.
        assert_eq!(feed.held(0..10), None);
        assert_eq!(feed.known_len(), None);
        feed.keep_quietly(0, test_lines(0..1_500));
        assert_eq!(feed.known_len(), Some(1_500));
        assert_eq!(feed.held(0..3), Some(test_lines(0..3)));
        assert_eq!(feed.held(998..1_002), Some(test_lines(998..1_002)));
        // Past what the cache knows of the log: fetched, never taken as held.
        assert_eq!(feed.held(1_400..2_000), None);
        assert_eq!(feed.held(1_500..1_501), None);
    }
}
