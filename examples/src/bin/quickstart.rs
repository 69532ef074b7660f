//! Create, retrieve and update a Connect Session.
//!
//! ```text
//! cargo run -p gigs-connect-examples --bin quickstart
//! ```
//!
//! With `GIGS_TOKEN` and `GIGS_PROJECT` unset it runs against the embedded mock
//! server, so it works on a fresh clone with no credentials (and builds no TLS).
//! With both set and `--features tls` it calls the real API (`GIGS_PLAN` names the
//! plan to check out; `GIGS_USER` an existing user, for an authenticated session).
//! It never prints the session url's token.

use gigs_connect::types::{
    Appearance, ConnectSession, CreateConnectSessionRequest, Intent, Theme,
    UpdateConnectSessionRequest,
};
use gigs_connect::{Client, SecretString};
use gigs_connect_mock::MockServer;

/// The plan the mock (and the docs) use as an example.
const EXAMPLE_PLAN: &str = "pln_0SNlurA049MEWV3V0q7gjQbM4EVo";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Kept alive until the end of main: dropping it stops the server.
    let mut mock = None;
    let client = match (std::env::var("GIGS_TOKEN"), std::env::var("GIGS_PROJECT")) {
        (Ok(_), Ok(_)) if cfg!(not(feature = "tls")) => {
            return Err(
                "GIGS_TOKEN and GIGS_PROJECT are set, and the real API needs TLS: \
                 run `cargo run -p gigs-connect-examples --bin quickstart --features tls`"
                    .into(),
            );
        }
        (Ok(token), Ok(project)) => {
            println!("Using the Gigs API for project {project}.");
            Client::builder().project(project).token(token).build()?
        }
        _ => {
            let server = MockServer::start().await;
            println!(
                "GIGS_TOKEN/GIGS_PROJECT not set: using the embedded mock server at {}.",
                server.url()
            );
            let client = server.client();
            mock = Some(server);
            client
        }
    };
    let plan = std::env::var("GIGS_PLAN").unwrap_or_else(|_| EXAMPLE_PLAN.to_owned());

    let mut body = CreateConnectSessionRequest::new(Intent::checkout_new_subscription(plan))
        .callback_url("https://example.com/connect/done")
        .appearance(Appearance::new().theme(Theme::Dark));
    if let Ok(user) = std::env::var("GIGS_USER") {
        body = body.user(user);
    }
    let created = client.create_connect_session(&body).await?;
    println!("created   {}", describe(&created));
    println!(
        "          redirect the user to {}",
        masked(created.url.as_ref())
    );

    let retrieved = client.retrieve_connect_session(&created.id).await?;
    println!("retrieved {}", describe(&retrieved));

    let update = UpdateConnectSessionRequest::new()
        .appearance(Appearance::new().theme(Theme::Light))
        .clear_callback_url();
    let updated = client.update_connect_session(&created.id, &update).await?;
    println!("updated   {}", describe(&updated));

    if let Some(server) = &mock {
        println!(
            "The mock server received {} requests.",
            server.requests().len()
        );
    }
    Ok(())
}

fn describe(session: &ConnectSession) -> String {
    let theme = session
        .appearance
        .as_ref()
        .and_then(|a| a.theme.as_ref())
        .map_or("default".to_owned(), |t| t.to_string());
    format!(
        "{} intent={} theme={} callbackUrl={} user={}",
        session.id,
        session.intent.tag(),
        theme,
        session.callback_url.as_deref().unwrap_or("none"),
        session.user.as_deref().unwrap_or("none"),
    )
}

/// The url without its query: where it points, not the login token it carries.
fn masked(url: Option<&SecretString>) -> String {
    match url {
        Some(url) => {
            let url = url.expose_secret();
            let base = url.split_once('?').map_or(url, |(base, _)| base);
            format!("{base}?… (token hidden)")
        }
        None => "(no url)".to_owned(),
    }
}
