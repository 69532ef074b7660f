//! A web app's Connect journey, with axum:
//!
//! - `GET /` links to the next route;
//! - `GET /subscribe` creates a session, stores its id in a cookie of this browser
//!   and redirects the user to its url (303);
//! - `GET /connect/callback` parses where Connect sent the user back, binds it to
//!   the session id in the cookie (anyone can open a callback URL with any
//!   `session_id`), retrieves the session, and only then shows the outcome.
//!
//! ```text
//! cargo run -p gigs-connect-examples --bin axum_callback --features axum
//! ```
//!
//! Without `GIGS_TOKEN`/`GIGS_PROJECT` it starts the embedded mock server, whose
//! session urls are the mock's own Connect page: open the printed address, pick an
//! outcome on that page, and you land on the callback page, all offline. The app
//! listens on `APP_ADDRESS` (default `127.0.0.1:3000`; a port of 0 picks a free
//! one) and prints where.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use gigs_connect::types::{CreateConnectSessionRequest, Intent};
use gigs_connect::{Callback, CallbackError, Client};
use gigs_connect_mock::MockServer;
use std::sync::Arc;

const DEFAULT_ADDRESS: &str = "127.0.0.1:3000";
/// The cookie that holds the id of the session this browser started.
const SESSION_COOKIE: &str = "connect_session";

struct App {
    client: Client,
    /// Where this app is reachable, for the callback URL.
    public_url: String,
    plan: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut mock = None;
    let client = match (std::env::var("GIGS_TOKEN"), std::env::var("GIGS_PROJECT")) {
        (Ok(token), Ok(project)) => Client::builder().project(project).token(token).build()?,
        _ => {
            let server = MockServer::start().await;
            let client = server.client();
            mock = Some(server);
            client
        }
    };
    let address = std::env::var("APP_ADDRESS").unwrap_or_else(|_| DEFAULT_ADDRESS.to_owned());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    let public_url = format!("http://{}", listener.local_addr()?);
    let app = Arc::new(App {
        client,
        public_url: public_url.clone(),
        plan: std::env::var("GIGS_PLAN")
            .unwrap_or_else(|_| "pln_0SNlurA049MEWV3V0q7gjQbM4EVo".to_owned()),
    });
    let router = Router::new()
        .route("/", get(home))
        .route("/subscribe", get(subscribe))
        .route("/connect/callback", get(callback))
        .with_state(app);
    if let Some(mock) = &mock {
        println!(
            "Connect's pages come from the embedded mock at {}",
            mock.url()
        );
    }
    println!("Open {public_url}/");
    axum::serve(listener, router).await?;
    Ok(())
}

async fn home() -> Html<&'static str> {
    Html(
        "<!doctype html><title>Example app</title><h1>Example app</h1>\
         <p><a id=\"subscribe\" href=\"/subscribe\">Subscribe with Gigs Connect</a></p>",
    )
}

/// Creates the session just before redirecting: sessions are short-lived and
/// single-use, so never create one ahead of time or cache it. Its id goes into a
/// cookie of this browser, for the callback to check.
async fn subscribe(State(app): State<Arc<App>>) -> Result<impl IntoResponse, AppError> {
    let body = CreateConnectSessionRequest::new(Intent::checkout_new_subscription(&app.plan))
        .callback_url(format!("{}/connect/callback?order=42", app.public_url));
    let session = app.client.create_connect_session(&body).await?;
    println!("created {}", session.id);
    let url = session.url.as_ref().ok_or(AppError::NoUrl)?;
    // `SameSite=Lax`: the browser sends it back on Connect's redirect (a top-level
    // GET), not on other sites' requests. (Add `Secure` when served over https.)
    let cookie = format!(
        "{SESSION_COOKIE}={}; Path=/connect; HttpOnly; SameSite=Lax; Max-Age=3600",
        session.id
    );
    // The url holds a login token: hand it to the browser, never to a log.
    Ok(([(SET_COOKIE, cookie)], Redirect::to(url.expose_secret())))
}

/// The callback counts only for the session this browser started (the cookie);
/// its status came through the browser, so it is a hint, shown as such, after the
/// session is retrieved.
async fn callback(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, AppError> {
    let stored = stored_session(&headers).ok_or(AppError::NoStoredSession)?;
    let callback =
        Callback::from_query(query.as_deref().unwrap_or_default())?.for_session(stored)?;
    let session = app
        .client
        .retrieve_connect_session(callback.session_id())
        .await?;
    let outcome = if callback.status().is_success() {
        "Done"
    } else {
        "Not completed"
    };
    // Everything from the URL is the user's input: escape it.
    Ok(Html(format!(
        "<!doctype html><title>{outcome}</title><h1 id=\"outcome\">{outcome}</h1>\
         <p>Order {}: {} for session <code id=\"session\">{}</code> ended with status \
         <code id=\"status\">{}</code>.</p><p><a href=\"/\">Back</a></p>",
        escape(callback.param("order").unwrap_or("?")),
        escape(session.intent.tag()),
        escape(&session.id),
        escape(callback.status().as_str()),
    )))
}

/// The session id this browser's cookie holds, if any.
fn stored_session(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, id)| id)
        .filter(|id| !id.is_empty())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// What the routes can fail with, as HTTP answers. Every message is secret-free.
enum AppError {
    Gigs(gigs_connect::Error),
    Callback(CallbackError),
    NoStoredSession,
    NoUrl,
}

impl From<gigs_connect::Error> for AppError {
    fn from(error: gigs_connect::Error) -> Self {
        AppError::Gigs(error)
    }
}

impl From<CallbackError> for AppError {
    fn from(error: CallbackError) -> Self {
        AppError::Callback(error)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::Callback(error) => (StatusCode::BAD_REQUEST, error.to_string()),
            AppError::NoStoredSession => (
                StatusCode::BAD_REQUEST,
                "This browser started no Connect Session here: open /subscribe first.".to_owned(),
            ),
            AppError::Gigs(error) if error.status() == Some(404) => {
                (StatusCode::NOT_FOUND, "No such Connect Session.".to_owned())
            }
            AppError::Gigs(error) => {
                eprintln!("Gigs call failed: {error}");
                (
                    StatusCode::BAD_GATEWAY,
                    "Gigs is unavailable; try again.".to_owned(),
                )
            }
            AppError::NoUrl => (
                StatusCode::BAD_GATEWAY,
                "Gigs returned a session without a url.".to_owned(),
            ),
        }
        .into_response()
    }
}
