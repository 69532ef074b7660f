//! The sessions the mock holds, by project-independent id in creation order, and
//! the emails of users created through `userDetails`: the documented behaviour of
//! each operation on them. Bodies arrive already checked against the spec.
//!
//! Which properties a session has comes from the tables (the model the store's
//! retrieve answers): create keeps every property the create body gives that the
//! session has, a nullable one left out as `null`; update writes every session
//! property its body gives, `null` clearing it; retrieve and the events show them
//! all. A property added to the spec is kept with no change here. What the tables
//! cannot say are Gigs' business rules, each below by name ([`BusinessRule`]).

use crate::answer::Answer;
use crate::budget::{json_bytes, next_arrival};
use crate::flow::Flows;
use crate::ids::random_id;
use crate::resource;
use crate::shape::{Property, Shape, Tables, Value};
use serde_json::{Map, Value as Json, json};
use std::collections::{HashMap, HashSet, VecDeque};

/// Gigs' business rules: the properties whose values the spec's shapes do not
/// decide. Every other property of a session is kept as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BusinessRule {
    /// `id`: the server assigns it (`csn_` and 28 characters); a body cannot.
    ServerAssignsId,
    /// `url`: single-use, handed out once: in the answer to the create, and to
    /// the update that first gives the session a user; stored (and retrieved,
    /// and carried in events) as `null`.
    UrlHandedOutOnce,
    /// `user` / `userDetails`: set once. `user` names an existing user;
    /// `userDetails` creates one (an email already used is refused as Gigs
    /// would); both at once conflict; once the session has a user, an update
    /// that sets either is refused (`connectSessionUserAlreadySet`).
    UserSetOnce,
}

impl BusinessRule {
    /// The rule that owns the wire property `wire`, if any.
    pub(crate) fn of(wire: &str) -> Option<BusinessRule> {
        match wire {
            "id" => Some(BusinessRule::ServerAssignsId),
            "url" => Some(BusinessRule::UrlHandedOutOnce),
            "user" | "userDetails" => Some(BusinessRule::UserSetOnce),
            _ => None,
        }
    }
}

/// The sessions and emails, with their bytes and arrival numbers (the memory
/// budget's owner, `memory.rs`, reads them to forget the oldest).
pub(crate) struct Sessions {
    tables: &'static Tables,
    sessions: HashMap<String, Kept>,
    /// Session ids, oldest first.
    order: VecDeque<String>,
    /// Emails with the arrival they were kept at, oldest first.
    emails: HashSet<String>,
    email_order: VecDeque<(u64, String)>,
    /// Bytes of the sessions and emails kept.
    bytes: usize,
    /// The hosted flow of each session's newest url; a session's goes with it.
    pub(crate) flows: Flows,
}

/// One stored session, with its arrival and size.
struct Kept {
    arrival: u64,
    bytes: usize,
    session: Map<String, Json>,
}

impl Sessions {
    pub(crate) fn new(tables: &'static Tables) -> Self {
        Sessions {
            tables,
            sessions: HashMap::new(),
            order: VecDeque::new(),
            emails: HashSet::new(),
            email_order: VecDeque::new(),
            bytes: 0,
            flows: Flows::default(),
        }
    }

    /// The session model's properties, from the tables.
    fn properties(&self) -> &'static [Property] {
        let tables: &'static Tables = self.tables;
        let model = resource::held(tables).and_then(|held| tables.model(held.model));
        match model {
            Some(Shape::Object { properties, .. }) => properties,
            _ => &[],
        }
    }

    /// Creates a session; the answer carries a `url` with a fresh token.
    pub(crate) fn create(&mut self, status: u16, body: Map<String, Json>) -> Answer {
        let id = random_id("csn_");
        let user = match self.user_from(&body) {
            Ok(user) => user,
            Err(answer) => return answer,
        };
        let mut session = Map::new();
        for property in self.properties() {
            let wire = property.wire.as_str();
            let value = match BusinessRule::of(wire) {
                Some(BusinessRule::ServerAssignsId) => json!(id),
                Some(BusinessRule::UrlHandedOutOnce) => Json::Null,
                Some(BusinessRule::UserSetOnce) => user.clone().map_or(Json::Null, Json::String),
                None => match (body.get(wire), self.constant(property)) {
                    (_, Some(constant)) => constant,
                    (Some(value), None) => value.clone(),
                    (None, None) if property.nullable => Json::Null,
                    (None, None) => continue,
                },
            };
            session.insert(wire.to_owned(), value);
        }
        self.keep(&id, session.clone());
        session.insert("url".into(), json!(self.flows.issue(&id)));
        Answer {
            status,
            body: Json::Object(session),
        }
    }

    /// The value a property always has: a one-value enum the generated
    /// constructors fill in (`object`), as the tables' `fixed` says.
    fn constant(&self, property: &Property) -> Option<Json> {
        let Value::Named(name) = &property.value else {
            return None;
        };
        match self.tables.model(name) {
            Some(Shape::StringEnum(values)) if property.fixed => match values.as_slice() {
                [only] => Some(json!(only)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The stored session; never with a `url` ([`BusinessRule::UrlHandedOutOnce`]).
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

    /// Writes every session property the body gives (`null` clears); the
    /// business rules decide `user`, `userDetails` and `url`.
    pub(crate) fn update(&mut self, status: u16, id: &str, body: Map<String, Json>) -> Answer {
        let Some(session) = self.session(id) else {
            return not_found(id);
        };
        let associates = body.iter().any(|(key, v)| {
            BusinessRule::of(key) == Some(BusinessRule::UserSetOnce) && !v.is_null()
        });
        if associates && !session.get("user").unwrap_or(&Json::Null).is_null() {
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
        let properties = self.properties();
        let kept = self.sessions.get_mut(id).expect("checked above");
        for property in properties {
            let wire = property.wire.as_str();
            match (BusinessRule::of(wire), body.get(wire)) {
                (None, Some(value)) => {
                    kept.session.insert(wire.to_owned(), value.clone());
                }
                (Some(BusinessRule::UserSetOnce), _) => {
                    if let Some(user) = &user {
                        kept.session.insert(wire.to_owned(), json!(user));
                    }
                }
                _ => {}
            }
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
    fn remove(&mut self, id: &str) -> bool {
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
        let arrival = next_arrival();
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
        let arrival = next_arrival();
        self.bytes += email.len();
        self.email_order.push_back((arrival, email.clone()));
        self.emails.insert(email);
    }

    /// How many sessions, and how many emails, are kept.
    pub(crate) fn counts(&self) -> (usize, usize) {
        (self.order.len(), self.email_order.len())
    }

    /// The bytes of the sessions and emails kept.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }

    /// The arrival of the oldest session, and of the oldest email.
    pub(crate) fn oldest(&self) -> (Option<u64>, Option<u64>) {
        let session = self
            .order
            .front()
            .and_then(|id| self.sessions.get(id))
            .map(|kept| kept.arrival);
        let email = self.email_order.front().map(|(arrival, _)| *arrival);
        (session, email)
    }

    /// Forgets the oldest session.
    pub(crate) fn forget_oldest_session(&mut self) {
        let oldest = self.order.front().cloned().unwrap_or_default();
        self.remove(&oldest);
    }

    /// Forgets the oldest email.
    pub(crate) fn forget_oldest_email(&mut self) {
        if let Some((_, email)) = self.email_order.pop_front() {
            self.bytes -= email.len();
            self.emails.remove(&email);
        }
    }

    /// The user a body names ([`BusinessRule::UserSetOnce`]): `user` as given,
    /// or a new one from `userDetails`.
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

pub(crate) fn not_found(id: &str) -> Answer {
    Answer::error(
        404,
        "notFound",
        "connectSessionNotFound",
        format!("The Connect Session `{id}` was not found."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sessions() -> Sessions {
        Sessions::new(Tables::connect_sessions())
    }

    fn body(json: Json) -> Map<String, Json> {
        json.as_object().cloned().unwrap()
    }

    #[test]
    fn create_keeps_every_session_property_of_the_body_and_nulls_the_nullable_rest() {
        let mut sessions = sessions();
        let created = sessions.create(
            201,
            body(json!({
                "intent": { "type": "viewSubscriptions" },
                "appearance": { "theme": "dark" },
            })),
        );
        let id = created.body["id"].as_str().unwrap().to_owned();
        assert!(id.starts_with("csn_"));
        assert!(created.body["url"].as_str().unwrap().contains(&id));
        let stored = sessions.session(&id).unwrap();
        assert_eq!(stored["object"], "connectSession", "the one-value enum");
        assert_eq!(stored["appearance"], json!({ "theme": "dark" }));
        assert_eq!(stored["callbackUrl"], Json::Null, "nullable, left out");
        assert_eq!(stored["url"], Json::Null, "handed out once");
        assert_eq!(stored["user"], Json::Null);
        assert!(
            !stored.contains_key("userDetails"),
            "not a session property"
        );
    }

    #[test]
    fn deleting_and_updating_keep_the_byte_count_exact() {
        let mut sessions = sessions();
        let created = sessions.create(
            201,
            body(json!({
                "intent": { "type": "viewSubscriptions" },
                "userDetails": { "email": "a@x.com" },
            })),
        );
        let id = created.body["id"].as_str().unwrap().to_owned();
        let update = body(json!({ "callbackUrl": "https://example.com/long/path" }));
        sessions.update(200, &id, update);
        let session = sessions.session(&id).unwrap().clone();
        assert_eq!(
            sessions.bytes(),
            id.len() + json_bytes(&session) + "a@x.com".len()
        );
        assert_eq!(sessions.delete(204, &id, Json::Null).status, 204);
        assert_eq!(
            sessions.bytes(),
            "a@x.com".len(),
            "the email stays: the user exists"
        );
        assert_eq!(sessions.delete(204, &id, Json::Null).status, 404);
        assert_eq!(sessions.counts(), (0, 1));
    }

    #[test]
    fn the_business_rules_own_id_url_and_the_user() {
        assert_eq!(BusinessRule::of("id"), Some(BusinessRule::ServerAssignsId));
        assert_eq!(
            BusinessRule::of("url"),
            Some(BusinessRule::UrlHandedOutOnce)
        );
        assert_eq!(
            BusinessRule::of("userDetails"),
            Some(BusinessRule::UserSetOnce)
        );
        assert_eq!(BusinessRule::of("callbackUrl"), None);
    }
}
