//! The mock's memory: sessions and users by project, and the documented behaviour
//! of each operation on them. Bodies arrive already checked against the spec.

use super::flow::Flows;
use super::idempotency::Replays;
use serde_json::{Map, Value as Json, json};
use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{BuildHasher, RandomState};

/// An answer: status and JSON body.
#[derive(Clone)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: Json,
}

impl Answer {
    /// A Gigs error envelope.
    pub(crate) fn error(status: u16, kind: &str, code: &str, message: impl Into<String>) -> Self {
        Answer {
            status,
            body: json!({
                "object": "error",
                "type": kind,
                "code": code,
                "message": message.into(),
            }),
        }
    }
}

/// Sessions by id in creation order, the emails of users created through
/// `userDetails`, and the answers kept for idempotency keys; all within the
/// [`Limits`].
pub(crate) struct Store {
    sessions: HashMap<String, Kept>,
    /// Session ids, oldest first.
    order: VecDeque<String>,
    /// Emails with the arrival they were kept at, oldest first.
    emails: HashSet<String>,
    email_order: VecDeque<(u64, String)>,
    pub(crate) replays: Replays,
    /// The hosted flow of each session's newest url; a session's goes with it.
    pub(crate) flows: Flows,
    /// Bytes of the sessions and emails kept (the replays count their own).
    bytes: usize,
    /// A counter of arrivals: what is kept goes in this order when over budget.
    arrivals: u64,
    limits: Limits,
}

/// How much the store keeps.
#[derive(Clone, Copy)]
pub(crate) struct Limits {
    /// Sessions, and emails.
    pub(crate) max_sessions: usize,
    /// Sessions, emails and replays together, as JSON.
    pub(crate) max_bytes: usize,
}

impl Default for Store {
    fn default() -> Self {
        Store::new(Limits {
            max_sessions: usize::MAX,
            max_bytes: usize::MAX,
        })
    }
}

/// One stored session, with its arrival and size.
struct Kept {
    arrival: u64,
    bytes: usize,
    session: Map<String, Json>,
}

impl Store {
    pub(crate) fn new(limits: Limits) -> Self {
        Store {
            sessions: HashMap::new(),
            order: VecDeque::new(),
            emails: HashSet::new(),
            email_order: VecDeque::new(),
            replays: Replays::default(),
            flows: Flows::default(),
            bytes: 0,
            arrivals: 0,
            limits,
        }
    }

    /// Session urls point at the hosted flow page of the mock at `base`.
    pub(crate) fn serve_flows_at(mut self, base: String) -> Self {
        self.flows = Flows::new(base);
        self
    }

    /// The next arrival number.
    pub(crate) fn arrive(&mut self) -> u64 {
        self.arrivals += 1;
        self.arrivals
    }

    /// Creates a session; the answer carries a `url` with a fresh token.
    pub(crate) fn create(&mut self, status: u16, body: Map<String, Json>) -> Answer {
        let id = random_id("csn_");
        let user = match self.user_from(&body) {
            Ok(user) => user,
            Err(answer) => return answer,
        };
        let mut session = Map::new();
        session.insert("object".into(), json!("connectSession"));
        session.insert("id".into(), json!(id));
        if let Some(appearance) = body.get("appearance") {
            session.insert("appearance".into(), appearance.clone());
        }
        session.insert(
            "callbackUrl".into(),
            body.get("callbackUrl").cloned().unwrap_or(Json::Null),
        );
        session.insert("intent".into(), body["intent"].clone());
        session.insert("url".into(), Json::Null);
        session.insert("user".into(), user.map_or(Json::Null, Json::String));
        self.keep(&id, session.clone());
        session.insert("url".into(), json!(self.flows.issue(&id)));
        Answer {
            status,
            body: Json::Object(session),
        }
    }

    /// The stored session; never with a `url` (it is single-use, handed out once).
    pub(crate) fn retrieve(&self, status: u16, id: &str) -> Answer {
        match self.session(id) {
            Some(session) => Answer {
                status,
                body: Json::Object(session.clone()),
            },
            None => not_found(id),
        }
    }

    /// The stored session called `id`.
    pub(crate) fn session(&self, id: &str) -> Option<&Map<String, Json>> {
        self.sessions.get(id).map(|kept| &kept.session)
    }

    /// Changes only the fields sent. `user`/`userDetails` are refused once the
    /// session has a user; the answer has a `url` only when this update gave it one.
    pub(crate) fn update(&mut self, status: u16, id: &str, body: Map<String, Json>) -> Answer {
        let Some(session) = self.session(id) else {
            return not_found(id);
        };
        let associates = ["user", "userDetails"]
            .iter()
            .any(|key| body.get(*key).is_some_and(|v| !v.is_null()));
        if associates && !session["user"].is_null() {
            return Answer::error(
                400,
                "invalid",
                "connectSessionUserAlreadySet",
                "`user` and `userDetails` can only be set while the session has no user.",
            );
        }
        let user = match self.user_from(&body) {
            Ok(user) => user,
            Err(answer) => return answer,
        };
        let kept = self.sessions.get_mut(id).expect("checked above");
        for key in ["appearance", "callbackUrl"] {
            if let Some(value) = body.get(key) {
                kept.session.insert(key.into(), value.clone());
            }
        }
        if let Some(user) = user {
            kept.session.insert("user".into(), json!(user));
        }
        let bytes = id.len() + json_bytes(&kept.session);
        self.bytes = self.bytes - kept.bytes + bytes;
        kept.bytes = bytes;
        let mut answer = kept.session.clone();
        if associates {
            answer.insert("url".into(), json!(self.flows.issue(id)));
        }
        Answer {
            status,
            body: Json::Object(answer),
        }
    }

    /// Removes a session: later requests for it answer 404.
    pub(crate) fn delete(&mut self, status: u16, id: &str, answer: Json) -> Answer {
        if !self.remove(id) {
            return not_found(id);
        }
        Answer {
            status,
            body: answer,
        }
    }

    /// The stored sessions, newest first.
    pub(crate) fn newest_first(&self) -> impl Iterator<Item = &Map<String, Json>> {
        self.order.iter().rev().filter_map(|id| self.session(id))
    }

    /// Forgets a session; whether there was one.
    pub(crate) fn remove(&mut self, id: &str) -> bool {
        let Some(kept) = self.sessions.remove(id) else {
            return false;
        };
        self.bytes -= kept.bytes;
        self.flows.forget(id);
        // Deletes are rare next to creates, and the order holds at most
        // `max_sessions` ids.
        if let Some(at) = self.order.iter().position(|kept| kept == id) {
            self.order.remove(at);
        }
        true
    }

    fn keep(&mut self, id: &str, session: Map<String, Json>) {
        let bytes = id.len() + json_bytes(&session);
        let arrival = self.arrive();
        self.bytes += bytes;
        self.order.push_back(id.to_owned());
        self.sessions.insert(
            id.to_owned(),
            Kept {
                arrival,
                bytes,
                session,
            },
        );
    }

    fn remember_email(&mut self, email: String) {
        let arrival = self.arrive();
        self.bytes += email.len();
        self.email_order.push_back((arrival, email.clone()));
        self.emails.insert(email);
    }

    fn forget_oldest_email(&mut self) {
        if let Some((_, email)) = self.email_order.pop_front() {
            self.bytes -= email.len();
            self.emails.remove(&email);
        }
    }

    /// Forgets the oldest sessions, emails and replays until the store is within
    /// its limits: the count of each, then their bytes together, oldest first
    /// across all three.
    pub(crate) fn enforce_limits(&mut self) {
        while self.order.len() > self.limits.max_sessions {
            let oldest = self.order.front().cloned().unwrap_or_default();
            self.remove(&oldest);
        }
        while self.email_order.len() > self.limits.max_sessions {
            self.forget_oldest_email();
        }
        while self.bytes + self.replays.bytes() > self.limits.max_bytes {
            let session = self
                .order
                .front()
                .and_then(|id| self.sessions.get(id))
                .map(|kept| kept.arrival);
            let email = self.email_order.front().map(|(arrival, _)| *arrival);
            let replay = self.replays.oldest_arrival();
            let oldest = [session, email, replay].into_iter().flatten().min();
            match oldest {
                None => break,
                Some(arrival) if Some(arrival) == session => {
                    let id = self.order.front().cloned().unwrap_or_default();
                    self.remove(&id);
                }
                Some(arrival) if Some(arrival) == email => self.forget_oldest_email(),
                Some(_) => self.replays.forget_oldest(),
            }
        }
    }

    /// The user a body names: `user` as given, or a new one from `userDetails`.
    fn user_from(&mut self, body: &Map<String, Json>) -> Result<Option<String>, Answer> {
        let user = body.get("user").and_then(Json::as_str);
        let details = body.get("userDetails").filter(|v| !v.is_null());
        match (user, details) {
            (Some(_), Some(_)) => Err(Answer::error(
                400,
                "invalid",
                "parameterConflict",
                "`user` and `userDetails` cannot both be set.",
            )),
            (Some(user), None) => Ok(Some(user.to_owned())),
            (None, Some(details)) => {
                let email = details["email"].as_str().unwrap_or_default().to_owned();
                if self.emails.contains(&email) {
                    return Err(Answer::error(
                        400,
                        "invalid",
                        "userAlreadyExists",
                        "A user with the same email address already exists.",
                    ));
                }
                self.remember_email(email);
                Ok(Some(random_id("usr_")))
            }
            (None, None) => Ok(None),
        }
    }
}

/// The size of a kept value's JSON text, counted without writing it.
pub(crate) fn json_bytes(value: &impl serde::Serialize) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    serde_json::to_writer(&mut count, value).expect("a JSON value encodes");
    count.0
}

pub(crate) fn not_found(id: &str) -> Answer {
    Answer::error(
        404,
        "notFound",
        "connectSessionNotFound",
        format!("The Connect Session `{id}` was not found."),
    )
}

/// A Gigs-style id: a prefix and 28 characters.
pub(crate) fn random_id(prefix: &str) -> String {
    format!("{prefix}{}", random_chars(28))
}

/// Random alphanumerics. Not cryptographic: a mock's tokens guard nothing, they
/// only need to differ from each other.
pub(crate) fn random_chars(count: usize) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let state = RandomState::new();
    (0..count)
        .map(|i| {
            let n = state.hash_one((i, std::time::SystemTime::now()));
            char::from(ALPHABET[(n % ALPHABET.len() as u64) as usize])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_email(email: &str) -> Map<String, Json> {
        let body = json!({
            "intent": { "type": "viewSubscriptions" },
            "userDetails": { "email": email },
        });
        body.as_object().cloned().unwrap()
    }

    fn create(store: &mut Store, email: &str) -> u16 {
        let status = store.create(201, with_email(email)).status;
        store.enforce_limits();
        status
    }

    #[test]
    fn remembered_emails_are_capped_in_count_oldest_first() {
        let mut store = Store::new(Limits {
            max_sessions: 2,
            max_bytes: usize::MAX,
        });
        for email in ["a@x.com", "b@x.com", "c@x.com"] {
            assert_eq!(create(&mut store, email), 201);
        }
        assert_eq!(
            create(&mut store, "c@x.com"),
            400,
            "a recent email is known"
        );
        assert_eq!(
            create(&mut store, "a@x.com"),
            201,
            "the oldest was forgotten"
        );
    }

    #[test]
    fn remembered_emails_count_in_the_byte_budget() {
        let long = |c: char| format!("{}@x.com", c.to_string().repeat(10_000));
        let mut store = Store::new(Limits {
            max_sessions: 100,
            max_bytes: 25_000,
        });
        for c in ['a', 'b', 'c'] {
            assert_eq!(create(&mut store, &long(c)), 201);
        }
        assert!(store.bytes <= 25_000, "{}", store.bytes);
        assert!(store.emails.len() < 3, "{}", store.emails.len());
        assert_eq!(
            create(&mut store, &long('a')),
            201,
            "the oldest was forgotten"
        );
    }

    #[test]
    fn a_session_forgotten_for_the_limits_takes_its_flow_with_it() {
        let mut store = Store::new(Limits {
            max_sessions: 1,
            max_bytes: usize::MAX,
        });
        let id = |answer: Answer| answer.body["id"].as_str().unwrap().to_owned();
        let first = id(store.create(201, with_email("a@x.com")));
        assert!(store.flows.get(&first).is_some());
        let second = id(store.create(201, with_email("b@x.com")));
        store.enforce_limits();
        assert!(store.flows.get(&first).is_none());
        assert!(store.flows.get(&second).is_some());
    }

    #[test]
    fn deleting_and_updating_keep_the_byte_count_exact() {
        let mut store = Store::default();
        let id = store.create(201, with_email("a@x.com")).body["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let body = json!({ "callbackUrl": "https://example.com/long/path" });
        store.update(200, &id, body.as_object().cloned().unwrap());
        let session = store.session(&id).unwrap().clone();
        assert_eq!(
            store.bytes,
            id.len() + json_bytes(&session) + "a@x.com".len()
        );
        assert_eq!(store.delete(204, &id, Json::Null).status, 204);
        assert_eq!(
            store.bytes,
            "a@x.com".len(),
            "the email stays: the user exists"
        );
        assert_eq!(store.delete(204, &id, Json::Null).status, 404);
        assert!(store.order.is_empty());
    }
}
