//! Captures everything logged while a future runs: this crate's `tracing` events
//! and the `log` records of reqwest and its stack, at every level.

use std::future::IntoFuture;
use std::io::Write;
use std::sync::{Arc, Mutex, Once};
use tracing_subscriber::fmt::MakeWriter;

/// Runs `future` (anything awaitable, such as a `Call`) with a TRACE-level subscriber on this thread and returns its output
/// with the text logged meanwhile. Tests run on tokio's current-thread runtime, so
/// the connection tasks reqwest spawns log here too.
pub async fn capture_logs<F: IntoFuture>(future: F) -> (F::Output, String) {
    static LOG_BRIDGE: Once = Once::new();
    // `log` records (reqwest's) become tracing events; the bridge is process-wide.
    LOG_BRIDGE.call_once(|| tracing_log::LogTracer::init().expect("no other logger"));
    let buffer = Buffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(buffer.clone())
        .finish();
    let output = {
        let _guard = tracing::subscriber::set_default(subscriber);
        future.await
    };
    let text = String::from_utf8(buffer.0.lock().unwrap().clone()).expect("logs are UTF-8");
    (output, text)
}

/// A shared byte buffer the subscriber writes into.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = Buffer;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
