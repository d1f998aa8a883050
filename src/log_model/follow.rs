//! Following a log that grows, with nothing but `offset`/`limit`, `tail` and `hasMore`:
//! ask from the known length, so no line is missed or read twice; after falling more than a
//! page behind, ask the tail (the lines skipped are fetched when someone scrolls to them).

use std::ops::Range;

use super::{LogCache, PAGE};

/// The next request that follows a growing log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grow {
    /// `tail=N`: the first look, or after falling behind by more than a page.
    Tail(u64),
    /// `offset`/`limit` from the known length: exactly the new lines.
    From { offset: u64, limit: u64 },
}

/// Follows a log that grows: asks from the known length so no line is missed or repeated,
/// and jumps to the tail when it fell behind (the skipped lines are fetched when shown).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Follower {
    behind: bool,
}

impl Follower {
    /// The request to make now, given what the cache knows.
    pub fn next(&self, cache: &LogCache) -> Grow {
        if !cache.is_known() || self.behind {
            Grow::Tail(PAGE)
        } else {
            Grow::From {
                offset: cache.len(),
                limit: PAGE,
            }
        }
    }

    /// Records an answer: lines from `offset`, and the contract's `hasMore`.
    /// Returns the new lines' range.
    pub fn answered(
        &mut self,
        cache: &mut LogCache,
        offset: u64,
        lines: Vec<String>,
        has_more: bool,
    ) -> Range<u64> {
        let asked_tail = !cache.is_known() || self.behind;
        let got = lines.len() as u64;
        let new = cache.insert(offset, lines);
        // After `offset`/`limit`, more lines than a page means we fell behind: ask the tail.
        self.behind = !asked_tail && has_more && got >= PAGE;
        new
    }
}

/// What a scroll event of the log's scroll area means for following: `Some(true)` at the end
/// (follow), `Some(false)` when the reader moved it up from where it last was (pause), and
/// `None` otherwise. The last case is the viewer's own scroll to the end, whose event the
/// browser delivers a frame later: if new lines made the area taller in between, that event
/// finds it short of the end although nobody scrolled, and must not pause following.
pub fn after_scroll(
    last_top: f64,
    top: f64,
    client_height: f64,
    scroll_height: f64,
) -> Option<bool> {
    if super::window::at_bottom(top, client_height, scroll_height) {
        Some(true)
    } else if top < last_top - 0.5 {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log_model::test_lines as lines;

    #[test]
    fn following_asks_from_the_known_length_and_never_misses_or_repeats() {
        let mut c = LogCache::new(5);
        let mut f = Follower::default();
        assert_eq!(f.next(&c), Grow::Tail(PAGE));
        // An empty log so far.
        f.answered(&mut c, 0, vec![], false);
        assert_eq!(
            f.next(&c),
            Grow::From {
                offset: 0,
                limit: PAGE
            }
        );
        // The log grows in uneven steps across page boundaries.
        let mut len = 0;
        for step in [3u64, 997, 1, 1_500, 250] {
            let Grow::From { offset, limit } = f.next(&c) else {
                panic!("follows from the length")
            };
            assert_eq!(offset, len);
            let got = step.min(limit);
            let new = f.answered(&mut c, offset, lines(offset..offset + got), step > limit);
            assert_eq!(new, offset..offset + got);
            len += got;
            if step > limit {
                // Fell behind by more than a page: jump to the tail.
                assert_eq!(f.next(&c), Grow::Tail(PAGE));
                let total = len + (step - got);
                f.answered(&mut c, total - PAGE, lines(total - PAGE..total), false);
                len = total;
            }
        }
        assert_eq!(c.len(), len);
        // Every line present is the right one, once.
        let held = c.loaded_in(0..len);
        let mut seen = std::collections::HashSet::new();
        for (i, l) in &held {
            assert_eq!(*l, format!("line {i}"));
            assert!(seen.insert(*i));
        }
        // What jumping skipped is simply missing, and fetched when shown.
        assert!(!c.missing_pages(0..len).is_empty() || held.len() as u64 == len);
    }

    #[test]
    fn only_a_move_up_pauses_following() {
        // At the end: follow.
        assert_eq!(after_scroll(600.0, 600.0, 400.0, 1_000.0), Some(true));
        // The viewer's own scroll to the end, delivered after 40 new lines (800 px) made the
        // area taller: nobody scrolled, nothing changes.
        assert_eq!(after_scroll(600.0, 600.0, 400.0, 1_800.0), None);
        // The reader scrolled up (wheel, keys, the scroll bar): pause.
        assert_eq!(after_scroll(600.0, 300.0, 400.0, 1_800.0), Some(false));
        // Down but not to the end (a paused reader scrolling): no change either way.
        assert_eq!(after_scroll(300.0, 500.0, 400.0, 1_800.0), None);
    }
}
