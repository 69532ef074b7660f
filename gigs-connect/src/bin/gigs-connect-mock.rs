//! The mock server as a process, for tools outside Rust (the schemathesis
//! conformance check, the Standard Webhooks reference check): `cargo run -p
//! gigs-connect --features mock --bin gigs-connect-mock` (`wider-api-mock` in
//! fixtures/wider-api serves the merged spec the same way). It serves on 127.0.0.1
//! until killed and prints where, the project and the API token, one `key=value`
//! per line. Its sessions' urls lead to its Connect page (`/entry`), so an app in
//! any language can walk create → Connect → callback offline. With the `webhooks` feature, `--webhook-endpoint URL SECRET` (any
//! number of times) makes it deliver events there.

// The wider-api fixture compiles this file as its `wider-api-mock`, against its
// own library (gigs-connect's lib.rs with the fixture's generated code).
#[cfg(gigs_wider_api)]
extern crate wider_api as gigs_connect;

use gigs_connect::mock::{MockConfig, MockServer};

fn main() {
    let config = match config(std::env::args().skip(1).collect()) {
        Ok(config) => config,
        Err(usage) => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    runtime.block_on(async {
        let server = MockServer::start_with(config).await;
        // The token guards nothing but this loopback mock; the caller needs it.
        println!("url={}", server.url());
        println!("project={}", server.project());
        println!("token={}", server.token());
        std::future::pending::<()>().await;
    });
}

/// The configuration the arguments ask for, or the usage text.
// Without `webhooks` no argument is valid, so the loop's first turn returns.
#[cfg_attr(not(feature = "webhooks"), allow(clippy::never_loop))]
fn config(args: Vec<String>) -> Result<MockConfig, String> {
    let usage = if cfg!(feature = "webhooks") {
        "usage: gigs-connect-mock [--webhook-endpoint URL SECRET]..."
    } else {
        "usage: gigs-connect-mock (build with the `webhooks` feature for --webhook-endpoint)"
    };
    #[allow(unused_mut)]
    let mut config = MockConfig::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next(), args.next()) {
            #[cfg(feature = "webhooks")]
            ("--webhook-endpoint", Some(url), Some(secret)) => {
                if let Err(error) = gigs_connect::webhooks::Webhook::new(&secret) {
                    return Err(format!("--webhook-endpoint: {error}"));
                }
                config = config.webhook_endpoint(&url, &secret);
            }
            _ => return Err(usage.to_owned()),
        }
    }
    Ok(config)
}
