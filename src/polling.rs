//! The polling discipline, as a pure state machine (tested natively) that the views drive:
//! - at most one request in flight;
//! - about every `interval` while the watched thing is active;
//! - stop at a final state (after the answer that showed it);
//! - on errors back off 1, 2, 4 … 30 s, and say so ("retrying in N s");
//! - no requests while the tab is hidden; one right away when it shows again.

/// Longest wait between two tries after errors.
pub const MAX_BACKOFF_MS: u32 = 30_000;

/// What the driver should do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Ask again after this many milliseconds.
    After(u32),
    /// Ask now.
    Now,
    /// Do nothing until told otherwise (final state, hidden tab, or a request in flight).
    Wait,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Poller {
    interval_ms: u32,
    in_flight: bool,
    failures: u32,
    stopped: bool,
    hidden: bool,
}

impl Poller {
    pub fn new(interval_ms: u32) -> Poller {
        Poller {
            interval_ms: interval_ms.max(250),
            in_flight: false,
            failures: 0,
            stopped: false,
            hidden: false,
        }
    }

    /// Whether a request may start now; if so it is counted as in flight.
    pub fn begin(&mut self) -> bool {
        if self.in_flight || self.stopped || self.hidden {
            return false;
        }
        self.in_flight = true;
        true
    }

    /// The answer came. `is_final`: the watched thing reached a final state.
    pub fn succeeded(&mut self, is_final: bool) -> Next {
        self.in_flight = false;
        self.failures = 0;
        if is_final {
            self.stopped = true;
            return Next::Wait;
        }
        if self.hidden {
            return Next::Wait;
        }
        Next::After(self.interval_ms)
    }

    /// The request failed (network, 5xx…). Back off.
    pub fn failed(&mut self) -> Next {
        self.in_flight = false;
        self.failures = self.failures.saturating_add(1);
        if self.hidden {
            return Next::Wait;
        }
        Next::After(self.backoff_ms())
    }

    /// Wait after the current run of failures: 1 s, 2 s, 4 s … 30 s.
    pub fn backoff_ms(&self) -> u32 {
        if self.failures == 0 {
            return self.interval_ms;
        }
        let exp = (self.failures - 1).min(15);
        (1_000u32.saturating_mul(1 << exp)).min(MAX_BACKOFF_MS)
    }

    /// The tab was hidden or shown again.
    pub fn set_hidden(&mut self, hidden: bool) -> Next {
        self.hidden = hidden;
        if hidden || self.stopped || self.in_flight {
            return Next::Wait;
        }
        // Back on screen: refresh at once (what is shown may be old).
        Next::Now
    }

    /// Start watching again (after an action such as resume or restart).
    pub fn restart(&mut self) -> Next {
        self.stopped = false;
        self.failures = 0;
        if self.in_flight || self.hidden {
            return Next::Wait;
        }
        Next::Now
    }
}

/// What the tests look at; the product reads `Next` only.
#[cfg(test)]
impl Poller {
    fn failures(&self) -> u32 {
        self.failures
    }

    fn is_stopped(&self) -> bool {
        self.stopped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_request_at_a_time() {
        let mut p = Poller::new(1_000);
        assert!(p.begin());
        assert!(!p.begin(), "a second request waits for the first");
        assert_eq!(p.succeeded(false), Next::After(1_000));
        assert!(p.begin());
    }

    #[test]
    fn stops_at_a_final_state() {
        let mut p = Poller::new(1_000);
        assert!(p.begin());
        assert_eq!(p.succeeded(true), Next::Wait);
        assert!(p.is_stopped());
        assert!(!p.begin());
        assert_eq!(
            p.set_hidden(false),
            Next::Wait,
            "no refresh of a finished job on return"
        );
        assert_eq!(p.restart(), Next::Now);
        assert!(p.begin());
    }

    #[test]
    fn backs_off_on_errors_and_recovers() {
        let mut p = Poller::new(1_000);
        let waits: Vec<Next> = (0..7)
            .map(|_| {
                assert!(p.begin());
                p.failed()
            })
            .collect();
        assert_eq!(
            waits,
            [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]
                .map(Next::After)
                .to_vec()
        );
        assert_eq!(p.failures(), 7);
        assert!(p.begin());
        assert_eq!(p.succeeded(false), Next::After(1_000));
        assert_eq!(p.failures(), 0);
    }

    #[test]
    fn nothing_while_hidden_and_a_refresh_on_return() {
        let mut p = Poller::new(1_000);
        assert_eq!(p.set_hidden(true), Next::Wait);
        assert!(!p.begin(), "no request while hidden");
        assert_eq!(p.set_hidden(false), Next::Now);
        assert!(p.begin());
        assert_eq!(p.set_hidden(true), Next::Wait);
        assert_eq!(
            p.succeeded(false),
            Next::Wait,
            "an answer while hidden schedules nothing"
        );
        assert_eq!(p.set_hidden(false), Next::Now);
    }

    #[test]
    fn interval_has_a_floor() {
        let mut p = Poller::new(0);
        assert!(p.begin());
        assert_eq!(p.succeeded(false), Next::After(250));
    }
}
