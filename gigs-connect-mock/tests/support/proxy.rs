//! A proxy on 127.0.0.1 that loses answers: the request reaches the server behind
//! it and is processed, and the connection to the client is reset before the
//! answer is passed on, as when a load balancer or the network fails at that moment.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
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
    let Some(request) = read_message(&mut client).await else {
        return;
    };
    let mut server = BufReader::new(TcpStream::connect(upstream).await.expect("upstream"));
    let mut bytes = request.head.join("\r\n").into_bytes();
    bytes.extend_from_slice(b"\r\n\r\n");
    bytes.extend_from_slice(&request.body);
    server.get_mut().write_all(&bytes).await.unwrap();
    // The whole answer is read, so the server has finished before the hang-up.
    let answer = read_message(&mut server)
        .await
        .expect("the server's answer");
    lost.lock().unwrap().push(answer.body);
    // Linger 0 turns the close into a reset.
    let _ = client.get_mut().set_zero_linger();
}

/// One HTTP/1.1 message, request or answer, as read off the wire.
struct Message {
    /// The start line and the header lines, without their CRLFs.
    head: Vec<String>,
    /// The `Content-Length` bytes after the head (none without that header).
    body: Vec<u8>,
}

/// Reads one message; `None` at end of stream or on anything malformed.
async fn read_message(stream: &mut BufReader<TcpStream>) -> Option<Message> {
    let mut head = Vec::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        if stream.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']).to_owned();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
        head.push(line);
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.ok()?;
    Some(Message { head, body })
}

async fn pass_through(mut client: TcpStream, upstream: SocketAddr) {
    let mut server = TcpStream::connect(upstream).await.expect("upstream");
    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
}
