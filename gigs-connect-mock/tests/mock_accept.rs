//! When `accept()` fails (here: the process is out of file descriptors) the mock
//! backs off instead of spinning a core on the error, and serves again once
//! descriptors are free. Linux only: it lowers its own limit with `prlimit`.
#![cfg(target_os = "linux")]

use gigs_connect::types::{CreateConnectSessionRequest, Intent};
use gigs_connect_mock::MockServer;
use std::os::fd::AsRawFd;
use std::process::{Child, Command};
use std::time::Duration;

/// User plus system CPU time of this process, in clock ticks (1/100 s on Linux).
fn cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let after_name = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after_name.split(' ').collect();
    // utime and stime are fields 14 and 15 of stat; 12 and 13 after the name.
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn bash(script: &str) -> Child {
    Command::new("bash").arg("-c").arg(script).spawn().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_accept_backs_off_instead_of_spinning() {
    let server = MockServer::start().await;
    let pid = std::process::id();
    let port = server.url().rsplit(':').next().unwrap().to_owned();
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap();
    let hard = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(4))
        .unwrap()
        .to_owned();
    let soft = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .unwrap()
        .to_owned();

    // Started while descriptors are still free: a client that connects once the
    // limit is down (so the mock's accept fails), and the limit's restorer.
    let mut client = bash(&format!(
        "sleep 0.3; exec 3<>/dev/tcp/127.0.0.1/{port}; sleep 4"
    ));
    let mut restorer = bash(&format!(
        "sleep 1.8; prlimit --pid {pid} --nofile={soft}:{hard}"
    ));
    let before = cpu_ticks();
    // A new descriptor takes the lowest free number, and the limit bounds the
    // number: with the limit at the lowest free one, none can be opened.
    let lowest_free = std::fs::File::open("/dev/null").unwrap().as_raw_fd();
    let lowered = Command::new("prlimit")
        .arg(format!("--pid={pid}"))
        .arg(format!("--nofile={lowest_free}:{hard}"))
        .status()
        .unwrap();
    assert!(lowered.success());
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(restorer.wait().unwrap().success(), "the limit is restored");
    let spent = cpu_ticks() - before;

    // A busy loop on the failing accept burns up to a core (58 ticks in 1.5 s on a
    // loaded 2-core machine); backing off costs next to nothing.
    assert!(
        spent < 25,
        "{spent} ticks of CPU while accept() was failing"
    );
    let body = CreateConnectSessionRequest::new(Intent::view_subscriptions());
    server.client().create_connect_session(&body).await.unwrap();
    let _ = client.kill();
    let _ = client.wait();
}
