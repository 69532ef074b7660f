//! The mock server as a process, for tools and apps outside Rust (the schemathesis
//! conformance check, the Standard Webhooks reference check, a web app pointed at
//! a fixed address): `cargo run -p gigs-connect-mock -- --port 8080`, or
//! `gigs-connect-mock` once installed. See [`gigs_connect_mock::run_process`].

fn main() {
    gigs_connect_mock::run_process(gigs_connect_mock::Tables::connect_sessions())
}
