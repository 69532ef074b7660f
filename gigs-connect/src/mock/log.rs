//! The request log: the newest requests, within a count and a byte budget.

use super::ReceivedRequest;
use std::collections::VecDeque;

/// Requests in arrival order; the oldest are dropped past either bound.
pub(crate) struct RequestLog {
    entries: VecDeque<ReceivedRequest>,
    body_bytes: usize,
    max_entries: usize,
    max_body_bytes: usize,
}

impl RequestLog {
    pub(crate) fn new(max_entries: usize, max_body_bytes: usize) -> Self {
        RequestLog {
            entries: VecDeque::new(),
            body_bytes: 0,
            max_entries,
            max_body_bytes,
        }
    }

    pub(crate) fn push(&mut self, request: ReceivedRequest) {
        self.body_bytes += request.body.len();
        self.entries.push_back(request);
        while self.entries.len() > self.max_entries || self.body_bytes > self.max_body_bytes {
            match self.entries.pop_front() {
                Some(oldest) => self.body_bytes -= oldest.body.len(),
                None => break,
            }
        }
    }

    pub(crate) fn to_vec(&self) -> Vec<ReceivedRequest> {
        self.entries.iter().cloned().collect()
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.body_bytes = 0;
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
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn keeps_the_newest_within_the_count() {
        let mut log = RequestLog::new(2, 1000);
        for body in ["a", "b", "c"] {
            log.push(request(body));
        }
        let bodies: Vec<_> = log.to_vec().into_iter().map(|r| r.body).collect();
        assert_eq!(bodies, [b"b".to_vec(), b"c".to_vec()]);
    }

    #[test]
    fn keeps_the_newest_within_the_byte_budget() {
        let mut log = RequestLog::new(100, 10);
        log.push(request("123456"));
        log.push(request("abcdef"));
        assert_eq!(log.to_vec().len(), 1);
        log.push(request("0123456789abc"));
        assert!(
            log.to_vec().is_empty(),
            "a body over the budget is not kept"
        );
        assert_eq!(log.body_bytes, 0);
    }
}
