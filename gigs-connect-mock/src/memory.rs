//! The one owner of the mock's memory budget: the sessions (and emails) and the
//! idempotency replays side by side, neither knowing the other. It runs each
//! request through the replays (gigs-connect's `idempotency_key_rule` decides
//! which requests a key applies to and which keys are valid, as it does for the
//! client) and then forgets the oldest of all three until they fit the limits.

use crate::answer::Answer;
use crate::budget::{Limits, next_arrival};
use crate::replays::Replays;
use crate::sessions::Sessions;
use crate::shape::Tables;
use gigs_connect::__private::idempotency_key_rule;
use hyper::header::HeaderValue;
use std::time::Instant;

/// Sessions, emails and replays within [`Limits`].
pub(crate) struct Memory {
    pub(crate) sessions: Sessions,
    replays: Replays,
    limits: Limits,
}

impl Memory {
    pub(crate) fn new(tables: &'static Tables, limits: Limits) -> Self {
        Memory {
            sessions: Sessions::new(tables),
            replays: Replays::default(),
            limits,
        }
    }

    /// Runs `operation` on the sessions unless the request's key already has an
    /// answer, keeps a successful answer for its key, and holds the limits.
    pub(crate) fn answer_once(
        &mut self,
        method: &str,
        project: &str,
        key: Option<&HeaderValue>,
        operation: impl FnOnce(&mut Sessions) -> Answer,
    ) -> Answer {
        let answer = self.answer_once_at(method, project, key, Instant::now(), operation);
        self.enforce_limits();
        answer
    }

    fn answer_once_at(
        &mut self,
        method: &str,
        project: &str,
        key: Option<&HeaderValue>,
        now: Instant,
        operation: impl FnOnce(&mut Sessions) -> Answer,
    ) -> Answer {
        // Gigs ignores a key (valid or not) on a method it does not honour keys on.
        let honoured = idempotency_key_rule(method, None) == Ok(true);
        let Some(key) = key.filter(|_| honoured) else {
            return operation(&mut self.sessions);
        };
        if let Err(fault) = idempotency_key_rule(method, Some(key.as_bytes())) {
            return Answer::error(
                400,
                "invalid",
                "idempotencyKeyInvalid",
                format!(
                    "The `Idempotency-Key` header {fault}: it must be 1 to 255 visible ASCII characters."
                ),
            );
        }
        let key = (project.to_owned(), key.as_bytes().to_vec());
        if let Some(answer) = self.replays.get(&key, now) {
            return answer;
        }
        let answer = operation(&mut self.sessions);
        if answer.status < 400 {
            self.replays.keep(key, &answer, now, next_arrival());
        }
        answer
    }

    /// Forgets the oldest sessions, emails and replays until the memory is within
    /// its limits: the count of sessions and of emails, then their bytes together
    /// with the replays', oldest first across all three.
    pub(crate) fn enforce_limits(&mut self) {
        while self.sessions.counts().0 > self.limits.max_sessions {
            self.sessions.forget_oldest_session();
        }
        while self.sessions.counts().1 > self.limits.max_sessions {
            self.sessions.forget_oldest_email();
        }
        while self.sessions.bytes() + self.replays.bytes() > self.limits.max_bytes {
            let (session, email) = self.sessions.oldest();
            let replay = self.replays.oldest_arrival();
            match [session, email, replay].into_iter().flatten().min() {
                None => break,
                Some(arrival) if Some(arrival) == session => self.sessions.forget_oldest_session(),
                Some(arrival) if Some(arrival) == email => self.sessions.forget_oldest_email(),
                Some(_) => self.replays.forget_oldest(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replays::{KEEP_FOR, MAX_KEPT};
    use serde_json::json;
    use serde_json::{Map, Value as Json};
    use std::time::Duration;

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
        store: &mut Memory,
        method: &str,
        key: Option<&HeaderValue>,
        now: Instant,
        runs: &mut u64,
        answer: Answer,
    ) -> Answer {
        store.answer_once_at(method, "p", key, now, |_| {
            *runs += 1;
            answer
        })
    }

    #[test]
    fn a_repeated_key_gets_the_first_answer_without_running_again_for_24_hours() {
        let (mut store, mut runs, start) = (
            Memory::new(Tables::connect_sessions(), Limits::NONE),
            0,
            Instant::now(),
        );
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
        let (mut store, mut runs, now) = (
            Memory::new(Tables::connect_sessions(), Limits::NONE),
            0,
            Instant::now(),
        );
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
        let (mut store, mut runs, now) = (
            Memory::new(Tables::connect_sessions(), Limits::NONE),
            0,
            Instant::now(),
        );
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
        let (mut store, mut runs, now) = (
            Memory::new(Tables::connect_sessions(), Limits::NONE),
            0,
            Instant::now(),
        );
        let k = key("k1");
        for method in ["GET", "GET", "PATCH", "PATCH"] {
            send(&mut store, method, Some(&k), now, &mut runs, created(1));
        }
        assert_eq!(runs, 4);
        let long = key(&"x".repeat(255 + 1));
        let answer = send(&mut store, "GET", Some(&long), now, &mut runs, created(1));
        assert_eq!(answer.status, 201, "an overlong key on GET is ignored too");
    }

    #[test]
    fn a_key_over_255_characters_is_refused_with_a_gigs_envelope() {
        let (mut store, mut runs, now) = (
            Memory::new(Tables::connect_sessions(), Limits::NONE),
            0,
            Instant::now(),
        );
        let longest = key(&"x".repeat(255));
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
        let long = key(&"x".repeat(255 + 1));
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
        assert!(
            answer.body["message"].as_str().unwrap().contains("255"),
            "{}",
            answer.body
        );
        assert_eq!(runs, 1, "the refused request did nothing");
    }

    #[test]
    fn the_kept_answers_are_capped_oldest_first() {
        let (mut store, mut runs, now) = (
            Memory::new(Tables::connect_sessions(), Limits::NONE),
            0,
            Instant::now(),
        );
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

    fn with_email(email: &str) -> Map<String, Json> {
        let body = json!({
            "intent": { "type": "viewSubscriptions" },
            "userDetails": { "email": email },
        });
        body.as_object().cloned().unwrap()
    }

    fn create(memory: &mut Memory, email: &str) -> u16 {
        let body = with_email(email);
        let answer = memory.answer_once("POST", "p", None, |sessions| sessions.create(201, body));
        answer.status
    }

    #[test]
    fn a_session_forgotten_for_the_limits_takes_its_flow_with_it() {
        let limits = Limits {
            max_sessions: 1,
            max_bytes: usize::MAX,
        };
        let mut memory = Memory::new(Tables::connect_sessions(), limits);
        let mut create_id = |email: &str| {
            let body = with_email(email);
            let answer = memory.answer_once("POST", "p", None, |s| s.create(201, body));
            answer.body["id"].as_str().unwrap().to_owned()
        };
        let first = create_id("a@x.com");
        let second = create_id("b@x.com");
        assert!(memory.sessions.flows.get(&first).is_none());
        assert!(memory.sessions.flows.get(&second).is_some());
    }

    #[test]
    fn remembered_emails_are_capped_in_count_oldest_first() {
        let limits = Limits {
            max_sessions: 2,
            max_bytes: usize::MAX,
        };
        let mut memory = Memory::new(Tables::connect_sessions(), limits);
        for email in ["a@x.com", "b@x.com", "c@x.com"] {
            assert_eq!(create(&mut memory, email), 201);
        }
        assert_eq!(
            create(&mut memory, "c@x.com"),
            400,
            "a recent email is known"
        );
        assert_eq!(
            create(&mut memory, "a@x.com"),
            201,
            "the oldest was forgotten"
        );
    }

    #[test]
    fn remembered_emails_count_in_the_byte_budget() {
        let long = |c: char| format!("{}@x.com", c.to_string().repeat(10_000));
        let limits = Limits {
            max_sessions: 100,
            max_bytes: 25_000,
        };
        let mut memory = Memory::new(Tables::connect_sessions(), limits);
        for c in ['a', 'b', 'c'] {
            assert_eq!(create(&mut memory, &long(c)), 201);
        }
        assert!(
            memory.sessions.bytes() <= 25_000,
            "{}",
            memory.sessions.bytes()
        );
        assert!(
            memory.sessions.counts().1 < 3,
            "{:?}",
            memory.sessions.counts()
        );
        assert_eq!(
            create(&mut memory, &long('a')),
            201,
            "the oldest was forgotten"
        );
    }
}
