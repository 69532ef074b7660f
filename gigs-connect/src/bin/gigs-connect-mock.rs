//! The mock server as a process, for tools outside Rust (the schemathesis
//! conformance check): `cargo run -p gigs-connect --features mock --bin
//! gigs-connect-mock` (`wider-api-mock` in fixtures/wider-api serves the merged
//! spec the same way). It serves on 127.0.0.1 until killed and prints where, the
//! project and the API token, one `key=value` per line.

// The wider-api fixture compiles this file as its `wider-api-mock`, against its
// own library (gigs-connect's lib.rs with the fixture's generated code).
#[cfg(gigs_wider_api)]
extern crate wider_api as gigs_connect;

use gigs_connect::mock::MockServer;

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    runtime.block_on(async {
        let server = MockServer::start().await;
        // The token guards nothing but this loopback mock; the caller needs it.
        println!("url={}", server.url());
        println!("project={}", server.project());
        println!("token={}", server.token());
        std::future::pending::<()>().await;
    });
}
