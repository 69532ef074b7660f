//! N `retrieve_connect_session` calls against the mock server, through gigs-connect
//! or as a raw reqwest call with the same headers and decode, for counting
//! instructions (wall time on a shared machine is too noisy for a 5% question):
//!
//! ```text
//! cargo build --release -p benchmarks --bin client-instructions
//! for mode in none ours raw; do
//!   n=2000; [ $mode = none ] && n=0
//!   valgrind --tool=callgrind target/release/client-instructions $mode $n 2>&1 | grep refs
//! done
//! # per request: (refs(mode) - refs(none)) / 2000
//! ```

use gigs_connect::types::{ConnectSession, CreateConnectSessionRequest, Intent};
use gigs_connect_mock::MockServer;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: client-instructions none|ours|raw CALLS";
    let mode = args.next().expect(usage);
    let calls: usize = args.next().and_then(|n| n.parse().ok()).expect(usage);
    let server = MockServer::start().await;
    let client = server.client();
    let id = client
        .create_connect_session(&CreateConnectSessionRequest::new(
            Intent::checkout_new_subscription("pln_0SNlurA049MEWV3V0q7gjQbM4EVo"),
        ))
        .await
        .expect("the mock creates a session")
        .id;
    benchmarks::raw_reqwest_provider();
    let raw = reqwest::Client::new();
    let url = format!(
        "{}/projects/{}/connectSessions/{id}",
        server.url(),
        server.project()
    );
    let authorization = format!("Bearer {}", server.token());
    for _ in 0..calls {
        match mode.as_str() {
            "ours" => {
                std::hint::black_box(client.retrieve_connect_session(&id).await.unwrap());
            }
            "raw" => {
                let bytes = raw
                    .get(&url)
                    .header("authorization", &authorization)
                    .header("accept", "application/json")
                    .header("user-agent", "raw")
                    .send()
                    .await
                    .unwrap()
                    .bytes()
                    .await
                    .unwrap();
                let session: ConnectSession = serde_json::from_slice(&bytes).unwrap();
                std::hint::black_box(session);
            }
            "none" => {}
            other => panic!("unknown mode {other:?}; {usage}"),
        }
    }
}
