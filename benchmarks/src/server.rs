//! A tiny keep-alive HTTP/1.1 server on 127.0.0.1 that answers every request with
//! the same JSON body, so the client bench measures the clients, not the server.

use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A running server; it lives on its own thread until the process exits.
pub struct FixedResponseServer {
    addr: SocketAddr,
}

impl FixedResponseServer {
    /// Starts a server on an ephemeral port of 127.0.0.1 that answers `200 OK` with
    /// `body` as `application/json` to every request on every connection.
    pub fn start(body: Vec<u8>) -> FixedResponseServer {
        let mut response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        response.extend_from_slice(&body);
        let std_listener =
            std::net::TcpListener::bind("127.0.0.1:0").expect("binds a port on 127.0.0.1");
        std_listener
            .set_nonblocking(true)
            .expect("the listener can be non-blocking");
        let addr = std_listener
            .local_addr()
            .expect("a bound listener has an address");
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_io()
                .build()
                .expect("a tokio runtime starts");
            runtime.block_on(async move {
                let listener =
                    TcpListener::from_std(std_listener).expect("tokio takes the listener");
                let response: &'static [u8] = Box::leak(response.into_boxed_slice());
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        continue;
                    };
                    tokio::spawn(serve_connection(stream, response));
                }
            });
        });
        FixedResponseServer { addr }
    }

    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Answers each request on one connection until the client closes it. Requests are
/// bodiless GETs, so a request ends at its blank line.
async fn serve_connection(mut stream: TcpStream, response: &'static [u8]) {
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        while let Some(end) = find_head_end(&buffer) {
            buffer.drain(..end);
            if stream.write_all(response).await.is_err() {
                return;
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}

/// The length of the first request head in `buffer`, blank line included.
fn find_head_end(buffer: &[u8]) -> Option<usize> {
    buffer
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .map(|start| start + 4)
}
