//! What the accept loop and the [`MockServer`](crate::MockServer) handle share:
//! the token and project, the configuration, the memory, the request log, the
//! queued faults and (feature `webhooks`) the outbox.

use crate::answer::Answer;
use crate::config::MockConfig;
use crate::log::RequestLog;
use crate::memory::Memory;
use crate::received::{ReceivedRequest, UNAUTHENTICATED_KEPT_BYTES};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

/// What the accept loop and the handle share.
pub(crate) struct State {
    pub(crate) token: String,
    pub(crate) project: String,
    pub(crate) config: MockConfig,
    pub(crate) memory: Mutex<Memory>,
    pub(crate) requests: Mutex<RequestLog>,
    pub(crate) faults: Mutex<Faults>,
    /// Webhook deliveries of creates and updates (feature `webhooks`).
    #[cfg(feature = "webhooks")]
    pub(crate) outbox: crate::webhooks::Outbox,
}

/// Faults and scripted answers queued by the test, consumed one per request.
#[derive(Default)]
pub(crate) struct Faults {
    /// For any request, before any check.
    pub(crate) failures: VecDeque<Answer>,
    pub(crate) delays: VecDeque<Duration>,
    /// For requests to one operation (by operationId), once it is routed.
    pub(crate) scripted: HashMap<String, VecDeque<Answer>>,
}

/// The faults that apply to one request.
pub(crate) struct Fault {
    pub(crate) failure: Option<Answer>,
    pub(crate) delay: Option<Duration>,
}

impl State {
    /// Logs a request; one without a valid token is cut short first.
    pub(crate) fn log(&self, request: ReceivedRequest, authenticated: bool) {
        let request = match authenticated {
            true => request,
            false => request.cut_to(UNAUTHENTICATED_KEPT_BYTES),
        };
        let size = request.size();
        self.requests
            .lock()
            .expect("requests lock")
            .push(request, size);
    }

    pub(crate) fn take_fault(&self) -> Fault {
        let mut faults = self.faults.lock().expect("faults lock");
        Fault {
            failure: faults.failures.pop_front(),
            delay: faults.delays.pop_front(),
        }
    }

    /// The next answer scripted for `operation`, if any.
    pub(crate) fn take_scripted(&self, operation: &str) -> Option<Answer> {
        let mut faults = self.faults.lock().expect("faults lock");
        faults.scripted.get_mut(operation)?.pop_front()
    }
}
