//! The crate docs' "Logging" table lists every `tracing` event and span the client
//! emits, with its target, level, message (for a span, `span` and its name) and
//! fields, and a retried call emits them so.

mod support;

use gigs_connect::{Client, RetryPolicy};
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;
use support::{Response, TestServer, capture_logs};

/// One event: target, level, message and field names.
type Event = (String, String, String, Vec<String>);

/// The table in lib.rs's "Logging" section.
fn documented_events() -> BTreeSet<Event> {
    let lib = include_str!("../src/lib.rs");
    let section = lib
        .split_once("//! # Logging")
        .expect("lib.rs has a Logging section")
        .1;
    section
        .lines()
        .skip(1) // the rest of the heading's line
        .take_while(|line| line.starts_with("//!"))
        .filter_map(|line| line.strip_prefix("//! | `gigs_connect"))
        .map(|row| {
            let cells: Vec<&str> = row.split(" | ").map(str::trim).collect();
            let [target, level, message, fields] = cells[..] else {
                panic!("a row has four cells: {row}");
            };
            let unquote = |cell: &str| cell.trim_matches('`').to_owned();
            let message = match message.strip_prefix("span ") {
                Some(name) => format!("span {}", unquote(name)),
                None => unquote(message),
            };
            (
                format!("gigs_connect{}", target.trim_end_matches('`')),
                level.to_owned(),
                message,
                fields
                    .trim_end_matches(" |")
                    .split(", ")
                    .map(unquote)
                    .collect(),
            )
        })
        .collect()
}

/// Every `tracing::<level>!(…)` call in `src/`, read from the source.
fn emitted_events() -> BTreeSet<Event> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut events = BTreeSet::new();
    let mut folders = vec![src.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let module = module_path(&src, &path);
                events.extend(
                    events_in(&text)
                        .into_iter()
                        .map(|(level, message, fields)| (module.clone(), level, message, fields)),
                );
            }
        }
    }
    events
}

/// The module path a file's events carry as their target (`gigs_connect::client`).
fn module_path(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts = vec!["gigs_connect".to_owned()];
    parts.extend(
        relative
            .iter()
            .map(|part| part.to_string_lossy().into_owned())
            .filter(|part| part != "lib" && part != "mod"),
    );
    parts.join("::")
}

/// The level, message and field names of each event macro in `text`, and of each
/// span macro (message `span <name>`).
fn events_in(text: &str) -> Vec<(String, String, Vec<String>)> {
    let mut found = Vec::new();
    for level in ["trace", "debug", "info", "warn", "error"] {
        let call = format!("tracing::{level}_span!(");
        for (at, _) in text.match_indices(&call) {
            let arguments = top_level_arguments(&text[at + call.len()..]);
            let (name, fields) = arguments
                .split_first()
                .unwrap_or_else(|| panic!("a span without a name: {arguments:?}"));
            assert!(
                name.starts_with('"'),
                "this reader knows literal span names only: {name}"
            );
            found.push((
                level.to_uppercase(),
                format!("span {}", name.trim_matches('"')),
                fields.iter().map(|a| field_name(a)).collect(),
            ));
        }
    }
    for level in ["trace", "debug", "info", "warn", "error", "event"] {
        let call = format!("tracing::{level}!(");
        for (at, _) in text.match_indices(&call) {
            let arguments = top_level_arguments(&text[at + call.len()..]);
            assert_ne!(
                level, "event",
                "this reader knows the level macros only: teach it `tracing::event!` ({arguments:?})"
            );
            let message = arguments
                .iter()
                .find(|a| a.starts_with('"'))
                .unwrap_or_else(|| panic!("an event without a message: {arguments:?}"));
            let fields = arguments
                .iter()
                .take_while(|a| !a.starts_with('"'))
                .map(|a| field_name(a))
                .collect();
            found.push((
                level.to_uppercase(),
                message.trim_matches('"').to_owned(),
                fields,
            ));
        }
    }
    found
}

/// The name of a field argument: `operation`, `delay_ms = …`, `%method`.
fn field_name(argument: &str) -> String {
    let name = argument.split('=').next().unwrap().trim();
    name.trim_start_matches(['%', '?']).to_owned()
}

/// The comma-separated arguments of a macro call whose text starts after its `(`.
fn top_level_arguments(text: &str) -> Vec<String> {
    let (mut depth, mut in_string, mut current, mut arguments) = (0, false, String::new(), vec![]);
    for c in text.chars() {
        match c {
            '"' => in_string = !in_string,
            '(' | '[' | '{' if !in_string => depth += 1,
            ')' | ']' | '}' if !in_string && depth == 0 => break,
            ')' | ']' | '}' if !in_string => depth -= 1,
            ',' if !in_string && depth == 0 => {
                arguments.push(current.trim().to_owned());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        arguments.push(current.trim().to_owned());
    }
    arguments
}

#[test]
fn the_docs_list_every_event_the_source_emits() {
    let documented = documented_events();
    assert!(!documented.is_empty(), "the table has rows");
    assert_eq!(
        documented,
        emitted_events(),
        "lib.rs's Logging table (left) and the source's tracing calls (right) disagree"
    );
}

#[test]
fn the_source_reader_sees_a_span_with_its_fields() {
    let spans = events_in(
        r#"tracing::info_span!("gigs_connect.call", operation, method = %method, attempts = Empty)"#,
    );
    assert_eq!(
        spans,
        [(
            "INFO".to_owned(),
            "span gigs_connect.call".to_owned(),
            vec![
                "operation".to_owned(),
                "method".to_owned(),
                "attempts".to_owned()
            ]
        )]
    );
}

#[test]
fn the_source_reader_sees_fields_and_messages() {
    let events = events_in(
        r#"tracing::warn!(operation, delay_ms = delay.as_millis() as u64, error = %e, "not retrying: a, b");"#,
    );
    assert_eq!(
        events,
        [(
            "WARN".to_owned(),
            "not retrying: a, b".to_owned(),
            vec![
                "operation".to_owned(),
                "delay_ms".to_owned(),
                "error".to_owned()
            ]
        )]
    );
}

/// The logged line of the event with `message`, which must be there.
fn line_of<'a>(log: &'a str, message: &str) -> &'a str {
    log.lines()
        .find(|line| line.contains(&format!(": {message}")))
        .unwrap_or_else(|| panic!("no `{message}` event in:\n{log}"))
}

#[tokio::test]
async fn a_retried_call_emits_the_documented_events() {
    let server = TestServer::start().await;
    server.respond(Response::new(503));
    server.respond(Response::new(503).header("retry-after", "30"));
    let client = Client::builder()
        .project("acme")
        .token("sk_test_tracing_events")
        .base_url(server.url())
        .retry_policy(RetryPolicy {
            max_retries: 2,
            backoff_base: Duration::from_millis(1),
            backoff_cap: Duration::from_secs(60),
        })
        .deadline(Duration::from_secs(10))
        .build()
        .unwrap();

    let (result, log) = capture_logs(client.retrieve_connect_session("csn_1")).await;

    assert_eq!(result.unwrap_err().status(), Some(503));
    for (_, level, message, fields) in documented_events()
        .into_iter()
        .filter(|(target, ..)| target == "gigs_connect::client")
    {
        let line = line_of(&log, &message);
        // `LEVEL span{fields}: target: message`: each event inside the call's span.
        assert!(
            line.contains(&format!("{level} gigs_connect.call{{"))
                && line.contains("}: gigs_connect::client: "),
            "{line}"
        );
        for field in fields {
            assert!(
                line.contains(&format!(" {field}=")),
                "`{field}` missing: {line}"
            );
        }
    }
    assert!(line_of(&log, "sending request").contains("operation=\"retrieveConnectSession\""));
    assert!(!log.contains("sk_test_tracing_events"), "{log}");
}
