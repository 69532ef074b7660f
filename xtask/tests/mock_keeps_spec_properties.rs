//! A property added to the spec alone is kept by the mock: this test adds an
//! optional nullable `locale` to `ConnectSession`, `CreateConnectSessionRequest`
//! and `UpdateConnectSessionRequest`, regenerates with the codegen library, runs
//! the gigs-connect-mock process over the regenerated tables (`--tables`), and
//! checks over HTTP that create keeps it, update changes it and clears it with
//! `null`, retrieve shows it, and `com.gigs.connectSession.updated` carries it in `data` and
//! `previousData`. No mock code names `locale`.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The Standard Webhooks specification's example secret.
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_owned()
}

/// The real spec with `locale` added to the session and both request bodies.
fn spec_with_locale() -> String {
    let text = std::fs::read_to_string(root().join("spec/connect-sessions.json")).unwrap();
    let mut spec: Value = serde_json::from_str(&text).unwrap();
    for schema in [
        "ConnectSession",
        "CreateConnectSessionRequest",
        "UpdateConnectSessionRequest",
    ] {
        spec["components"]["schemas"][schema]["properties"]["locale"] = json!({
            "type": "string",
            "nullable": true,
            "description": "The user's locale, e.g. `de-DE`.",
            "example": "de-DE"
        });
    }
    serde_json::to_string_pretty(&spec).unwrap()
}

/// Builds the mock binary (with webhook deliveries) and gives its path.
fn mock_binary() -> PathBuf {
    let output = Command::new(env!("CARGO"))
        .current_dir(root())
        .args([
            "build",
            "--quiet",
            "-p",
            "gigs-connect-mock",
            "--features",
            "webhooks",
            "--bin",
            "gigs-connect-mock",
            "--message-format=json",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .rev()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .expect("cargo names the built executable")
}

/// The mock process, killed when dropped.
struct Mock {
    child: Child,
    url: String,
    token: String,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_mock(tables: &Path, endpoint: &str) -> Mock {
    let mut child = Command::new(mock_binary())
        .arg("--tables")
        .arg(tables)
        .args(["--webhook-endpoint", endpoint, SECRET])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut value = |key: &str| {
        let line = lines.next().expect("the mock prints three lines").unwrap();
        line.strip_prefix(&format!("{key}="))
            .unwrap_or_else(|| panic!("{line:?} is not {key}=…"))
            .to_owned()
    };
    let (url, _project, token) = (value("url"), value("project"), value("token"));
    Mock { child, url, token }
}

/// One HTTP/1.1 request on its own connection: the status and the JSON body.
fn send(mock: &Mock, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let address = mock.url.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(address).unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    write!(
        stream,
        "{method} /projects/mock-project/connectSessions{path} HTTP/1.1\r\nhost: {address}\r\n\
         authorization: Bearer {}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        mock.token,
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// A webhook endpoint on 127.0.0.1 that answers 204 and passes each event on.
fn webhook_endpoint() -> (String, mpsc::Receiver<Value>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/webhooks", listener.local_addr().unwrap());
    let (events, received) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("content-length")
                {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                continue;
            }
            let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n");
            if let Ok(event) = serde_json::from_slice(&body) {
                let _ = events.send(event);
            }
        }
    });
    (url, received)
}

#[test]
fn a_locale_added_to_the_spec_alone_is_kept_changed_cleared_retrieved_and_carried_in_events() {
    let spec = spec_with_locale();
    // Regenerated as `cargo xtask codegen` would: the client gets the field too.
    let files = codegen::generate(&spec, "spec/connect-sessions.json").unwrap();
    assert!(
        files["types.rs"].contains("pub locale:"),
        "no generated field"
    );
    let api = codegen::parse(&spec, "spec/connect-sessions.json").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tables = dir.path().join("tables.json");
    std::fs::write(&tables, codegen::emit::tables(&api).to_string()).unwrap();

    let (endpoint, events) = webhook_endpoint();
    let mock = start_mock(&tables, &endpoint);

    let create = json!({ "intent": { "type": "viewSubscriptions" }, "locale": "de-DE" });
    let (status, created) = send(&mock, "POST", "", Some(create));
    assert_eq!(
        (status, &created["locale"]),
        (201, &json!("de-DE")),
        "{created}"
    );
    let id = created["id"].as_str().unwrap().to_owned();
    let path = format!("/{id}");
    assert_eq!(send(&mock, "GET", &path, None).1["locale"], "de-DE");

    let (status, changed) = send(&mock, "PATCH", &path, Some(json!({ "locale": "fr-FR" })));
    assert_eq!(
        (status, &changed["locale"]),
        (200, &json!("fr-FR")),
        "{changed}"
    );
    assert_eq!(send(&mock, "GET", &path, None).1["locale"], "fr-FR");

    let (status, cleared) = send(&mock, "PATCH", &path, Some(json!({ "locale": null })));
    assert_eq!(
        (status, &cleared["locale"]),
        (200, &Value::Null),
        "{cleared}"
    );
    let retrieved = send(&mock, "GET", &path, None).1;
    assert_eq!(retrieved.get("locale"), Some(&Value::Null), "{retrieved}");

    // Deliveries run on tasks of their own: they may arrive in any order.
    let received: Vec<Value> = (0..3)
        .map(|_| events.recv_timeout(Duration::from_secs(30)).unwrap())
        .collect();
    let created_event = received
        .iter()
        .find(|e| e["type"] == "com.gigs.connectSession.created")
        .expect("a created event");
    assert_eq!(created_event["data"]["locale"], "de-DE");
    let updates: Vec<(Value, Value)> = received
        .iter()
        .filter(|e| e["type"] == "com.gigs.connectSession.updated")
        .map(|e| {
            (
                e["data"]["locale"].clone(),
                e["previousData"]["locale"].clone(),
            )
        })
        .collect();
    assert_eq!(updates.len(), 2, "{received:?}");
    assert!(
        updates.contains(&(json!("fr-FR"), json!("de-DE"))),
        "{updates:?}"
    );
    assert!(
        updates.contains(&(Value::Null, json!("fr-FR"))),
        "{updates:?}"
    );
}
