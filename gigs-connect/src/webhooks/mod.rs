//! Gigs' webhook events, verified and typed (feature `webhooks`).
//!
//! Gigs reports what happens to a Connect Session as events
//! (`com.gigs.connectSession.created`, `com.gigs.connectSession.updated`), delivered
//! to your endpoint through Svix with [Standard Webhooks] signatures. [`Webhook`]
//! checks a delivery (the `webhook-id`, `webhook-timestamp` and `webhook-signature`
//! headers, or their `svix-` names; HMAC-SHA256 compared in constant time; a
//! timestamp within 5 minutes; a bounded body) and decodes its [`Event`]:
//!
//! - [`Event`] is tagged by `type`; a type this SDK version does not know (Gigs has
//!   many more, and adds some) is [`Event::Unknown`], kept whole, never an error.
//! - `data` is the generated [`ConnectSession`](crate::types::ConnectSession), so
//!   its `url` (which logs the user in) is a [`SecretString`](crate::SecretString)
//!   and `Debug` never shows it; an unknown event's `Debug` shows only id and type.
//! - `previous_data` of an update is a [`PartialConnectSession`]: the previous
//!   values of the fields that changed; a field that was `null` is
//!   [`Patch::Clear`](crate::Patch::Clear), one that did not change
//!   [`Patch::Unchanged`](crate::Patch::Unchanged) or `None`.
//!
//! Deliveries may arrive more than once and in any order: verify with
//! [`Webhook::verify_delivery`] and deduplicate on its [`Delivery::message_id`] (the
//! id the signature covers, read from the same header family as the signature:
//! `svix-*` when all three are present, else `webhook-*`), and answer 2xx quickly
//! (see `examples/` for an axum endpoint). The event types, envelopes and [`Event`] are generated from the spec,
//! so a new `com.gigs.*` event there needs no hand-written code.
//!
//! [Standard Webhooks]: https://www.standardwebhooks.com

pub(crate) mod decode;
mod error;
pub(crate) mod unknown;
mod verify;

pub use crate::generated::events::*;
pub use error::WebhookError;
pub use unknown::UnknownEvent;
pub use verify::{DEFAULT_MAX_BODY_BYTES, DEFAULT_TOLERANCE, Delivery, Webhook};
