//! `Webhook`: Standard Webhooks signatures (what Svix, and so Gigs, sends), checked
//! exactly as the specification says, and made for tests.

use super::{Event, WebhookError};
use base64::Engine;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How far a delivery's timestamp may be from now, either way, by default.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);
/// The largest body [`Webhook::verify`] reads by default (1 MiB); an event is a
/// few kilobytes.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

/// The prefix Svix and Gigs show secrets with.
const SECRET_PREFIX: &str = "whsec_";

/// Base64 of the standard alphabet, padded or not (secrets are shown both ways).
const ANY_PADDING: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The three headers of a delivery (id, timestamp, signature) under Svix's names
/// and under the Standard Webhooks names, in the order they are looked for.
const FAMILIES: [[&str; 3]; 2] = [
    ["svix-id", "svix-timestamp", "svix-signature"],
    ["webhook-id", "webhook-timestamp", "webhook-signature"],
];

/// A webhook endpoint's secret, to verify Gigs' deliveries and decode their events.
///
/// ```
/// use gigs_connect::webhooks::{Event, Webhook};
/// use std::time::SystemTime;
///
/// # fn main() -> Result<(), gigs_connect::webhooks::WebhookError> {
/// let webhook = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
/// # let body = br#"{"object":"event","id":"evt_1","type":"com.gigs.subscription.activated","data":{}}"#;
/// # let mut headers = http::HeaderMap::new();
/// # headers.insert("webhook-id", "msg_1".parse().unwrap());
/// # let now = SystemTime::now();
/// # let ts = now.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
/// # headers.insert("webhook-timestamp", ts.to_string().parse().unwrap());
/// # headers.insert("webhook-signature", webhook.sign("msg_1", now, body).parse().unwrap());
/// // In your handler: the raw body bytes and the request's headers.
/// match webhook.verify(&headers, body)? {
///     Event::ConnectSessionUpdated(event) => println!("{} changed", event.data.id),
///     other => println!("{} ({})", other.event_type(), other.id()),
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Webhook {
    key: Vec<u8>,
    tolerance: Duration,
    max_body_bytes: usize,
}

impl Webhook {
    /// The endpoint's secret as Gigs shows it: `whsec_` (optional) and base64,
    /// padded or not.
    pub fn new(secret: &str) -> Result<Webhook, WebhookError> {
        let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
        let key = ANY_PADDING
            .decode(encoded)
            .map_err(|_| WebhookError::InvalidSecret {
                reason: "it is not base64 after the optional `whsec_` prefix",
            })?;
        if key.is_empty() {
            return Err(WebhookError::InvalidSecret {
                reason: "it is empty",
            });
        }
        Ok(Webhook {
            key,
            tolerance: DEFAULT_TOLERANCE,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        })
    }

    /// How far a delivery's timestamp may be from now, either way (default
    /// [`DEFAULT_TOLERANCE`], 5 minutes, as Standard Webhooks says).
    pub fn tolerance(mut self, tolerance: Duration) -> Webhook {
        self.tolerance = tolerance;
        self
    }

    /// The largest body accepted (default [`DEFAULT_MAX_BODY_BYTES`]); bound your
    /// server's body reading by it too.
    pub fn max_body_bytes(mut self, limit: usize) -> Webhook {
        self.max_body_bytes = limit;
        self
    }

    /// Verifies a delivery (its headers and raw body, byte for byte as received)
    /// against the system clock, and decodes its event. To deduplicate deliveries,
    /// use [`Webhook::verify_delivery`], which also gives the authenticated message id.
    pub fn verify(&self, headers: &http::HeaderMap, body: &[u8]) -> Result<Event, WebhookError> {
        self.verify_at(headers, body, SystemTime::now())
    }

    /// [`Webhook::verify`] as if the time were `now`: for tests.
    pub fn verify_at(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Event, WebhookError> {
        self.verify_delivery_at(headers, body, now)
            .map(Delivery::into_event)
    }

    /// Verifies a delivery as [`Webhook::verify`] does and gives back what was
    /// authenticated with the event: the message id (the same on every retry of
    /// the delivery: deduplicate on it) and the timestamp it was signed with.
    ///
    /// The three headers are read as one family, never mixed: Svix's
    /// (`svix-id`, `svix-timestamp`, `svix-signature`) when all three are present,
    /// as Svix's own libraries prefer them, else the Standard Webhooks ones
    /// (`webhook-id`, …). So the id returned is always the one the signature
    /// covers. An empty id is refused, as the reference library refuses it.
    pub fn verify_delivery(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<Delivery, WebhookError> {
        self.verify_delivery_at(headers, body, SystemTime::now())
    }

    /// [`Webhook::verify_delivery`] as if the time were `now`: for tests.
    pub fn verify_delivery_at(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Delivery, WebhookError> {
        let (message_id, seconds) = self.authenticate(headers, body, now)?;
        let event = super::decode::decode_event(body)?;
        Ok(Delivery {
            message_id: message_id.to_owned(),
            seconds,
            event,
        })
    }

    /// The signature checks of [`Webhook::verify_at`] without decoding the body.
    pub fn verify_signature_at(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        self.authenticate(headers, body, now).map(|_| ())
    }

    /// Every check but decoding; the authenticated message id and timestamp.
    fn authenticate<'h>(
        &self,
        headers: &'h http::HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(&'h str, i64), WebhookError> {
        if body.len() > self.max_body_bytes {
            return Err(WebhookError::BodyTooLarge {
                size: body.len(),
                limit: self.max_body_bytes,
            });
        }
        let [
            (id_name, msg_id),
            (timestamp_name, timestamp),
            (_, signatures),
        ] = family(headers)?;
        if msg_id.is_empty() {
            return Err(WebhookError::EmptyHeader { header: id_name });
        }
        let seconds: i64 = timestamp
            .parse()
            .map_err(|_| WebhookError::InvalidTimestamp {
                header: timestamp_name,
            })?;
        self.check_timestamp(seconds, now)?;
        let mac = self.mac(msg_id, seconds, body);
        let matches = signatures
            .split(' ')
            .filter_map(|entry| entry.split_once(','))
            .filter(|(version, _)| *version == "v1")
            .filter_map(|(_, signature)| STANDARD.decode(signature).ok())
            // `verify_slice` compares in constant time.
            .any(|signature| mac.clone().verify_slice(&signature).is_ok());
        match matches {
            true => Ok((msg_id, seconds)),
            false => Err(WebhookError::NoMatchingSignature),
        }
    }

    /// The `webhook-signature` value Gigs would send for this message: `v1,<base64>`.
    /// Use it to test your handler with deliveries of your own.
    pub fn sign(&self, msg_id: &str, timestamp: SystemTime, body: &[u8]) -> String {
        let tag = self
            .mac(msg_id, unix_seconds(timestamp), body)
            .finalize()
            .into_bytes();
        format!("v1,{}", STANDARD.encode(tag))
    }

    /// HMAC-SHA256 over `{id}.{timestamp}.{body}`.
    fn mac(&self, msg_id: &str, seconds: i64, body: &[u8]) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        mac.update(msg_id.as_bytes());
        mac.update(b".");
        mac.update(seconds.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }

    fn check_timestamp(&self, seconds: i64, now: SystemTime) -> Result<(), WebhookError> {
        // In i128: a hostile timestamp (i64::MIN) must not overflow.
        let offset = i128::from(unix_seconds(now)) - i128::from(seconds);
        let tolerance = i128::from(self.tolerance.as_secs());
        let distance =
            Duration::from_secs(u64::try_from(offset.unsigned_abs()).unwrap_or(u64::MAX));
        if offset > tolerance {
            Err(WebhookError::TimestampTooOld {
                age: distance,
                tolerance: self.tolerance,
            })
        } else if -offset > tolerance {
            Err(WebhookError::TimestampTooNew {
                ahead: distance,
                tolerance: self.tolerance,
            })
        } else {
            Ok(())
        }
    }
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("secret", &"[redacted]")
            .field("tolerance", &self.tolerance)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
    }
}

/// The id, timestamp and signature headers of one family, with their names: the
/// first family in [`FAMILIES`] whose three headers are all present. When none is
/// complete, the first header missing from the family with the most present
/// (the Standard Webhooks one on a tie) is named.
fn family(headers: &http::HeaderMap) -> Result<[(&'static str, &str); 3], WebhookError> {
    let complete = FAMILIES
        .iter()
        .find(|names| names.iter().all(|name| headers.contains_key(*name)));
    let Some(names) = complete else {
        let present =
            |names: &[&str; 3]| names.iter().filter(|n| headers.contains_key(**n)).count();
        let [svix, standard] = &FAMILIES;
        let closest = if present(svix) > present(standard) {
            svix
        } else {
            standard
        };
        let missing = closest
            .iter()
            .find(|name| !headers.contains_key(**name))
            .expect("an incomplete family misses a header");
        return Err(WebhookError::MissingHeader { header: missing });
    };
    let read = |name: &'static str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(|value| (name, value))
            .ok_or(WebhookError::InvalidHeader { header: name })
    };
    Ok([read(names[0])?, read(names[1])?, read(names[2])?])
}

/// A verified delivery: its event and what authenticated it
/// ([`Webhook::verify_delivery`]).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Delivery {
    message_id: String,
    seconds: i64,
    event: Event,
}

impl Delivery {
    /// The message id the signature covers (`svix-id` or `webhook-id`): the same
    /// on every retry of this delivery, so the key to deduplicate on.
    pub fn message_id(&self) -> &str {
        &self.message_id
    }

    /// When the delivery was signed (`svix-timestamp` or `webhook-timestamp`),
    /// within the tolerance of the time it was verified at.
    pub fn timestamp(&self) -> SystemTime {
        let magnitude = Duration::from_secs(self.seconds.unsigned_abs());
        match self.seconds >= 0 {
            true => UNIX_EPOCH.checked_add(magnitude),
            false => UNIX_EPOCH.checked_sub(magnitude),
        }
        .unwrap_or(UNIX_EPOCH)
    }

    /// The event.
    pub fn event(&self) -> &Event {
        &self.event
    }

    /// The event, without the delivery's metadata.
    pub fn into_event(self) -> Event {
        self.event
    }
}

/// Whole seconds since the Unix epoch, negative before it.
fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}
