//! The request log: the newest requests, within a count and a byte budget that
//! counts each request's path, headers and body.

use crate::received::ReceivedRequest;
use std::collections::VecDeque;

/// Requests in arrival order; the oldest are dropped past either bound.
pub(crate) struct RequestLog {
    /// Each request with its size.
    entries: VecDeque<(ReceivedRequest, usize)>,
    bytes: usize,
    max_entries: usize,
    max_bytes: usize,
}

impl RequestLog {
    pub(crate) fn new(max_entries: usize, max_bytes: usize) -> Self {
        RequestLog {
            entries: VecDeque::new(),
            bytes: 0,
            max_entries,
            max_bytes,
        }
    }

    /// Logs `request`, which holds `size` bytes; one larger than the whole
    /// budget is not kept.
    pub(crate) fn push(&mut self, request: ReceivedRequest, size: usize) {
        self.bytes += size;
        self.entries.push_back((request, size));
        while self.entries.len() > self.max_entries || self.bytes > self.max_bytes {
            match self.entries.pop_front() {
                Some((_, oldest)) => self.bytes -= oldest,
                None => break,
            }
        }
    }

    pub(crate) fn to_vec(&self) -> Vec<ReceivedRequest> {
        self.entries
            .iter()
            .map(|(request, _)| request.clone())
            .collect()
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: &str) -> ReceivedRequest {
        ReceivedRequest {
            method: "POST".into(),
            path: "/".into(),
            content_type: None,
            headers: Default::default(),
            body: body.as_bytes().to_vec(),
        }
    }

    fn push(log: &mut RequestLog, body: &str) {
        let request = request(body);
        let size = request.body.len();
        log.push(request, size);
    }

    #[test]
    fn keeps_the_newest_within_the_count() {
        let mut log = RequestLog::new(2, 1000);
        for body in ["a", "b", "c"] {
            push(&mut log, body);
        }
        let bodies: Vec<_> = log.to_vec().into_iter().map(|r| r.body).collect();
        assert_eq!(bodies, [b"b".to_vec(), b"c".to_vec()]);
    }

    #[test]
    fn keeps_the_newest_within_the_byte_budget() {
        let mut log = RequestLog::new(100, 10);
        push(&mut log, "123456");
        push(&mut log, "abcdef");
        assert_eq!(log.to_vec().len(), 1);
        push(&mut log, "0123456789abc");
        assert!(
            log.to_vec().is_empty(),
            "a body over the budget is not kept"
        );
        assert_eq!(log.bytes, 0);
    }
}
