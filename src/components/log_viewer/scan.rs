//! Reading the log page by page beyond what is loaded, one scan at a time, with its progress
//! and a stop button: for a search (forward or backward from the marked line), to fill the
//! level filter (every page not read, nearest first), and to find the next or previous
//! problem (until it is found). Every page read serves all three: it goes into the cache,
//! the search and the level index.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::number;
use crate::job_log::JobLog;
use crate::log_model::{read_plan, scan_plan, LevelFilter, Seek};
use crate::text;

use super::state::Viewer;

/// What a scan is for (each bar shows the progress of its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ScanKind {
    Search,
    Filter,
    Problem,
}

/// A scan in progress: pages read of pages planned.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct ScanProgress {
    pub kind: ScanKind,
    pub done: usize,
    pub total: usize,
}

#[derive(Clone, Copy)]
pub(super) struct Scanner {
    pub progress: RwSignal<Option<ScanProgress>>,
    /// Bumped to stop a scan: a scan that finds it changed ends.
    generation: StoredValue<u64>,
    log: StoredValue<JobLog>,
}

pub(super) fn use_scan(log: JobLog) -> Scanner {
    Scanner {
        progress: RwSignal::new(None),
        generation: StoredValue::new(0),
        log: StoredValue::new(log),
    }
}

impl Scanner {
    pub fn stop(&self) {
        self.generation.update_value(|g| *g += 1);
        self.progress.set(None);
    }

    /// Stops the scan under way if it is of `kind`.
    pub fn stop_kind(&self, kind: ScanKind) {
        if self
            .progress
            .with_untracked(|p| p.is_some_and(|p| p.kind == kind))
        {
            self.stop();
        }
    }

    /// The progress of a scan of `kind`, if one runs.
    pub fn progress_of(&self, kind: ScanKind) -> Option<ScanProgress> {
        self.progress.get().filter(|p| p.kind == kind)
    }

    /// Reads `plan`'s pages in order until `enough()` (checked before each page), skipping
    /// those read meanwhile (by the page loader, the Problems panel, another scan), then calls
    /// `done` (not when stopped, replaced by another scan, or failed).
    fn run(
        &self,
        v: Viewer,
        kind: ScanKind,
        plan: Vec<u64>,
        enough: impl Fn() -> bool + 'static,
        done: impl FnOnce() + 'static,
    ) {
        let len = v.len.get_untracked();
        let read = move |p: u64| match kind {
            ScanKind::Search => v
                .search
                .with_untracked(|s| s.searched().covers_page(p, len)),
            _ => v.levels.with_untracked(|x| x.read().covers_page(p, len)),
        };
        let log = self.log.get_value();
        if !log.can_fetch() {
            return;
        }
        self.generation.update_value(|g| *g += 1);
        let (me, mine) = (*self, self.generation.get_value());
        let total = plan.len();
        self.progress.set(Some(ScanProgress {
            kind,
            done: 0,
            total,
        }));
        spawn_local(async move {
            for (k, p) in plan.into_iter().enumerate() {
                if enough() {
                    break;
                }
                if read(p) {
                    me.progress.set(Some(ScanProgress {
                        kind,
                        done: k + 1,
                        total,
                    }));
                    continue;
                }
                let answer = log.fetch_page(p).await;
                // Stopped, replaced by another scan, or the viewer is gone.
                if me.generation.try_get_value() != Some(mine) {
                    return;
                }
                match answer {
                    Ok(page) => v.absorb_keeping_place(page.offset, page.lines),
                    Err(e) => {
                        v.load_error.set(Some(e));
                        me.progress.set(None);
                        return;
                    }
                }
                me.progress.set(Some(ScanProgress {
                    kind,
                    done: k + 1,
                    total,
                }));
            }
            me.progress.set(None);
            done();
        });
    }

    /// Searches the pages not searched yet, from the marked line (or the screen) towards the
    /// end or the start; shows the first match found beyond where it began.
    pub fn search(&self, v: Viewer, forward: bool) {
        if !v.search.with_untracked(|s| s.is_active()) {
            return;
        }
        let from = v.scan_start();
        let len = v.len.get_untracked();
        let plan = v
            .search
            .with_untracked(|s| scan_plan(s.searched(), len, from, forward));
        let found = move || v.search.with_untracked(|s| s.first_beyond(from, forward));
        // Not a reactive value: one made in an event handler belongs to the view that handled
        // it, which the scan's progress replaces.
        let shown = std::rc::Rc::new(std::cell::Cell::new(false));
        // The first match beyond the start is shown as soon as a page has it; the scan goes on.
        let show = move || {
            if !shown.get() {
                if let Some(i) = found() {
                    shown.set(true);
                    v.jump_to(i);
                    v.reveal(i, false);
                }
            }
            false
        };
        let show_at_end = show.clone();
        self.run(v, ScanKind::Search, plan, show, move || {
            show_at_end();
            let len = v.len.get_untracked();
            v.announcement.set(v.search.with_untracked(|s| {
                text::log_matches(
                    None,
                    s.count(),
                    &number(s.searched_lines()),
                    &number(len),
                    s.is_complete(len),
                )
            }));
        });
    }

    /// Reads every page the level index has not read, nearest the screen first, so the filter
    /// shows every matching line.
    pub fn fill_filter(&self, v: Viewer) {
        let len = v.len.get_untracked();
        let plan = v
            .levels
            .with_untracked(|x| read_plan(x.read(), len, v.first_visible.get_untracked()));
        if plan.is_empty() {
            return;
        }
        self.run(
            v,
            ScanKind::Filter,
            plan,
            || false,
            move || {
                v.announcement.set(v.filter_summary());
            },
        );
    }

    /// "Next / Previous problem" (`n` / Shift+N): from the marked line or the top of the
    /// screen; reads further pages when those read have none, until one is found.
    pub fn next_problem(&self, v: Viewer, forward: bool) {
        let (lines, from) = v.problem_search_range(forward);
        let (first, end) = (lines.start, lines.end);
        let kind = v.filter.get_untracked();
        let seek = move || {
            v.levels
                .with_untracked(|x| x.seek(kind, first..end, forward))
        };
        let conclude = move || match seek() {
            Seek::Found(i) => {
                v.jump_to(i);
                v.reveal(i, false);
                v.notice.set(None);
            }
            Seek::NoneLeft => {
                let said = text::log_no_more_problems(
                    kind == LevelFilter::Errors,
                    forward,
                    &number(from + 1),
                );
                v.announcement.set(said.clone());
                v.notice.set(Some(said));
            }
            Seek::Unknown => {}
        };
        if seek() != Seek::Unknown {
            self.stop();
            conclude();
            return;
        }
        let len = v.len.get_untracked();
        let start = if forward {
            first
        } else {
            end.saturating_sub(1)
        };
        let plan = v
            .levels
            .with_untracked(|x| scan_plan(x.read(), len, start, forward));
        self.run(
            v,
            ScanKind::Problem,
            plan,
            move || seek() != Seek::Unknown,
            conclude,
        );
    }
}
