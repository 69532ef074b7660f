//! A proxy on 127.0.0.1 that loses answers: the request reaches the server behind
//! it and is processed, and the connection to the client is reset before the
//! answer is passed on, as when a load balancer or the network fails at that moment.

use super::{read_line, read_request};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// A running proxy; it stops when dropped.
pub struct HangUpProxy {
    addr: SocketAddr,
    lost: Arc<Mutex<Vec<Vec<u8>>>>,
    accept: JoinHandle<()>,
}

impl HangUpProxy {
    /// Proxies to `upstream` (a base URL such as `http://127.0.0.1:41234`). The
    /// first `hang_ups` connections carry one request each to the server and hang
    /// up on the client instead of answering; later ones are passed through.
    pub async fn start(upstream: &str, hang_ups: usize) -> Self {
        let upstream: SocketAddr = upstream
            .trim_start_matches("http://")
            .parse()
            .expect("an http://ip:port upstream");
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let lost = Arc::new(Mutex::new(Vec::new()));
        let accept = tokio::spawn(accept_loop(listener, upstream, hang_ups, Arc::clone(&lost)));
        HangUpProxy { addr, lost, accept }
    }

    /// The base URL to point a client at.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bodies of the answers the server gave and the client never got.
    pub fn lost_answers(&self) -> Vec<Vec<u8>> {
        self.lost.lock().unwrap().clone()
    }
}

impl Drop for HangUpProxy {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

async fn accept_loop(
    listener: TcpListener,
    upstream: SocketAddr,
    hang_ups: usize,
    lost: Arc<Mutex<Vec<Vec<u8>>>>,
) {
    let mut connections = JoinSet::new();
    for index in 0.. {
        let Ok((client, _)) = listener.accept().await else {
            continue;
        };
        if index < hang_ups {
            connections.spawn(lose_answer(client, upstream, Arc::clone(&lost)));
        } else {
            connections.spawn(pass_through(client, upstream));
        }
        while connections.try_join_next().is_some() {}
    }
}

/// Forwards one request, reads the whole answer, and resets the client's connection.
async fn lose_answer(client: TcpStream, upstream: SocketAddr, lost: Arc<Mutex<Vec<Vec<u8>>>>) {
    let mut client = BufReader::new(client);
    let Some(request) = read_request(&mut client, 0).await else {
        return;
    };
    let mut server = BufReader::new(TcpStream::connect(upstream).await.expect("upstream"));
    let mut head = format!("{} {} HTTP/1.1\r\n", request.method, request.path);
    for (name, value) in &request.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    server.get_mut().write_all(head.as_bytes()).await.unwrap();
    server.get_mut().write_all(&request.body).await.unwrap();
    // The whole answer is read, so the server has finished before the hang-up.
    let mut length = 0;
    while let Some(line) = read_line(&mut server).await {
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().expect("a numeric content-length");
        }
    }
    let mut body = vec![0; length];
    server
        .read_exact(&mut body)
        .await
        .expect("the answer's body");
    lost.lock().unwrap().push(body);
    // Linger 0 turns the close into a reset.
    let _ = client.get_mut().set_zero_linger();
}

async fn pass_through(mut client: TcpStream, upstream: SocketAddr) {
    let mut server = TcpStream::connect(upstream).await.expect("upstream");
    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
}
