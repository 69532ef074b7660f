//! The mock's memory: sessions and users by project, and the documented behaviour
//! of each operation on them. Bodies arrive already checked against the spec.

use super::idempotency::Replays;
use serde_json::{Map, Value as Json, json};
use std::collections::{HashMap, HashSet};
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

/// Sessions by id, the emails of users created through `userDetails`, and the
/// answers kept for idempotency keys.
#[derive(Default)]
pub(crate) struct Store {
    sessions: HashMap<String, Map<String, Json>>,
    emails: HashSet<String>,
    pub(crate) replays: Replays,
}

impl Store {
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
        self.sessions.insert(id.clone(), session.clone());
        session.insert("url".into(), json!(session_url(&id)));
        Answer {
            status,
            body: Json::Object(session),
        }
    }

    /// The stored session; never with a `url` (it is single-use, handed out once).
    pub(crate) fn retrieve(&self, status: u16, id: &str) -> Answer {
        match self.sessions.get(id) {
            Some(session) => Answer {
                status,
                body: Json::Object(session.clone()),
            },
            None => not_found(id),
        }
    }

    /// Changes only the fields sent. `user`/`userDetails` are refused once the
    /// session has a user; the answer has a `url` only when this update gave it one.
    pub(crate) fn update(&mut self, status: u16, id: &str, body: Map<String, Json>) -> Answer {
        let Some(session) = self.sessions.get(id) else {
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
        let session = self.sessions.get_mut(id).expect("checked above");
        for key in ["appearance", "callbackUrl"] {
            if let Some(value) = body.get(key) {
                session.insert(key.into(), value.clone());
            }
        }
        if let Some(user) = user {
            session.insert("user".into(), json!(user));
        }
        let mut answer = session.clone();
        if associates {
            answer.insert("url".into(), json!(session_url(id)));
        }
        Answer {
            status,
            body: Json::Object(answer),
        }
    }

    /// Forgets a session (the server keeps only the newest `max_sessions`).
    pub(crate) fn remove(&mut self, id: &str) {
        self.sessions.remove(id);
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
                if !self.emails.insert(email) {
                    return Err(Answer::error(
                        400,
                        "invalid",
                        "userAlreadyExists",
                        "A user with the same email address already exists.",
                    ));
                }
                Ok(Some(random_id("usr_")))
            }
            (None, None) => Ok(None),
        }
    }
}

fn not_found(id: &str) -> Answer {
    Answer::error(
        404,
        "notFound",
        "connectSessionNotFound",
        format!("The Connect Session `{id}` was not found."),
    )
}

/// A session url with a fresh login token, shaped like Connect's.
fn session_url(id: &str) -> String {
    format!(
        "https://connect.gigs.com/entry?session={id}&token={}",
        random_chars(64)
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
