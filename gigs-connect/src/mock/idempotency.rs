//! Idempotent requests as Gigs documents them: on `POST` and `DELETE`, the first
//! successful answer to an `Idempotency-Key` is stored for 24 hours and given again
//! to every request with the same key; failed answers are not stored.

use super::store::{Answer, Store, json_bytes};
use hyper::header::HeaderValue;
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// How long Gigs keeps an answer for its key.
pub(crate) const KEEP_FOR: Duration = Duration::from_secs(24 * 60 * 60);

/// The longest key Gigs accepts, in characters.
pub(crate) const MAX_KEY_LEN: usize = 255;

/// At most this many answers are kept: a test that sends many keys must not grow
/// the mock without bound. The oldest goes first, as it would expire first.
pub(crate) const MAX_KEPT: usize = 10_000;

/// A key, scoped to the project it was sent for.
type Scoped = (String, Vec<u8>);

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
    fn get(&mut self, key: &Scoped, now: Instant) -> Option<Answer> {
        self.forget_expired(now);
        self.answers.get(key).map(|(_, answer, _)| answer.clone())
    }

    /// Keeps `answer` for `key` from `now`, as the store's `arrival`.
    fn keep(&mut self, key: Scoped, answer: &Answer, now: Instant, arrival: u64) {
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
    fn len(&self) -> usize {
        self.answers.len()
    }
}

/// Runs `operation` on the store unless the request's key already has an answer:
/// the hook the server calls for every request it dispatches.
pub(crate) fn answer_once(
    store: &mut Store,
    method: &str,
    project: &str,
    key: Option<&HeaderValue>,
    operation: impl FnOnce(&mut Store) -> Answer,
) -> Answer {
    answer_once_at(store, method, project, key, Instant::now(), operation)
}

fn answer_once_at(
    store: &mut Store,
    method: &str,
    project: &str,
    key: Option<&HeaderValue>,
    now: Instant,
    operation: impl FnOnce(&mut Store) -> Answer,
) -> Answer {
    // Gigs ignores the key on GET and PATCH.
    let Some(key) = key.filter(|_| matches!(method, "POST" | "DELETE")) else {
        return operation(store);
    };
    if key.len() > MAX_KEY_LEN {
        return Answer::error(
            400,
            "invalid",
            "idempotencyKeyInvalid",
            format!("The `Idempotency-Key` header must be at most {MAX_KEY_LEN} characters."),
        );
    }
    let key = (project.to_owned(), key.as_bytes().to_vec());
    if let Some(answer) = store.replays.get(&key, now) {
        return answer;
    }
    let answer = operation(store);
    if answer.status < 400 {
        let arrival = store.arrive();
        store.replays.keep(key, &answer, now, arrival);
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn created(n: u64) -> Answer {
        Answer {
            status: 201,
            body: json!({ "id": format!("csn_{n}") }),
        }
    }

    fn key(text: &str) -> HeaderValue {
        HeaderValue::from_str(text).unwrap()
    }

    /// Sends one request with `key` at `now`; the operation counts its runs.
    fn send(
        store: &mut Store,
        method: &str,
        key: Option<&HeaderValue>,
        now: Instant,
        runs: &mut u64,
        answer: Answer,
    ) -> Answer {
        answer_once_at(store, method, "p", key, now, |_| {
            *runs += 1;
            answer
        })
    }

    #[test]
    fn a_repeated_key_gets_the_first_answer_without_running_again_for_24_hours() {
        let (mut store, mut runs, start) = (Store::default(), 0, Instant::now());
        let k = key("k1");
        let first = send(&mut store, "POST", Some(&k), start, &mut runs, created(1));
        let later = start + KEEP_FOR - Duration::from_secs(1);
        let again = send(&mut store, "POST", Some(&k), later, &mut runs, created(2));
        assert_eq!(runs, 1);
        assert_eq!((again.status, &again.body), (first.status, &first.body));

        let expired = send(
            &mut store,
            "POST",
            Some(&k),
            start + KEEP_FOR,
            &mut runs,
            created(3),
        );
        assert_eq!(runs, 2, "after 24 hours the key is new again");
        assert_eq!(expired.body["id"], "csn_3");
    }

    #[test]
    fn failed_answers_are_not_kept_so_the_key_can_be_retried() {
        let (mut store, mut runs, now) = (Store::default(), 0, Instant::now());
        let k = key("k1");
        let failed = Answer::error(503, "unavailable", "down", "Try again.");
        assert_eq!(
            send(&mut store, "POST", Some(&k), now, &mut runs, failed).status,
            503
        );
        let retried = send(&mut store, "POST", Some(&k), now, &mut runs, created(1));
        assert_eq!((runs, retried.status), (2, 201));
    }

    #[test]
    fn different_keys_and_keyless_requests_each_run() {
        let (mut store, mut runs, now) = (Store::default(), 0, Instant::now());
        send(
            &mut store,
            "POST",
            Some(&key("a")),
            now,
            &mut runs,
            created(1),
        );
        send(
            &mut store,
            "POST",
            Some(&key("b")),
            now,
            &mut runs,
            created(2),
        );
        send(&mut store, "POST", None, now, &mut runs, created(3));
        send(&mut store, "POST", None, now, &mut runs, created(4));
        assert_eq!(runs, 4);
    }

    #[test]
    fn keys_on_get_and_patch_have_no_effect() {
        let (mut store, mut runs, now) = (Store::default(), 0, Instant::now());
        let k = key("k1");
        for method in ["GET", "GET", "PATCH", "PATCH"] {
            send(&mut store, method, Some(&k), now, &mut runs, created(1));
        }
        assert_eq!(runs, 4);
        let long = key(&"x".repeat(MAX_KEY_LEN + 1));
        let answer = send(&mut store, "GET", Some(&long), now, &mut runs, created(1));
        assert_eq!(answer.status, 201, "an overlong key on GET is ignored too");
    }

    #[test]
    fn a_key_over_255_characters_is_refused_with_a_gigs_envelope() {
        let (mut store, mut runs, now) = (Store::default(), 0, Instant::now());
        let longest = key(&"x".repeat(MAX_KEY_LEN));
        assert_eq!(
            send(
                &mut store,
                "POST",
                Some(&longest),
                now,
                &mut runs,
                created(1)
            )
            .status,
            201
        );
        let long = key(&"x".repeat(MAX_KEY_LEN + 1));
        let answer = send(
            &mut store,
            "DELETE",
            Some(&long),
            now,
            &mut runs,
            created(2),
        );
        assert_eq!(answer.status, 400);
        assert_eq!(answer.body["object"], "error");
        assert_eq!(answer.body["type"], "invalid");
        assert!(answer.body["message"].as_str().unwrap().contains("255"));
        assert_eq!(runs, 1, "the refused request did nothing");
    }

    #[test]
    fn the_kept_answers_are_capped_oldest_first() {
        let (mut store, mut runs, now) = (Store::default(), 0, Instant::now());
        for n in 0..MAX_KEPT as u64 + 5 {
            let k = key(&format!("k{n}"));
            send(&mut store, "POST", Some(&k), now, &mut runs, created(n));
        }
        assert_eq!(store.replays.len(), MAX_KEPT);
        let oldest = send(
            &mut store,
            "POST",
            Some(&key("k0")),
            now,
            &mut runs,
            created(99),
        );
        assert_eq!(oldest.body["id"], "csn_99", "the oldest key was forgotten");
        let newest = format!("k{}", MAX_KEPT + 4);
        let kept = send(
            &mut store,
            "POST",
            Some(&key(&newest)),
            now,
            &mut runs,
            created(98),
        );
        assert_eq!(kept.body["id"], format!("csn_{}", MAX_KEPT + 4));
    }
}
