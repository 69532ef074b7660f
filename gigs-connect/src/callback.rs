//! The URL Connect sends the user back to: `callbackUrl` plus `session_id` and
//! `status` query parameters, the URL's own parameters kept.
//!
//! Anyone can open a callback URL with any `session_id`, and a session has no
//! completion state to retrieve, so the check that matters is that the id is the
//! one the app created for this browser: store it (a cookie, your own session
//! store, or a `state` parameter of your own in `callbackUrl`) and bind the parsed
//! callback to it with [`Callback::for_session`]. The status says how the flow
//! ended in the browser, which the user controls: treat it as a hint, and read
//! what the intent changed (the subscription, say) before showing success.

use std::fmt;
use url::Url;

/// A parsed callback: which session came back, how it says it ended, and the
/// app's own query parameters.
///
/// ```
/// use gigs_connect::{Callback, CallbackStatus};
///
/// let callback = Callback::parse(
///     "myapp://connect-callback?order=42&session_id=csn_0SNlurA049MEWV1GWxpaE5D0t2D6&status=success",
/// )?;
/// assert_eq!(callback.session_id(), "csn_0SNlurA049MEWV1GWxpaE5D0t2D6");
/// assert_eq!(callback.status(), &CallbackStatus::Success);
/// assert_eq!(callback.param("order"), Some("42"));
/// # Ok::<(), gigs_connect::CallbackError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Callback {
    session_id: String,
    status: CallbackStatus,
    params: Vec<(String, String)>,
}

/// How Connect says the flow ended: the `status` query parameter of the callback.
///
/// Connect redirects the browser to `callbackUrl` whichever way the flow ends, and
/// each of the three outcomes Gigs' guide names arrives as a `status` value:
///
/// - **success**: `success`, [`CallbackStatus::Success`]; [`is_success`](Self::is_success)
///   is `true` for it alone.
/// - **error**: `auth_expired` ([`AuthExpired`](Self::AuthExpired): the session was
///   no longer valid, create a new one), `not_allowed` ([`NotAllowed`](Self::NotAllowed):
///   the flow is not allowed for the project's configuration), or a failure or
///   expiry code the docs mention without naming its value: [`Other`](Self::Other).
/// - **abort** (the user left the flow): a value the docs do not name either, so
///   [`Other`](Self::Other) too.
///
/// `Other` keeps every code this version does not know exactly as received
/// ([`as_str`](Self::as_str) gives it back), so it can be logged and matched on;
/// the enum is `#[non_exhaustive]`, so a later version may name more codes. A
/// user who closes the tab never comes back: no callback arrives at all. The
/// status came through the browser, which the user controls: bind the callback to
/// the session you stored ([`Callback::for_session`]) and treat the status as a
/// hint.
///
/// ```
/// use gigs_connect::{Callback, CallbackStatus};
///
/// let callback = Callback::from_query("session_id=csn_0SNlurA049MEWV1GWxpaE5D0t2D6&status=user_aborted")?;
/// assert!(!callback.status().is_success());
/// assert_eq!(callback.status(), &CallbackStatus::Other("user_aborted".to_owned()));
/// assert_eq!(callback.status().as_str(), "user_aborted");
/// # Ok::<(), gigs_connect::CallbackError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CallbackStatus {
    /// `success`: the user completed the flow (the success outcome).
    Success,
    /// `auth_expired`: the session was no longer valid (an error outcome); create a
    /// new session to try again.
    AuthExpired,
    /// `not_allowed`: the flow is not allowed for the project's configuration (an
    /// error outcome).
    NotAllowed,
    /// Any other value, kept exactly as received: an abort, or a failure or expiry
    /// whose value the docs do not name, or a code Gigs adds later. Never a success.
    Other(String),
}

/// Why a URL is not a Connect callback.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// The text is not an absolute URL.
    #[error("callback URL does not parse: {0}")]
    InvalidUrl(String),
    /// The URL has no (or an empty) `session_id` parameter: Connect did not send it here.
    #[error("callback URL has no `session_id` query parameter")]
    MissingSessionId,
    /// The URL has no (or an empty) `status` parameter.
    #[error("callback URL has no `status` query parameter")]
    MissingStatus,
    /// The callback's `session_id` is not the session the app stored for this
    /// browser ([`Callback::for_session`]): someone else's callback, an old one, or
    /// a forged one. Show nothing of it and start over.
    #[error("callback is for another session than the one this browser started")]
    SessionMismatch {
        /// The session id the app stored.
        expected: String,
        /// The `session_id` the callback carried, as received.
        received: String,
    },
}

impl Callback {
    /// Parses a full callback URL: `https://…` or a deep link such as
    /// `myapp://connect-callback?session_id=csn_…&status=success`.
    pub fn parse(url: &str) -> Result<Callback, CallbackError> {
        let url = Url::parse(url).map_err(|e| CallbackError::InvalidUrl(e.to_string()))?;
        Callback::from_pairs(
            url.query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned())),
        )
    }

    /// Parses just the query string (without `?`), as a web framework hands it to a
    /// callback route.
    pub fn from_query(query: &str) -> Result<Callback, CallbackError> {
        Callback::from_pairs(
            url::form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned())),
        )
    }

    fn from_pairs(
        pairs: impl Iterator<Item = (String, String)>,
    ) -> Result<Callback, CallbackError> {
        let mut session_id = None;
        let mut status = None;
        let mut params = Vec::new();
        // Connect appends its parameters, so when the app's URL already had one of
        // the same name, the last one is Connect's.
        for (key, value) in pairs {
            match key.as_str() {
                "session_id" => session_id = Some(value),
                "status" => status = Some(value),
                _ => params.push((key, value)),
            }
        }
        let session_id = session_id
            .filter(|id| !id.is_empty())
            .ok_or(CallbackError::MissingSessionId)?;
        let status = status
            .filter(|s| !s.is_empty())
            .ok_or(CallbackError::MissingStatus)?;
        Ok(Callback {
            session_id,
            status: CallbackStatus::from(status.as_str()),
            params,
        })
    }

    /// The session the user comes back from, as the URL says: check it against
    /// the one you stored with [`for_session`](Self::for_session).
    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    /// The callback, if it is for `stored_session_id`: the id of the session the
    /// app created for this browser and stored before redirecting (in a cookie, a
    /// server-side session, or looked up by a `state` value of its own in
    /// `callbackUrl`). Otherwise [`CallbackError::SessionMismatch`]: the URL is
    /// anyone's to open with any `session_id`, and retrieving that session proves
    /// neither that it is this user's nor how the flow ended.
    ///
    /// ```
    /// use gigs_connect::{Callback, CallbackError};
    ///
    /// // Stored when the session was created, e.g. in a cookie of this browser.
    /// let stored = "csn_0SNlurA049MEWV1GWxpaE5D0t2D6";
    /// let query = "session_id=csn_0SNlurA049MEWV1GWxpaE5D0t2D6&status=success";
    /// let callback = Callback::from_query(query)?.for_session(stored)?;
    /// assert!(callback.status().is_success());
    ///
    /// let forged = Callback::from_query("session_id=csn_someone_else&status=success")?;
    /// assert!(matches!(
    ///     forged.for_session(stored),
    ///     Err(CallbackError::SessionMismatch { .. })
    /// ));
    /// # Ok::<(), CallbackError>(())
    /// ```
    pub fn for_session(self, stored_session_id: &str) -> Result<Callback, CallbackError> {
        match self.session_id == stored_session_id {
            true => Ok(self),
            false => Err(CallbackError::SessionMismatch {
                expected: stored_session_id.to_owned(),
                received: self.session_id,
            }),
        }
    }

    /// How Connect says the flow ended.
    pub fn status(&self) -> &CallbackStatus {
        &self.status
    }

    /// The app's own query parameters, in order, without `session_id` and `status`.
    pub fn params(&self) -> &[(String, String)] {
        &self.params
    }

    /// The first of the app's own parameters called `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

impl CallbackStatus {
    /// The value as sent.
    pub fn as_str(&self) -> &str {
        match self {
            CallbackStatus::Success => "success",
            CallbackStatus::AuthExpired => "auth_expired",
            CallbackStatus::NotAllowed => "not_allowed",
            CallbackStatus::Other(other) => other,
        }
    }

    /// Whether Connect reports success (`success`); `false` for every error, abort
    /// and unknown value. The URL came through the user's browser: only a callback
    /// bound to your stored session ([`Callback::for_session`]) is this user's, and
    /// its status is still only what the browser says.
    pub fn is_success(&self) -> bool {
        *self == CallbackStatus::Success
    }
}

impl From<&str> for CallbackStatus {
    fn from(value: &str) -> Self {
        match value {
            "success" => CallbackStatus::Success,
            "auth_expired" => CallbackStatus::AuthExpired,
            "not_allowed" => CallbackStatus::NotAllowed,
            other => CallbackStatus::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for CallbackStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "csn_0SNlurA049MEWV1GWxpaE5D0t2D6";

    #[test]
    fn an_https_callback_keeps_the_apps_own_parameters() {
        let callback = Callback::parse(&format!(
            "https://example.com/connect/done?cart=7&ref=a%20b&session_id={ID}&status=success"
        ))
        .unwrap();

        assert_eq!(callback.session_id(), ID);
        assert!(callback.status().is_success());
        assert_eq!(
            callback.params(),
            [
                ("cart".to_owned(), "7".to_owned()),
                ("ref".to_owned(), "a b".to_owned())
            ]
        );
    }

    #[test]
    fn a_deep_link_callback_parses() {
        let callback = Callback::parse(&format!(
            "myapp://connect-callback?x=1&session_id={ID}&status=auth_expired"
        ))
        .unwrap();

        assert_eq!(callback.session_id(), ID);
        assert_eq!(callback.status(), &CallbackStatus::AuthExpired);
        assert_eq!(callback.param("x"), Some("1"));
    }

    #[test]
    fn every_known_status_and_an_unknown_one() {
        for (wire, status) in [
            ("success", CallbackStatus::Success),
            ("auth_expired", CallbackStatus::AuthExpired),
            ("not_allowed", CallbackStatus::NotAllowed),
            ("aborted", CallbackStatus::Other("aborted".to_owned())),
        ] {
            let callback = Callback::from_query(&format!("session_id={ID}&status={wire}")).unwrap();
            assert_eq!(callback.status(), &status);
            assert_eq!(callback.status().as_str(), wire);
        }
    }

    #[test]
    fn every_unknown_status_is_kept_exactly_as_received_and_is_no_success() {
        for wire in [
            "aborted",
            "expired",
            "failed",
            "Success",
            "SUCCESS",
            "success ",
            "user_aborted",
            "ÉCHEC",
            "a&b=c",
        ] {
            let query = format!(
                "session_id={ID}&status={}",
                url::form_urlencoded::byte_serialize(wire.as_bytes()).collect::<String>()
            );
            let callback = Callback::from_query(&query).unwrap();
            assert_eq!(callback.status(), &CallbackStatus::Other(wire.to_owned()));
            assert_eq!(callback.status().as_str(), wire);
            assert_eq!(callback.status().to_string(), wire);
            assert!(!callback.status().is_success(), "{wire}");
        }
    }

    #[test]
    fn only_success_is_success() {
        assert!(CallbackStatus::Success.is_success());
        assert!(!CallbackStatus::AuthExpired.is_success());
        assert!(!CallbackStatus::NotAllowed.is_success());
        assert!(!CallbackStatus::from("success!").is_success());
    }

    #[test]
    fn connects_appended_parameters_win_over_the_apps() {
        let callback = Callback::from_query(&format!(
            "?session_id=mine&status=x&session_id={ID}&status=success"
        ))
        .unwrap();

        assert_eq!(callback.session_id(), ID);
        assert!(callback.status().is_success());
    }

    #[test]
    fn a_url_without_session_id_is_refused() {
        for url in [
            "https://example.com/done?status=success",
            "https://example.com/done?session_id=&status=success",
            "myapp://connect-callback",
        ] {
            assert_eq!(
                Callback::parse(url),
                Err(CallbackError::MissingSessionId),
                "{url}"
            );
        }
        assert_eq!(
            Callback::parse(&format!("https://example.com/?session_id={ID}")),
            Err(CallbackError::MissingStatus)
        );
        assert!(matches!(
            Callback::parse("/relative?session_id=x&status=success"),
            Err(CallbackError::InvalidUrl(_))
        ));
        assert_eq!(
            CallbackError::MissingSessionId.to_string(),
            "callback URL has no `session_id` query parameter"
        );
    }

    #[test]
    fn a_callback_is_bound_only_to_the_session_the_app_stored() {
        let query = "session_id=csn_mine&status=success&order=42";
        let bound = Callback::from_query(query)
            .unwrap()
            .for_session("csn_mine")
            .unwrap();
        assert_eq!(bound.param("order"), Some("42"));

        for stored in ["csn_other", "", "csn_mine ", "CSN_MINE"] {
            let refused = Callback::from_query(query).unwrap().for_session(stored);
            assert_eq!(
                refused,
                Err(CallbackError::SessionMismatch {
                    expected: stored.to_owned(),
                    received: "csn_mine".to_owned(),
                }),
                "{stored:?}"
            );
        }
        let shown = Callback::from_query(query)
            .unwrap()
            .for_session("csn_other")
            .unwrap_err()
            .to_string();
        assert_eq!(
            shown,
            "callback is for another session than the one this browser started"
        );
    }
}
