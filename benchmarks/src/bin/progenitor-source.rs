//! Prints progenitor's formatted client for `spec/connect-sessions.json`, exactly as
//! `build.rs` generated it, for `build-cost.sh` to count and compile.

fn main() {
    print!(
        "{}",
        include_str!(concat!(env!("OUT_DIR"), "/progenitor_client.rs"))
    );
}
