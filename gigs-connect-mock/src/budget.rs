//! The memory budget's units: what a kept value costs in bytes, and the arrival
//! numbers that say which kept thing is oldest across sessions, emails and
//! replays.

use std::sync::atomic::{AtomicU64, Ordering};

/// How much the store keeps (its owner, `memory.rs`, holds it to these).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Sessions, and emails.
    pub(crate) max_sessions: usize,
    /// Sessions, emails and replays together, as JSON.
    pub(crate) max_bytes: usize,
}

impl Limits {
    /// No bounds (tests of one part).
    #[cfg(test)]
    pub(crate) const NONE: Limits = Limits {
        max_sessions: usize::MAX,
        max_bytes: usize::MAX,
    };
}

/// The next arrival number: increasing across everything kept in this process,
/// so the oldest of a server's sessions, emails and replays is the smallest.
pub(crate) fn next_arrival() -> u64 {
    static ARRIVALS: AtomicU64 = AtomicU64::new(0);
    ARRIVALS.fetch_add(1, Ordering::Relaxed) + 1
}

/// The size of a kept value's JSON text, counted without writing it.
pub(crate) fn json_bytes(value: &impl serde::Serialize) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    serde_json::to_writer(&mut count, value).expect("a JSON value encodes");
    count.0
}
