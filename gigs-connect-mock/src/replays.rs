//! The answers kept for `Idempotency-Key`s, as Gigs documents them: the first
//! successful answer to a key is stored for 24 hours and given again to every
//! request with the same key; failed answers are not stored. Which requests a key
//! applies to, and which keys are valid, is gigs-connect's
//! `idempotency_key_rule` (the client's rule too); `memory.rs` applies it.

use crate::answer::Answer;
use crate::budget::json_bytes;
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// How long Gigs keeps an answer for its key.
pub(crate) const KEEP_FOR: Duration = Duration::from_secs(24 * 60 * 60);

/// At most this many answers are kept: a test that sends many keys must not grow
/// the mock without bound. The oldest goes first, as it would expire first.
pub(crate) const MAX_KEPT: usize = 10_000;

/// A key, scoped to the project it was sent for.
pub(crate) type Scoped = (String, Vec<u8>);

/// The answers kept, by project and key, with their order of arrival (the
/// store's arrival number, shared with what else it keeps) and their size.
#[derive(Default)]
pub(crate) struct Replays {
    answers: HashMap<Scoped, (Instant, Answer, usize)>,
    arrivals: VecDeque<(Instant, u64, Scoped)>,
    bytes: usize,
}

impl Replays {
    /// The answer kept for `key`, unless it is older than [`KEEP_FOR`] at `now`.
    pub(crate) fn get(&mut self, key: &Scoped, now: Instant) -> Option<Answer> {
        self.forget_expired(now);
        self.answers.get(key).map(|(_, answer, _)| answer.clone())
    }

    /// Keeps `answer` for `key` from `now`, as the store's `arrival`.
    pub(crate) fn keep(&mut self, key: Scoped, answer: &Answer, now: Instant, arrival: u64) {
        self.forget_expired(now);
        while self.answers.len() >= MAX_KEPT {
            self.forget_oldest();
        }
        let bytes = key.0.len() + key.1.len() + json_bytes(&answer.body);
        self.bytes += bytes;
        self.arrivals.push_back((now, arrival, key.clone()));
        if let Some((_, _, replaced)) = self.answers.insert(key, (now, answer.clone(), bytes)) {
            self.bytes -= replaced;
        }
    }

    /// The bytes of the answers kept, keys included.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }

    /// The store's arrival number of the oldest answer kept.
    pub(crate) fn oldest_arrival(&self) -> Option<u64> {
        self.arrivals.front().map(|(_, arrival, _)| *arrival)
    }

    fn forget_expired(&mut self, now: Instant) {
        while self
            .arrivals
            .front()
            .is_some_and(|(at, _, _)| now.saturating_duration_since(*at) >= KEEP_FOR)
        {
            self.forget_oldest();
        }
    }

    pub(crate) fn forget_oldest(&mut self) {
        let Some((at, _, key)) = self.arrivals.pop_front() else {
            return;
        };
        // A key forgotten and kept again later has a newer arrival further back.
        let current = self
            .answers
            .get(&key)
            .is_some_and(|(kept, _, _)| *kept == at);
        if !current {
            return;
        }
        if let Some((_, _, bytes)) = self.answers.remove(&key) {
            self.bytes -= bytes;
        }
    }

    /// How many answers are kept.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.answers.len()
    }
}
