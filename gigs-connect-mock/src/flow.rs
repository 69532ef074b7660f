//! The hosted flow's state: which session urls the mock handed out (each with its
//! own login token), whether each was opened or used, and how each flow ended.
//! The page that shows it is `flow_page.rs`; the redirect rule both use is
//! [`callback_target`].
//!
//! A url is single-use, as Connect's are: the first visit opens the flow, a form
//! submitted from it (or [`MockServer::complete_flow`]) ends it, and any later
//! visit gets `auth_expired`. An update that associates a user hands out a new url
//! (a new token, the old one refused), as the API's answer does. A flow is a token
//! and an outcome, kept only while the store keeps its session, so `max_sessions`
//! bounds them.

use crate::{CallbackUrlError, MockServer};
use gigs_connect::CallbackStatus;
use serde_json::{Map, Value as Json};
use std::collections::HashMap;
use url::Url;

/// The path of the hosted flow page, shaped like Connect's
/// (`https://connect.gigs.com/…/entry?session=<id>&token=<token>`).
pub(crate) const FLOW_PATH: &str = "/entry";

/// An outcome the page offers: the `status` value the callback carries, the
/// button's label, and whether Gigs' docs name the value.
pub(crate) struct Outcome {
    pub(crate) status: &'static str,
    pub(crate) label: &'static str,
    pub(crate) documented_by_gigs: bool,
}

/// The outcomes the page offers, one form each. Gigs' docs ("Link back to your
/// application from Connect") name `success`, `auth_expired` and `not_allowed`;
/// they say a flow can also be aborted by the user or fail, without naming those
/// values, so `aborted` and `failed` are the mock's choice.
pub(crate) const OUTCOMES: [Outcome; 5] = [
    Outcome {
        status: "success",
        label: "Complete the flow",
        documented_by_gigs: true,
    },
    Outcome {
        status: "auth_expired",
        label: "Session expired",
        documented_by_gigs: true,
    },
    Outcome {
        status: "not_allowed",
        label: "Flow not allowed",
        documented_by_gigs: true,
    },
    Outcome {
        status: "aborted",
        label: "Abort (the user leaves)",
        documented_by_gigs: false,
    },
    Outcome {
        status: "failed",
        label: "Fail",
        documented_by_gigs: false,
    },
];

/// How far a url's flow went.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Stage {
    /// Handed out, never visited.
    Issued,
    /// The page was shown once; a form from it may still end the flow.
    Opened,
    /// An outcome was chosen: the url is used up.
    Ended,
}

/// The newest url of one session.
pub(crate) struct Flow {
    token: String,
    pub(crate) stage: Stage,
    /// The first outcome of the newest url, kept through later visits.
    pub(crate) outcome: Option<CallbackStatus>,
}

/// The flows of the sessions the store holds; a session's flow goes with it.
#[derive(Default)]
pub(crate) struct Flows {
    /// Where the mock serves, e.g. `http://127.0.0.1:41234`.
    base: String,
    by_session: HashMap<String, Flow>,
}

impl Flows {
    pub(crate) fn new(base: String) -> Self {
        Flows {
            base,
            by_session: HashMap::new(),
        }
    }

    /// A new url with a fresh token for the session `id`; the previous one stops
    /// working.
    pub(crate) fn issue(&mut self, id: &str) -> String {
        let token = login_token();
        let mut url = Url::parse(&self.base)
            .and_then(|base| base.join(FLOW_PATH))
            .unwrap_or_else(|_| Url::parse("http://127.0.0.1/entry").expect("a valid URL"));
        url.query_pairs_mut()
            .append_pair("session", id)
            .append_pair("token", &token);
        let outcome = self.by_session.remove(id).and_then(|flow| flow.outcome);
        self.by_session.insert(
            id.to_owned(),
            Flow {
                token,
                stage: Stage::Issued,
                outcome,
            },
        );
        url.into()
    }

    pub(crate) fn forget(&mut self, id: &str) {
        self.by_session.remove(id);
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Flow> {
        self.by_session.get(id)
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut Flow> {
        self.by_session.get_mut(id)
    }
}

impl Flow {
    /// Whether `token` is this url's, compared in constant time.
    pub(crate) fn accepts(&self, token: &str) -> bool {
        let (ours, theirs) = (self.token.as_bytes(), token.as_bytes());
        ours.len() == theirs.len()
            && ours
                .iter()
                .zip(theirs)
                .fold(0u8, |diff, (a, b)| diff | (a ^ b))
                == 0
    }

    /// Ends the flow with `status` unless it has ended already (the first outcome
    /// stays).
    pub(crate) fn end(&mut self, status: CallbackStatus) {
        if self.stage != Stage::Ended {
            self.stage = Stage::Ended;
            self.outcome = Some(status);
        }
    }
}

/// Where Connect sends the user at the end of the flow of session `id`: its
/// `callbackUrl` with `session_id` and `status` appended, the URL's own query
/// parameters kept (what [`Callback::parse`](gigs_connect::Callback::parse) reads).
pub(crate) fn callback_target(
    id: &str,
    session: &Map<String, Json>,
    status: &str,
) -> Result<Url, CallbackUrlError> {
    let Some(callback) = session.get("callbackUrl").and_then(Json::as_str) else {
        return Err(CallbackUrlError::NoCallbackUrl(id.to_owned()));
    };
    let mut url = Url::parse(callback)
        .map_err(|e| CallbackUrlError::InvalidCallbackUrl(id.to_owned(), e.to_string()))?;
    url.query_pairs_mut()
        .append_pair("session_id", id)
        .append_pair("status", status);
    Ok(url)
}

/// 64 random alphanumerics from the OS, like Connect's tokens: the token is what
/// guards the page, so it must not be guessable from another.
fn login_token() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut bytes = [0u8; 64];
    if getrandom::fill(&mut bytes).is_err() {
        return crate::ids::random_chars(64);
    }
    bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

impl MockServer {
    /// Ends the flow of the session `session_id` as the hosted page would when the
    /// user picks `status`: the session's url is used up (a later visit gets
    /// `auth_expired`), [`MockServer::flow_outcome`] reports `status`, and the
    /// answer is where Connect would redirect the browser: `callbackUrl` with
    /// `session_id` and `status` appended, its own query parameters kept.
    ///
    /// A session without (a parseable) `callbackUrl` has its outcome recorded all
    /// the same, as the page records it, and answers
    /// [`CallbackUrlError::NoCallbackUrl`] (or `InvalidCallbackUrl`). A flow that
    /// has already ended answers [`CallbackUrlError::FlowEnded`] and keeps its
    /// outcome.
    ///
    /// ```
    /// # use gigs_connect_mock::MockServer;
    /// # use gigs_connect::types::{CreateConnectSessionRequest, Intent};
    /// # use gigs_connect::{Callback, CallbackStatus};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = MockServer::start().await;
    /// let body = CreateConnectSessionRequest::new(Intent::view_subscriptions())
    ///     .callback_url("https://app.example/back?order=42");
    /// let session = server.client().create_connect_session(&body).await?;
    /// let url = server.complete_flow(&session.id, &CallbackStatus::Success)?;
    /// let callback = Callback::parse(url.as_str())?;
    /// assert_eq!(callback.session_id(), session.id);
    /// assert_eq!(callback.param("order"), Some("42"));
    /// assert_eq!(server.flow_outcome(&session.id), Some(CallbackStatus::Success));
    /// # Ok(())
    /// # }
    /// ```
    pub fn complete_flow(
        &self,
        session_id: &str,
        status: &CallbackStatus,
    ) -> Result<Url, CallbackUrlError> {
        let mut memory = self.state.memory.lock().expect("mock memory lock");
        let sessions = &mut memory.sessions;
        let not_found = || CallbackUrlError::SessionNotFound(session_id.to_owned());
        let flow = sessions.flows.get_mut(session_id).ok_or_else(not_found)?;
        if flow.stage == Stage::Ended {
            return Err(CallbackUrlError::FlowEnded(session_id.to_owned()));
        }
        flow.end(status.clone());
        let session = sessions.session(session_id).ok_or_else(not_found)?;
        callback_target(session_id, session, status.as_str())
    }

    /// How the flow of the session `session_id` ended, through its hosted page
    /// or [`MockServer::complete_flow`]: `None` while it has not ended (or for a
    /// session the mock does not hold). A url used a second time keeps its first
    /// outcome, though the second visit is redirected with `auth_expired`; a
    /// visit to a page already shown ends an unfinished flow as `auth_expired`.
    pub fn flow_outcome(&self, session_id: &str) -> Option<CallbackStatus> {
        let memory = self.state.memory.lock().expect("mock memory lock");
        memory.sessions.flows.get(session_id)?.outcome.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_url_replaces_the_old_token_and_keeps_the_outcome() {
        let mut flows = Flows::new("http://127.0.0.1:9".to_owned());
        let first = flows.issue("csn_1");
        assert!(first.starts_with("http://127.0.0.1:9/entry?session=csn_1&token="));
        let old_token = first.rsplit_once('=').unwrap().1.to_owned();
        flows.get_mut("csn_1").unwrap().end(CallbackStatus::Success);
        let second = flows.issue("csn_1");
        let new_token = second.rsplit_once('=').unwrap().1;
        let flow = flows.get("csn_1").unwrap();
        assert!(flow.accepts(new_token) && !flow.accepts(&old_token));
        assert_eq!(flow.stage, Stage::Issued);
        assert_eq!(flow.outcome, Some(CallbackStatus::Success));
    }

    #[test]
    fn tokens_are_64_alphanumerics_and_differ() {
        let (a, b) = (login_token(), login_token());
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()), "{a}");
        assert_ne!(a, b);
    }

    #[test]
    fn the_first_outcome_stays() {
        let mut flows = Flows::new("http://127.0.0.1:9".to_owned());
        flows.issue("csn_1");
        let flow = flows.get_mut("csn_1").unwrap();
        flow.end(CallbackStatus::NotAllowed);
        flow.end(CallbackStatus::AuthExpired);
        assert_eq!(flow.outcome, Some(CallbackStatus::NotAllowed));
    }
}
