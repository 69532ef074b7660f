//! The mock hosts Connect's flow page: a session's url is the mock's own page,
//! each outcome ends the flow with a 303 to the callback, the url is single-use
//! and guarded by its token, and `complete_flow` does the same without a browser.

mod support;

use gigs_connect::types::{
    Appearance, ConnectSession, CreateConnectSessionRequest, Intent, Theme,
    UpdateConnectSessionRequest,
};
use gigs_connect::{Callback, CallbackStatus};
use gigs_connect_mock::{CallbackUrlError, MockServer, UNAUTHENTICATED_KEPT_BYTES};

const PLAN: &str = "pln_0SNlurA049MEWV3V0q7gjQbM4EVo";
const USER: &str = "usr_0SNlurA049MEWV4OpCwsNyC9Kn2d";
const CALLBACK: &str = "https://app.example/connect/done?order=42&lang=en";
/// Every outcome the page offers: Gigs' three, then the mock's two.
const OUTCOMES: [&str; 5] = [
    "success",
    "auth_expired",
    "not_allowed",
    "aborted",
    "failed",
];

/// A browser that does not follow redirects, so a test sees each 303.
fn browser() -> reqwest::Client {
    drop(support::raw_client());
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn create(server: &MockServer, body: CreateConnectSessionRequest) -> ConnectSession {
    server.client().create_connect_session(&body).await.unwrap()
}

async fn checkout_with_callback(server: &MockServer) -> ConnectSession {
    let body = CreateConnectSessionRequest::new(Intent::checkout_new_subscription(PLAN))
        .callback_url(CALLBACK);
    create(server, body).await
}

fn url_of(session: &ConnectSession) -> String {
    session
        .url
        .as_ref()
        .expect("a url")
        .expose_secret()
        .to_owned()
}

/// What a page answered: status, `Location`, `Content-Type`, the caching and
/// referrer headers, and body.
struct Page {
    status: u16,
    location: Option<String>,
    content_type: String,
    cache_control: Option<String>,
    referrer_policy: Option<String>,
    body: String,
}

async fn send(request: reqwest::RequestBuilder) -> Page {
    let response = request.send().await.expect("the mock answers");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let (location, content_type) = (header("location"), header("content-type"));
    let (cache_control, referrer_policy) = (header("cache-control"), header("referrer-policy"));
    Page {
        status: response.status().as_u16(),
        location,
        content_type: content_type.unwrap_or_default(),
        cache_control,
        referrer_policy,
        body: response.text().await.unwrap(),
    }
}

async fn open(url: &str) -> Page {
    send(browser().get(url)).await
}

/// Submits the form of the outcome `status`, as the page's form does: a POST to
/// the page's own url.
async fn choose(url: &str, status: &str) -> Page {
    let request = browser()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("status={status}"));
    send(request).await
}

fn callback_of(page: &Page) -> Callback {
    assert_eq!(page.status, 303, "{}", page.body);
    Callback::parse(page.location.as_deref().expect("a Location")).unwrap()
}

#[tokio::test]
async fn the_session_url_is_the_mocks_own_flow_page() {
    let server = MockServer::start().await;
    let session = checkout_with_callback(&server).await;
    let url = url::Url::parse(&url_of(&session)).unwrap();
    let mock = url::Url::parse(&server.url()).unwrap();
    assert_eq!(
        (url.scheme(), url.host_str(), url.port()),
        (mock.scheme(), mock.host_str(), mock.port())
    );
    assert_eq!(url.path(), "/entry");
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(pairs[0], ("session".to_owned(), session.id.clone()));
    assert_eq!(pairs[1].0, "token");
    assert_eq!(pairs[1].1.len(), 64);

    let raw = support::raw_client()
        .post(format!(
            "{}/projects/{}/connectSessions",
            server.url(),
            server.project()
        ))
        .bearer_auth(server.token())
        .header("content-type", "application/json")
        .body(r#"{"intent":{"type":"viewSubscriptions"}}"#)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!raw.contains("connect.gigs.com"), "{raw}");
    assert!(
        raw.contains(&format!("{}/entry?session=", server.url())),
        "{raw}"
    );
}

#[tokio::test]
async fn the_page_shows_the_session_and_offers_one_post_form_per_outcome() {
    let server = MockServer::start().await;
    let body = CreateConnectSessionRequest::new(Intent::checkout_new_subscription(PLAN))
        .callback_url(CALLBACK)
        .user(USER)
        .appearance(Appearance::new().theme(Theme::Dark));
    let session = create(&server, body).await;
    let page = open(&url_of(&session)).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.content_type, "text/html; charset=utf-8");
    // The page's url holds the login token: never cached, never sent on as a Referer.
    assert_eq!(page.cache_control.as_deref(), Some("no-store"));
    assert_eq!(page.referrer_policy.as_deref(), Some("no-referrer"));
    for shown in ["checkoutNewSubscription", PLAN, USER, "dark", &session.id] {
        assert!(
            page.body.contains(shown),
            "{shown} missing from {}",
            page.body
        );
    }
    assert_eq!(
        page.body.matches("<form method=\"post\">").count(),
        OUTCOMES.len()
    );
    for status in OUTCOMES {
        let input = format!("<input type=\"hidden\" name=\"status\" value=\"{status}\">");
        assert!(page.body.contains(&input), "{input} missing");
    }
    assert!(!page.body.contains("<script"), "no JavaScript");
}

#[tokio::test]
async fn each_outcome_redirects_303_to_the_callback_with_the_apps_parameters_kept() {
    let server = MockServer::start().await;
    for status in OUTCOMES {
        let session = checkout_with_callback(&server).await;
        let url = url_of(&session);
        assert_eq!(open(&url).await.status, 200);
        let page = choose(&url, status).await;
        let location = url::Url::parse(page.location.as_deref().unwrap()).unwrap();
        assert_eq!(
            (location.host_str(), location.path()),
            (Some("app.example"), "/connect/done")
        );
        let callback = callback_of(&page);
        assert_eq!(callback.session_id(), session.id);
        assert_eq!(callback.status().as_str(), status);
        assert_eq!(callback.param("order"), Some("42"));
        assert_eq!(callback.param("lang"), Some("en"));
        assert_eq!(
            server.flow_outcome(&session.id),
            Some(CallbackStatus::from(status))
        );
    }
}

#[tokio::test]
async fn a_used_url_redirects_with_auth_expired_and_keeps_its_first_outcome() {
    let server = MockServer::start().await;
    let session = checkout_with_callback(&server).await;
    let url = url_of(&session);
    open(&url).await;
    assert!(
        callback_of(&choose(&url, "success").await)
            .status()
            .is_success()
    );

    let again = callback_of(&open(&url).await);
    assert_eq!(again.status(), &CallbackStatus::AuthExpired);
    assert_eq!(again.param("order"), Some("42"));
    let resubmitted = callback_of(&choose(&url, "success").await);
    assert_eq!(resubmitted.status(), &CallbackStatus::AuthExpired);
    assert_eq!(
        server.flow_outcome(&session.id),
        Some(CallbackStatus::Success)
    );
}

#[tokio::test]
async fn a_second_visit_to_an_opened_page_ends_the_flow_as_auth_expired() {
    let server = MockServer::start().await;
    let session = checkout_with_callback(&server).await;
    let url = url_of(&session);
    assert_eq!(open(&url).await.status, 200);
    assert_eq!(server.flow_outcome(&session.id), None, "opened, not ended");
    let again = callback_of(&open(&url).await);
    assert_eq!(again.status(), &CallbackStatus::AuthExpired);
    assert_eq!(
        server.flow_outcome(&session.id),
        Some(CallbackStatus::AuthExpired)
    );
}

#[tokio::test]
async fn a_wrong_or_missing_token_is_refused_with_403_and_no_outcome() {
    let server = MockServer::start().await;
    let session = checkout_with_callback(&server).await;
    let url = url_of(&session);
    let (base, token) = url.split_once("&token=").unwrap();
    let wrong = format!(
        "{base}&token={}",
        token.to_lowercase().replace(char::is_numeric, "x")
    );
    let other = checkout_with_callback(&server).await;
    let crossed = format!(
        "{base}&token={}",
        url_of(&other).split_once("&token=").unwrap().1
    );
    let unknown = format!("{}/entry?session=csn_nope&token={token}", server.url());
    for bad in [wrong.as_str(), base, &crossed, &unknown] {
        for page in [open(bad).await, choose(bad, "success").await] {
            assert_eq!(page.status, 403, "{bad}");
            assert!(
                !page.body.contains("<form"),
                "no outcome offered: {}",
                page.body
            );
            assert!(page.location.is_none());
        }
    }
    assert_eq!(server.flow_outcome(&session.id), None);
    assert_eq!(open(&url).await.status, 200, "the real url still works");
}

#[tokio::test]
async fn without_a_callback_url_the_page_says_how_the_flow_ended() {
    let server = MockServer::start().await;
    let body = CreateConnectSessionRequest::new(Intent::view_subscriptions());
    let session = create(&server, body).await;
    let url = url_of(&session);
    assert!(open(&url).await.body.contains("the flow ends on this page"));
    let ended = choose(&url, "not_allowed").await;
    assert_eq!((ended.status, ended.location.as_deref()), (200, None));
    assert!(
        ended
            .body
            .contains("ended with status <code>not_allowed</code>"),
        "{}",
        ended.body
    );
    assert_eq!(
        server.flow_outcome(&session.id),
        Some(CallbackStatus::NotAllowed)
    );

    let again = open(&url).await;
    assert_eq!((again.status, again.location.as_deref()), (410, None));
    assert!(again.body.contains("already been used"), "{}", again.body);
}

#[tokio::test]
async fn a_script_in_the_payload_is_html_escaped() {
    let server = MockServer::start().await;
    let evil = "<script>alert('x')</script>";
    let body = CreateConnectSessionRequest::new(Intent::checkout_new_subscription(evil))
        .callback_url("https://app.example/?q=\"><script>alert(1)</script>");
    let session = create(&server, body).await;
    let page = open(&url_of(&session)).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("<script"), "{}", page.body);
    assert!(
        page.body
            .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn an_outcome_the_page_does_not_offer_is_refused_and_the_flow_goes_on() {
    let server = MockServer::start().await;
    let session = checkout_with_callback(&server).await;
    let url = url_of(&session);
    let page = choose(&url, "%3Cb%3Ewon").await;
    assert_eq!(page.status, 400);
    assert!(page.body.contains("&lt;b&gt;won"), "{}", page.body);
    assert_eq!(server.flow_outcome(&session.id), None);
    assert!(
        callback_of(&choose(&url, "aborted").await)
            .status()
            .as_str()
            == "aborted"
    );
}

#[tokio::test]
async fn the_request_log_never_keeps_the_token() {
    let server = MockServer::start().await;
    let session = checkout_with_callback(&server).await;
    let url = url_of(&session);
    let token = url.split_once("&token=").unwrap().1.to_owned();
    send(
        browser()
            .get(&url)
            .header("referer", &url)
            .header("x-echo", &token),
    )
    .await;
    let request = browser()
        .post(&url)
        .header("referer", &url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("status=success&token={token}"));
    assert_eq!(send(request).await.status, 303);

    let log = server.requests();
    let visits: Vec<_> = log
        .iter()
        .filter(|r| r.path.starts_with("/entry"))
        .collect();
    assert_eq!(visits.len(), 2);
    for request in &log {
        let text = format!(
            "{} {:?} {}",
            request.path,
            request
                .headers
                .names()
                .map(|n| (n, request.header(n)))
                .collect::<Vec<_>>(),
            String::from_utf8_lossy(&request.body)
        );
        assert!(!text.contains(&token), "{text}");
    }
    assert_eq!(
        visits[1].path,
        format!("/entry?session={}&token=[redacted]", session.id)
    );
    assert_eq!(visits[1].header("referer"), None);
}

#[tokio::test]
async fn a_hostile_visit_is_logged_cut_short() {
    let server = MockServer::start().await;
    let session = checkout_with_callback(&server).await;
    // Well past the log's cut, and a URI reqwest still sends (under 64 KiB).
    let long = "x".repeat(20_000);
    let url = format!(
        "{}/entry?session={}&token=x&pad={long}",
        server.url(),
        session.id
    );
    let request = browser()
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("status=success&pad={long}"));
    assert_eq!(send(request).await.status, 403);
    let logged = server.requests().pop().unwrap();
    assert!(
        logged.path.len() <= UNAUTHENTICATED_KEPT_BYTES,
        "{}",
        logged.path.len()
    );
    assert!(logged.body.len() <= UNAUTHENTICATED_KEPT_BYTES);
}

#[tokio::test]
async fn complete_flow_ends_the_flow_and_returns_the_redirect_target() {
    let server = MockServer::start().await;
    let session = checkout_with_callback(&server).await;
    let status = CallbackStatus::Other("aborted".to_owned());
    let target = server.complete_flow(&session.id, &status).unwrap();
    let callback = Callback::parse(target.as_str()).unwrap();
    assert_eq!(callback.session_id(), session.id);
    assert_eq!(callback.status(), &status);
    assert_eq!(callback.param("order"), Some("42"));
    assert_eq!(server.flow_outcome(&session.id), Some(status.clone()));

    let expired = callback_of(&open(&url_of(&session)).await);
    assert_eq!(
        expired.status(),
        &CallbackStatus::AuthExpired,
        "the url is used"
    );
    assert_eq!(
        server.complete_flow(&session.id, &CallbackStatus::Success),
        Err(CallbackUrlError::FlowEnded(session.id.clone()))
    );
    assert_eq!(server.flow_outcome(&session.id), Some(status));
    assert_eq!(
        server.complete_flow("csn_nope", &CallbackStatus::Success),
        Err(CallbackUrlError::SessionNotFound("csn_nope".to_owned()))
    );
}

#[tokio::test]
async fn complete_flow_without_a_callback_url_records_the_outcome_and_says_why() {
    let server = MockServer::start().await;
    let session = create(
        &server,
        CreateConnectSessionRequest::new(Intent::view_subscriptions()),
    )
    .await;
    assert_eq!(
        server.complete_flow(&session.id, &CallbackStatus::Success),
        Err(CallbackUrlError::NoCallbackUrl(session.id.clone()))
    );
    assert_eq!(
        server.flow_outcome(&session.id),
        Some(CallbackStatus::Success)
    );
}

#[tokio::test]
async fn an_update_that_associates_a_user_hands_out_a_new_url_and_retires_the_old() {
    let server = MockServer::start().await;
    let session = checkout_with_callback(&server).await;
    let updated = server
        .client()
        .update_connect_session(&session.id, &UpdateConnectSessionRequest::new().user(USER))
        .await
        .unwrap();
    assert_eq!(open(&url_of(&session)).await.status, 403, "the old url");
    let page = open(&url_of(&updated)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(USER));
}

#[tokio::test]
async fn the_flow_page_takes_get_and_post_only() {
    let server = MockServer::start().await;
    let session = checkout_with_callback(&server).await;
    let response = browser().delete(url_of(&session)).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(response.headers()["allow"], "GET, POST");
    assert_eq!(open(&url_of(&session)).await.status, 200, "still unused");
}

/// The mock as a process, so a non-Rust app gets the same journey: it prints its
/// url, project and token; a session created over plain HTTP leads to its page.
#[tokio::test]
async fn the_mock_binary_serves_the_same_flow_page() {
    use std::io::{BufRead, BufReader};
    /// Ends the process however the test ends.
    struct Running(std::process::Child);
    impl Drop for Running {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gigs-connect-mock"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the mock binary starts");
    let stdout = child.stdout.take().unwrap();
    let _running = Running(child);
    let mut printed = std::collections::HashMap::new();
    for line in BufReader::new(stdout).lines().take(3) {
        let line = line.unwrap();
        let (key, value) = line.split_once('=').expect("key=value lines");
        printed.insert(key.to_owned(), value.to_owned());
    }
    let (base, project, token) = (&printed["url"], &printed["project"], &printed["token"]);
    let created = support::raw_client()
        .post(format!("{base}/projects/{project}/connectSessions"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(format!(
            r#"{{"intent":{{"type":"viewSubscriptions"}},"callbackUrl":"{CALLBACK}"}}"#
        ))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let created: serde_json::Value = serde_json::from_slice(&created).unwrap();
    let url = created["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&format!("{base}/entry?session=")), "{url}");
    assert_eq!(open(&url).await.status, 200);
    let callback = callback_of(&choose(&url, "success").await);
    assert_eq!(callback.session_id(), created["id"].as_str().unwrap());
    assert_eq!(callback.param("order"), Some("42"));
}
