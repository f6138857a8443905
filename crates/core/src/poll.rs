//! When to ask for a job's status next. The schedule starts quickly (people watch the first
//! seconds), backs off to a cap (long jobs should not hammer the tenant), honours a
//! server's `Retry-After`, tolerates a bounded run of transient failures, and stops on a
//! terminal state. It is a pure value: the app's timer only asks it for the next delay.

use crate::api::ApiError;
use crate::job::JobState;

/// The tuning of a schedule, in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PollOptions {
    /// The first delay.
    pub initial_ms: u64,
    /// The longest delay between two polls.
    pub max_ms: u64,
    /// Growth per poll, in percent (150 = x1.5).
    pub growth_percent: u64,
    /// Consecutive transient failures tolerated before giving up.
    pub max_failures: u32,
    /// Multiplier while the page is hidden.
    pub hidden_factor: u64,
}

impl Default for PollOptions {
    fn default() -> Self {
        PollOptions {
            initial_ms: 500,
            max_ms: 10_000,
            growth_percent: 150,
            max_failures: 8,
            hidden_factor: 4,
        }
    }
}

/// What the poller should do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// Ask again after this many milliseconds.
    Wait(u64),
    /// The job reached a terminal state.
    Done,
    /// Too many failures, or a failure that will not go away.
    GiveUp(ApiError),
}

/// The state of one job's polling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    options: PollOptions,
    delay_ms: u64,
    failures: u32,
}

impl Schedule {
    /// A fresh schedule.
    pub fn new(options: PollOptions) -> Schedule {
        Schedule {
            options,
            delay_ms: options.initial_ms,
            failures: 0,
        }
    }

    /// The delay before the first poll.
    pub fn first(&self) -> u64 {
        self.options.initial_ms
    }

    fn grow(&mut self) -> u64 {
        let d = self.delay_ms;
        self.delay_ms =
            (self.delay_ms * self.options.growth_percent / 100).clamp(1, self.options.max_ms);
        d.min(self.options.max_ms)
    }

    /// After a status arrived.
    ///
    /// ```
    /// use bulk_core::poll::{Schedule, PollOptions, Next};
    /// use bulk_core::JobState;
    /// let mut s = Schedule::new(PollOptions::default());
    /// assert_eq!(s.on_status(&JobState::Running, false), Next::Wait(500));
    /// assert_eq!(s.on_status(&JobState::Running, false), Next::Wait(750));
    /// assert_eq!(s.on_status(&JobState::Completed, false), Next::Done);
    /// ```
    pub fn on_status(&mut self, state: &JobState, hidden: bool) -> Next {
        self.failures = 0;
        if state.is_terminal() {
            return Next::Done;
        }
        let d = self.grow();
        Next::Wait(if hidden {
            (d * self.options.hidden_factor).min(self.options.max_ms * self.options.hidden_factor)
        } else {
            d
        })
    }

    /// After a status request failed.
    ///
    /// ```
    /// use bulk_core::poll::{Schedule, PollOptions, Next};
    /// use bulk_core::ApiError;
    /// let mut s = Schedule::new(PollOptions::default());
    /// let busy = ApiError::RateLimited { retry_after_secs: Some(3), message: None };
    /// assert_eq!(s.on_error(busy), Next::Wait(3000));
    /// let gone = ApiError::NotFound { message: None };
    /// assert!(matches!(s.on_error(gone), Next::GiveUp(_)));
    /// ```
    pub fn on_error(&mut self, error: ApiError) -> Next {
        // A cut-off or unreadable answer to a read is as passing as a dropped connection:
        // asking again is safe, and the next answer is usually whole.
        let transient = error.is_transient() || matches!(error, ApiError::Malformed { .. });
        if !transient {
            return Next::GiveUp(error);
        }
        self.failures += 1;
        if self.failures > self.options.max_failures {
            return Next::GiveUp(error);
        }
        let backoff = self.grow();
        match error.retry_after_secs() {
            Some(s) => Next::Wait((s * 1000).max(backoff)),
            None => Next::Wait(backoff),
        }
    }
}

/// Follows the page tokens of a paged list (`Elements-Next-Page-Token`), refusing to go
/// round in circles: a tenant that hands back a token it gave before would make the
/// reader loop for ever.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageTokens {
    seen: std::collections::HashSet<String>,
}

/// Where a paged read goes after a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Paging {
    /// Read the page with this token.
    Next(String),
    /// That was the last page.
    Done,
    /// The tenant sent a token it had sent before: stop, and say so.
    Repeated(String),
}

impl PageTokens {
    /// The step after a page whose answer carried `token`.
    ///
    /// ```
    /// use bulk_core::poll::{PageTokens, Paging};
    /// let mut p = PageTokens::default();
    /// assert_eq!(p.after(Some("a".into())), Paging::Next("a".into()));
    /// assert_eq!(p.after(Some("b".into())), Paging::Next("b".into()));
    /// assert_eq!(p.after(Some("a".into())), Paging::Repeated("a".into()));
    /// assert_eq!(p.after(None), Paging::Done);
    /// ```
    pub fn after(&mut self, token: Option<String>) -> Paging {
        match token.filter(|t| !t.trim().is_empty()) {
            None => Paging::Done,
            Some(t) if !self.seen.insert(t.clone()) => Paging::Repeated(t),
            Some(t) => Paging::Next(t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_grows_to_the_cap_and_slows_when_hidden() {
        let mut s = Schedule::new(PollOptions {
            initial_ms: 1000,
            max_ms: 3000,
            ..Default::default()
        });
        let waits: Vec<Next> = (0..5)
            .map(|_| s.on_status(&JobState::Running, false))
            .collect();
        assert_eq!(waits, [1000, 1500, 2250, 3000, 3000].map(Next::Wait));
        assert_eq!(s.on_status(&JobState::Running, true), Next::Wait(12_000));
    }

    #[test]
    fn a_cut_off_answer_is_transient_and_retry_after_is_capped() {
        let mut s = Schedule::new(PollOptions::default());
        let cut = ApiError::Malformed {
            status: 200,
            detail: "EOF while parsing".into(),
        };
        assert!(matches!(s.on_error(cut), Next::Wait(_)));
        let busy = ApiError::RateLimited {
            retry_after_secs: Some(3_600),
            message: None,
        };
        assert_eq!(s.on_error(busy), Next::Wait(300_000));
    }

    #[test]
    fn unknown_states_keep_polling() {
        let mut s = Schedule::new(PollOptions::default());
        assert!(matches!(
            s.on_status(&JobState::parse("QUEUED"), false),
            Next::Wait(_)
        ));
    }

    #[test]
    fn transient_failures_are_bounded_and_reset_by_a_success() {
        let mut s = Schedule::new(PollOptions {
            max_failures: 2,
            ..Default::default()
        });
        let net = || ApiError::Network { detail: "x".into() };
        assert!(matches!(s.on_error(net()), Next::Wait(_)));
        assert!(matches!(s.on_error(net()), Next::Wait(_)));
        s.on_status(&JobState::Running, false);
        assert!(matches!(s.on_error(net()), Next::Wait(_)));
        assert!(matches!(s.on_error(net()), Next::Wait(_)));
        assert!(matches!(s.on_error(net()), Next::GiveUp(_)));
    }
}
