//! The mock as a process (`gigs-connect-mock`, and the wider-api fixture's
//! `wider-api-mock` with its own tables): arguments, the three `key=value` lines,
//! and serving until killed.

use crate::{MockConfig, MockServer, Tables};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// What `--help` and a wrong argument print.
const USAGE: &str =
    "usage: gigs-connect-mock [--host ADDRESS] [--port N] [--webhook-endpoint URL SECRET]...
  --host ADDRESS   the IP address to listen on (default 127.0.0.1)
  --port N         the port (default 0: a free one)
  --webhook-endpoint URL SECRET
                   deliver signed events there (any number of times; needs the
                   `webhooks` feature)";

/// Runs the mock as a process over `tables`: reads the arguments (`--host`,
/// `--port`, `--webhook-endpoint URL SECRET`), serves, prints `url=…`,
/// `project=…` and `token=…` one per line, and serves until killed. A wrong
/// argument prints the usage and exits with status 2.
pub fn run_process(tables: &'static Tables) -> ! {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match config(&args) {
        Ok(config) => config.tables(tables),
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
fn config(args: &[String]) -> Result<MockConfig, String> {
    let mut config = MockConfig::default();
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
        let asked = config(&args("--port 8080 --host 0.0.0.0")).unwrap();
        assert_eq!(asked.address, "0.0.0.0:8080".parse().unwrap());
        assert_eq!(config(&[]).unwrap().address, "127.0.0.1:0".parse().unwrap());
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
            assert_eq!(config(&args(line)).unwrap_err(), expected, "{line}");
        }
    }
}
