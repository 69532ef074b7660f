//! Benchmarks of gigs-connect and codegen against progenitor on the same spec. The
//! benches live in `benches/`, the report and the build-cost helper in `src/bin/`;
//! this library holds what they share.

pub mod criterion_results;
pub mod progenitor_source;
pub mod samples;
pub mod scaling_plot;
pub mod server;
pub mod synthetic;

/// Installs rustls' ring provider as the process default, once, before the raw
/// reqwest clients (and progenitor's) are built.
///
/// gigs-connect hands reqwest its own TLS configuration, but it turns on reqwest's
/// `rustls-no-provider`, under which a plain `reqwest::Client` asks rustls for the
/// process default and panics without one. (Every request here is plain `http`.)
pub fn raw_reqwest_provider() {
    // Err means a provider is already installed, which is just as good.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// progenitor's client for `spec/connect-sessions.json`, made by `build.rs`: the
/// peer whose types and calls the benches measure ours against.
// Generated code is not ours to lint: progenitor's output is measured as it comes.
#[allow(clippy::all, unused, missing_docs)]
pub mod progenitor_client {
    include!(concat!(env!("OUT_DIR"), "/progenitor_client.rs"));
}
