//! The mock as a process (`gigs-connect-mock`, and the wider-api fixture's
//! `wider-api-mock` with its own tables): arguments, the three `key=value` lines,
//! and serving until killed.

use crate::config::MockConfig;
use crate::mock_server::MockServer;
use crate::shape::Tables;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// What a wrong argument prints.
const USAGE: &str = "usage: gigs-connect-mock [--host ADDRESS] [--port N] [--tables FILE] [--webhook-endpoint URL SECRET]...
  --host ADDRESS   the IP address to listen on (default 127.0.0.1)
  --port N         the port (default 0: a free one)
  --tables FILE    serve the spec whose generated tables (JSON, as codegen's
                   `emit::tables` writes them) FILE holds, instead of the built-in one
  --webhook-endpoint URL SECRET
                   deliver signed events there (any number of times; needs the
                   `webhooks` feature)";

/// Runs the mock as a process over `tables`: reads the arguments (`--host`,
/// `--port`, `--tables FILE`, `--webhook-endpoint URL SECRET`), serves, prints `url=…`,
/// `project=…` and `token=…` one per line, and serves until killed. A wrong
/// argument prints the usage and exits with status 2.
pub fn run_process(tables: &'static Tables) -> ! {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match config(&args, tables) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    runtime.block_on(async {
        let server = MockServer::start_with(config).await;
        // The token guards nothing but this mock; the caller needs it.
        println!("url={}", server.url());
        println!("project={}", server.project());
        println!("token={}", server.token());
        std::future::pending::<()>().await
    });
    // `pending` never ends; the process ends when killed.
    std::process::exit(0)
}

/// The configuration the arguments ask for, or what is wrong with them.
fn config(args: &[String], tables: &'static Tables) -> Result<MockConfig, String> {
    let mut config = MockConfig::default().tables(tables);
    let (mut host, mut port) = (IpAddr::V4(Ipv4Addr::LOCALHOST), 0u16);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |what: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{arg} needs {what}"))
        };
        match arg.as_str() {
            "--host" => {
                let text = value("an IP address")?;
                host = text
                    .parse()
                    .map_err(|_| format!("--host {text:?} is not an IP address"))?;
            }
            "--port" => {
                let text = value("a port number")?;
                port = text
                    .parse()
                    .map_err(|_| format!("--port {text:?} is not a port number (0 to 65535)"))?;
            }
            "--tables" => {
                let path = value("a file")?;
                config = config.tables(read_tables(&path)?);
            }
            "--webhook-endpoint" => {
                let url = value("a URL and a secret")?;
                let secret = value("a secret after the URL")?;
                config = webhook_endpoint(config, &url, &secret)?;
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(config.address(SocketAddr::new(host, port)))
}

/// The tables in the file at `path`, kept for the life of the process.
fn read_tables(path: &str) -> Result<&'static Tables, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("--tables {path:?}: cannot read it: {error}"))?;
    // Read once per process, and the server refers to it until the process ends.
    let text: &'static str = Box::leak(text.into_boxed_str());
    Tables::from_json(text).map_err(|error| format!("--tables {path:?}: {error}"))
}

#[cfg(feature = "webhooks")]
fn webhook_endpoint(config: MockConfig, url: &str, secret: &str) -> Result<MockConfig, String> {
    if let Err(error) = gigs_connect::webhooks::Webhook::new(secret) {
        return Err(format!("--webhook-endpoint: {error}"));
    }
    Ok(config.webhook_endpoint(url, secret))
}

#[cfg(not(feature = "webhooks"))]
fn webhook_endpoint(_: MockConfig, _: &str, _: &str) -> Result<MockConfig, String> {
    Err("--webhook-endpoint needs gigs-connect-mock built with the `webhooks` feature".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn host_and_port_set_the_address_and_default_to_loopback_and_a_free_port() {
        let tables = Tables::connect_sessions();
        let asked = config(&args("--port 8080 --host 0.0.0.0"), tables).unwrap();
        assert_eq!(asked.address, "0.0.0.0:8080".parse().unwrap());
        let default = config(&[], tables).unwrap().address;
        assert_eq!(default, "127.0.0.1:0".parse().unwrap());
    }

    #[test]
    fn a_wrong_argument_says_what_is_wrong() {
        for (line, expected) in [
            ("--port", "--port needs a port number"),
            (
                "--port 70000",
                "--port \"70000\" is not a port number (0 to 65535)",
            ),
            (
                "--host example.com",
                "--host \"example.com\" is not an IP address",
            ),
            ("--verbose", "unknown argument \"--verbose\""),
        ] {
            let tables = Tables::connect_sessions();
            assert_eq!(config(&args(line), tables).unwrap_err(), expected, "{line}");
        }
    }

    #[test]
    fn tables_that_do_not_read_are_named_with_the_file() {
        let dir = std::env::temp_dir().join(format!("mock-tables-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("tables.json");
        std::fs::write(&path, r#"{"models": 3}"#).unwrap();
        let path = path.to_str().unwrap();
        let tables = Tables::connect_sessions();
        let error = config(&["--tables".to_owned(), path.to_owned()], tables).unwrap_err();
        assert!(
            error.starts_with(&format!("--tables {path:?}: the mock's tables do not read")),
            "{error}"
        );
        let missing = format!("{path}.missing");
        let error = config(&["--tables".to_owned(), missing.clone()], tables).unwrap_err();
        assert!(
            error.starts_with(&format!("--tables {missing:?}: cannot read it")),
            "{error}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
