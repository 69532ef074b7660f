//! The hosted flow page at `/entry?session=<id>&token=<token>`: what Connect would
//! show the user, and one form per outcome that ends the flow with a `303 See
//! Other` to the session's `callbackUrl`. Plain HTML, no JavaScript; everything
//! from a session is HTML-escaped. The state it reads and changes is `flow.rs`.

use crate::flow::{FLOW_PATH, OUTCOMES, Stage, callback_target};
use crate::state::State;
use crate::{ReceivedHeaders, ReceivedRequest};
use gigs_connect::CallbackStatus;
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue, LOCATION};
use hyper::http::request::Parts;
use hyper::{Method, Response};
use serde_json::{Map, Value as Json};

/// What replaces the login token in the request log.
const REDACTED: &str = "[redacted]";

/// Whether a request is for the flow page rather than the API.
pub(crate) fn is_flow_request(parts: &Parts) -> bool {
    parts.uri.path() == FLOW_PATH
}

/// Answers a request for the flow page. It is logged without its token (and
/// without `Referer`, which repeats the page's url), cut short as requests
/// without an API token are.
pub(crate) fn answer(state: &State, parts: &Parts, body: &Bytes) -> Response<Full<Bytes>> {
    let query = parts.uri.query().unwrap_or_default();
    let first = |name: &str| {
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    };
    let (session_id, token) = (first("session"), first("token"));
    log(state, parts, body, token.as_deref());
    if parts.method != Method::GET && parts.method != Method::POST {
        let mut response = page(
            405,
            "Method not allowed",
            "<p>This page takes GET and POST.</p>",
        );
        response
            .headers_mut()
            .insert(hyper::header::ALLOW, HeaderValue::from_static("GET, POST"));
        return response;
    }
    let mut memory = state.memory.lock().expect("mock memory lock");
    let id = session_id.unwrap_or_default();
    let session = memory.sessions.session(&id).cloned();
    let flow = memory.sessions.flows.get_mut(&id);
    let (Some(session), Some(flow)) = (session, flow) else {
        return refused();
    };
    if !token.is_some_and(|token| flow.accepts(&token)) {
        return refused();
    }
    let chosen = if parts.method == Method::GET {
        if flow.stage == Stage::Issued {
            flow.stage = Stage::Opened;
            return page(200, "Gigs Connect (mock)", &flow_body(&id, &session));
        }
        None
    } else if flow.stage == Stage::Ended {
        None
    } else {
        let status = url::form_urlencoded::parse(body)
            .find(|(key, _)| key == "status")
            .map(|(_, value)| value.into_owned());
        match OUTCOMES
            .iter()
            .find(|o| Some(o.status) == status.as_deref())
        {
            Some(outcome) => Some(outcome.status),
            None => return unknown_outcome(status.as_deref()),
        }
    };
    // A used url (or a second visit to an opened page) ends as Connect's do.
    let status = chosen.unwrap_or("auth_expired");
    flow.end(CallbackStatus::from(status));
    let used = chosen.is_none();
    match callback_target(&id, &session, status) {
        Ok(target) => see_other(target.as_str()),
        Err(_) if used => page(
            410,
            "Link already used",
            "<p>This Connect link has already been used (<code>auth_expired</code>), \
             and the session has no <code>callbackUrl</code> to return to.</p>",
        ),
        Err(_) => page(
            200,
            "Flow ended",
            &format!(
                "<p>The Connect flow of session <code>{}</code> ended with status \
                 <code>{}</code>.</p><p>The session has no usable <code>callbackUrl</code>, \
                 so Connect would redirect nowhere: you can close this page.</p>",
                escape(&id),
                escape(status),
            ),
        ),
    }
}

/// Logs the request with every copy of the token replaced and `Referer` left
/// out; a visitor holds no API token, so the entry is cut short. A token shorter
/// than the replacement is no token the mock issued (those have 64 characters)
/// and stays: replacing it could grow a hostile request many times over.
fn log(state: &State, parts: &Parts, body: &Bytes, token: Option<&str>) {
    let scrub = |text: String| match token.filter(|t| t.len() >= REDACTED.len()) {
        Some(token) => text.replace(token, REDACTED),
        None => text,
    };
    let mut headers = ReceivedHeaders::from_map(&parts.headers);
    headers
        .0
        .retain(|(name, _)| name != hyper::header::REFERER.as_str());
    for (_, value) in &mut headers.0 {
        *value = scrub(std::mem::take(value));
    }
    let body = scrub(String::from_utf8_lossy(body).into_owned());
    state.log(
        ReceivedRequest {
            method: parts.method.to_string(),
            path: scrub(parts.uri.to_string()),
            content_type: parts
                .headers
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            headers,
            body: body.into_bytes(),
        },
        false,
    );
}

/// What the session is for, and one form per outcome.
fn flow_body(id: &str, session: &Map<String, Json>) -> String {
    let intent = session.get("intent").cloned().unwrap_or(Json::Null);
    let kind = intent.get("type").and_then(Json::as_str).unwrap_or("?");
    let payload = intent.get(kind).cloned().unwrap_or_else(|| intent.clone());
    let user = match session.get("user").and_then(Json::as_str) {
        Some(user) => format!("<code>{}</code>", escape(user)),
        None => "none yet: Connect would ask the user to sign in".to_owned(),
    };
    let appearance = match session.get("appearance") {
        Some(appearance) if !appearance.is_null() => {
            format!("<pre>{}</pre>", escape(&pretty(appearance)))
        }
        _ => "Connect's default".to_owned(),
    };
    let returns_to = match session.get("callbackUrl").and_then(Json::as_str) {
        Some(url) => format!("<code>{}</code>", escape(url)),
        None => "no <code>callbackUrl</code>: the flow ends on this page".to_owned(),
    };
    let forms: String = OUTCOMES
        .iter()
        .map(|outcome| {
            let source = if outcome.documented_by_gigs {
                "documented by Gigs"
            } else {
                "the mock's choice"
            };
            format!(
                "<form method=\"post\"><input type=\"hidden\" name=\"status\" value=\"{status}\">\
                 <button type=\"submit\" id=\"outcome-{status}\">{label}</button> \
                 <code>status={status}</code> <small>({source})</small></form>\n",
                status = outcome.status,
                label = escape(outcome.label),
            )
        })
        .collect();
    format!(
        "<p class=\"note\">gigs-connect mock: an offline stand-in for Gigs Connect.</p>\n\
         <h1>Connect Session <code>{id}</code></h1>\n<dl>\n\
         <dt>Intent</dt><dd><code>{kind}</code></dd>\n\
         <dt>Payload</dt><dd><pre>{payload}</pre></dd>\n\
         <dt>User</dt><dd>{user}</dd>\n\
         <dt>Appearance</dt><dd>{appearance}</dd>\n\
         <dt>Returns to</dt><dd>{returns_to}</dd>\n</dl>\n\
         <h2>End the flow</h2>\n{forms}",
        id = escape(id),
        kind = escape(kind),
        payload = escape(&pretty(&payload)),
    )
}

fn pretty(value: &Json) -> String {
    serde_json::to_string_pretty(value).expect("a JSON value encodes")
}

/// A wrong, missing or stale token, or an unknown session: nothing to choose.
fn refused() -> Response<Full<Bytes>> {
    page(
        403,
        "Link not valid",
        "<p>This Connect link is not valid: its session or token is unknown.</p>",
    )
}

fn unknown_outcome(status: Option<&str>) -> Response<Full<Bytes>> {
    let offered: Vec<&str> = OUTCOMES.iter().map(|o| o.status).collect();
    page(
        400,
        "Unknown outcome",
        &format!(
            "<p>The form sent <code>status={}</code>; the page offers {}.</p>",
            escape(status.unwrap_or("")),
            escape(&offered.join(", ")),
        ),
    )
}

fn see_other(location: &str) -> Response<Full<Bytes>> {
    let mut response = page(303, "See Other", "<p>Returning to the app.</p>");
    let location = HeaderValue::from_str(location).expect("a serialized URL is header-safe");
    response.headers_mut().insert(LOCATION, location);
    response
}

/// An HTML page; `body` is already escaped. The page's url holds a login token,
/// so it is never cached and never sent on as a `Referer`.
fn page(status: u16, title: &str, body: &str) -> Response<Full<Bytes>> {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>{title}</title><style>{STYLE}</style></head>\n<body><main>\n{body}</main></body></html>\n",
        title = escape(title),
    );
    Response::builder()
        .status(status)
        .header(CONTENT_TYPE, "text/html; charset=utf-8")
        .header(CACHE_CONTROL, "no-store")
        .header("referrer-policy", "no-referrer")
        .header(
            "content-security-policy",
            "default-src 'none'; style-src 'unsafe-inline'",
        )
        .body(Full::new(Bytes::from(html)))
        .expect("a valid status and headers")
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f4f4f6;margin:0}\
main{max-width:40rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:12px}\
.note{color:#8a5a00;background:#fff4d6;padding:.4rem .6rem;border-radius:6px}\
dt{font-weight:600;margin-top:.6rem}pre{background:#f4f4f6;padding:.5rem;overflow:auto}\
form{margin:.5rem 0}button{min-width:14rem;padding:.4rem .8rem}";

/// `text` safe to put in HTML text and in quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_leaves_no_markup() {
        assert_eq!(
            escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }
}
