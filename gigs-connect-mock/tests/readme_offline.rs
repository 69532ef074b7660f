//! The crate README's "As a library, in your tests" test, run as the test it shows.
//! `the_readme_shows_this_test_verbatim` keeps the README's copy identical.

use gigs_connect::types::{ApiError, ApiErrorType, CreateConnectSessionRequest, Intent};
use gigs_connect_mock::MockServer;

#[tokio::test]
async fn checkout_creates_one_session_and_reports_a_refusal() {
    // Start the server and take a client for it.
    let server = MockServer::start().await;
    let client = server.client();

    // Call it as your code would.
    let body = CreateConnectSessionRequest::new(Intent::checkout_new_subscription(
        "pln_0SNlurA049MEWV3V0q7gjQbM4EVo",
    ))
    .callback_url("https://example.com/connect/done");
    let session = client.create_connect_session(&body).await.unwrap();
    assert!(session.url.is_some());

    // Inspect what reached the server.
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "POST");
    assert_eq!(
        requests[0].path,
        format!("/projects/{}/connectSessions", server.project())
    );
    let sent = requests[0].json().unwrap();
    assert_eq!(sent["intent"]["type"], "checkoutNewSubscription");

    // Make the next call fail the way Gigs would, and check your handling of it.
    let refusal = ApiError::new(ApiErrorType::PermissionDenied, "Plan not available.")
        .code("planNotAvailable");
    server.fail_next(1, 403, &refusal);
    let error = client.create_connect_session(&body).await.unwrap_err();
    assert_eq!(error.status(), Some(403));
    assert_eq!(
        error.api_error().unwrap().code.as_deref(),
        Some("planNotAvailable")
    );
}

/// The README's block, which is this file between the header and this test.
#[test]
fn the_readme_shows_this_test_verbatim() {
    let readme = include_str!("../README.md");
    let section = readme
        .find("## As a library, in your tests")
        .expect("the README has the section");
    let start = section + readme[section..].find("```rust\n").expect("a rust block") + 8;
    let end = start + readme[start..].find("```\n").expect("the block ends");
    let this_file = include_str!("readme_offline.rs");
    let test = this_file
        .split_once("\n\n")
        .map(|(_, rest)| rest)
        .and_then(|rest| {
            rest.split_once("\n/// The README's block")
                .map(|(test, _)| test)
        })
        .expect("this file's layout");
    assert_eq!(
        &readme[start..end],
        test,
        "README.md and this file disagree"
    );
}
