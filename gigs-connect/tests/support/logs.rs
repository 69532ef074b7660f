//! Captures everything logged while a future runs: this crate's `tracing` events
//! and the `log` records of reqwest and its stack, at every level.
//!
//! One TRACE subscriber is installed process-wide and writes into the buffer of the
//! thread that is capturing, if any. A per-test `set_default` subscriber was flaky:
//! tracing caches each call site's interest, and a site first hit on another test's
//! thread (no subscriber there) could stay switched off for the capturing one.

use std::cell::RefCell;
use std::future::IntoFuture;
use std::io::Write;
use std::sync::{Arc, Mutex, Once};
use tracing_subscriber::fmt::MakeWriter;

thread_local! {
    /// The buffer of the capture running on this thread.
    static CAPTURE: RefCell<Option<Arc<Mutex<Vec<u8>>>>> = const { RefCell::new(None) };
}

/// Runs `future` (anything awaitable, such as a `Call`) and returns its output
/// with the text logged on this thread meanwhile. Tests run on tokio's current-thread runtime, so the connection tasks
/// reqwest spawns log here too.
pub async fn capture_logs<F: IntoFuture>(future: F) -> (F::Output, String) {
    static SUBSCRIBER: Once = Once::new();
    SUBSCRIBER.call_once(|| {
        // `log` records (reqwest's) become tracing events.
        tracing_log::LogTracer::init().expect("no other logger");
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(ThreadBuffer)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("no other subscriber");
    });
    let buffer = Arc::new(Mutex::new(Vec::new()));
    CAPTURE.with(|capture| *capture.borrow_mut() = Some(Arc::clone(&buffer)));
    let output = future.await;
    CAPTURE.with(|capture| *capture.borrow_mut() = None);
    let text = String::from_utf8(buffer.lock().unwrap().clone()).expect("logs are UTF-8");
    (output, text)
}

/// Writes into the current thread's capture buffer, or nowhere.
struct ThreadBuffer;

impl Write for ThreadBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        CAPTURE.with(|capture| {
            if let Some(buffer) = capture.borrow().as_ref() {
                buffer.lock().unwrap().extend_from_slice(bytes);
            }
        });
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for ThreadBuffer {
    type Writer = ThreadBuffer;

    fn make_writer(&'a self) -> Self::Writer {
        ThreadBuffer
    }
}
