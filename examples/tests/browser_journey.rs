//! The whole Connect journey in a real browser: headless Chromium, driven through
//! chromedriver, opens the axum example (with its embedded mock), follows the
//! redirect to the mock's Connect page, picks each outcome in turn (a fresh session
//! each time) and reads the app's callback page.
//!
//! It needs Debian's `chromium` and `chromium-driver` (`scripts/install-chromium.sh`)
//! and the `browser-test` feature, so only .ci/run runs it:
//!
//! ```text
//! cargo test -p gigs-connect-examples --features browser-test --test browser_journey
//! ```
//!
//! `CHROMIUM` and `CHROMEDRIVER` name other binaries; `FLOW_SCREENSHOT=path.png`
//! saves a screenshot of the Connect page (the one in gigs-connect's README).

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Every outcome the mock's page offers, and the heading the app shows for it.
const OUTCOMES: [(&str, &str); 5] = [
    ("success", "Done"),
    ("auth_expired", "Not completed"),
    ("not_allowed", "Not completed"),
    ("aborted", "Not completed"),
    ("failed", "Not completed"),
];

/// How long a process gets to start listening; a loaded CI machine is slow.
const START_WITHIN: Duration = Duration::from_secs(60);

/// A child process killed when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A directory removed when the test ends.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().unwrap().port()
}

/// Waits until something listens on `addr`.
fn wait_for_listener(addr: SocketAddr, what: &str) {
    let start = Instant::now();
    while TcpStream::connect(addr).is_err() {
        assert!(
            start.elapsed() < START_WITHIN,
            "{what} did not listen on {addr}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn start_chromedriver() -> (Running, String) {
    let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned());
    let port = free_port();
    let child = Command::new(&binary)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("{binary} does not start ({e}); run scripts/install-chromium.sh")
        });
    let running = Running(child);
    wait_for_listener(([127, 0, 0, 1], port).into(), "chromedriver");
    (running, format!("http://127.0.0.1:{port}"))
}

/// Starts the example on a free port; answers the app's and the mock's URLs.
fn start_example() -> (Running, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_axum_callback"))
        .env("APP_ADDRESS", "127.0.0.1:0")
        .env_remove("GIGS_TOKEN")
        .env_remove("GIGS_PROJECT")
        .stdout(Stdio::piped())
        .spawn()
        .expect("the example starts");
    let stdout = child.stdout.take().unwrap();
    let running = Running(child);
    // The reader keeps reading after the address, so the example's later lines
    // ("created csn_…") never meet a closed pipe.
    let (sender, addresses) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut mock = None;
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(url) = line.strip_prefix("Connect's pages come from the embedded mock at ")
            {
                mock = Some(url.to_owned());
            }
            if let Some(url) = line.strip_prefix("Open ") {
                let app = url.trim_end_matches('/').to_owned();
                let _ = sender.send((app, mock.take()));
            }
        }
    });
    let (app, mock) = addresses
        .recv_timeout(START_WITHIN)
        .expect("the example prints its address");
    (
        running,
        app,
        mock.expect("the example runs its embedded mock"),
    )
}

async fn start_browser(webdriver: &str) -> (Client, TempDir) {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let profile = TempDir(std::env::temp_dir().join(format!(
        "gigs-connect-chromium-{}-{nanos}",
        std::process::id()
    )));
    // Without the networking flags Chromium keeps trying to reach Google's hosts,
    // which a closed network refuses, and can hang.
    let capabilities = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=900,1000",
                format!("--user-data-dir={}", profile.0.display()),
            ],
        },
    });
    let serde_json::Value::Object(capabilities) = capabilities else {
        unreachable!("a JSON object")
    };
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(webdriver)
        .await
        .expect("chromedriver starts a Chromium session");
    (client, profile)
}

/// What the app's callback page showed at the end of a walk, and the Connect
/// page's url the walk went through.
struct Walked {
    heading: String,
    status: String,
    connect_url: String,
}

/// Opens the app, follows it to Connect's page, picks `status`, and answers what
/// the app's callback page shows, after checking the page's session.
async fn walk(browser: &Client, app: &str, mock: &str, status: &str) -> Walked {
    browser.goto(&format!("{app}/")).await.unwrap();
    browser
        .find(Locator::Id("subscribe"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let heading = browser
        .wait()
        .for_element(Locator::Css("h1"))
        .await
        .unwrap();
    let page = browser.current_url().await.unwrap();
    assert!(
        page.as_str().starts_with(&format!("{mock}/entry?session=")),
        "the session url is the mock's page, not {}",
        page.origin().ascii_serialization()
    );
    let session = page
        .query_pairs()
        .find(|(key, _)| key == "session")
        .map(|(_, id)| id.into_owned())
        .unwrap();
    assert!(heading.text().await.unwrap().contains(&session));
    if let (true, Ok(path)) = (status == "success", std::env::var("FLOW_SCREENSHOT")) {
        std::fs::write(path, browser.screenshot().await.unwrap()).unwrap();
    }
    browser
        .find(Locator::Id(&format!("outcome-{status}")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let outcome = browser
        .wait()
        .for_element(Locator::Id("outcome"))
        .await
        .unwrap();
    let back = browser.current_url().await.unwrap();
    assert!(
        back.as_str()
            .starts_with(&format!("{app}/connect/callback?order=42&")),
        "{back}"
    );
    let shown_session = browser.find(Locator::Id("session")).await.unwrap();
    assert_eq!(shown_session.text().await.unwrap(), session);
    let shown_status = browser.find(Locator::Id("status")).await.unwrap();
    Walked {
        heading: outcome.text().await.unwrap(),
        status: shown_status.text().await.unwrap(),
        connect_url: page.to_string(),
    }
}

/// The app's heading and status after the browser opens `url` and follows it.
async fn landing(browser: &Client, url: &str) -> (String, String) {
    browser.goto(url).await.unwrap();
    let heading = browser
        .wait()
        .for_element(Locator::Id("outcome"))
        .await
        .unwrap();
    let status = browser.find(Locator::Id("status")).await.unwrap();
    (heading.text().await.unwrap(), status.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_walks_every_outcome_from_the_app_through_connect_to_the_callback() {
    let (_driver, webdriver) = start_chromedriver();
    let (_example, app, mock) = start_example();
    let (browser, _profile) = start_browser(&webdriver).await;

    let mut used = None;
    for (status, heading) in OUTCOMES {
        let walked = walk(&browser, &app, &mock, status).await;
        assert_eq!(
            (walked.heading.as_str(), walked.status.as_str()),
            (heading, status)
        );
        used = Some(walked.connect_url);
    }

    // The Connect url works once: opening the last one again (the session this
    // browser's cookie names) lands on the callback with auth_expired.
    let (heading, status) = landing(&browser, &used.unwrap()).await;
    assert_eq!(
        (heading.as_str(), status.as_str()),
        ("Not completed", "auth_expired")
    );

    // A callback for a session this browser did not start is refused.
    browser
        .goto(&format!(
            "{app}/connect/callback?session_id=csn_0SNlurA049MEWV1GWxpaE5D0t2D6&status=success"
        ))
        .await
        .unwrap();
    let refused = browser.source().await.unwrap();
    assert!(
        refused.contains("callback is for another session than the one this browser started"),
        "{refused}"
    );
    browser.close().await.unwrap();
}
