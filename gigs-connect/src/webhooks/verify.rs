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

/// The three headers, by their Standard Webhooks names and Svix's.
const ID: Header = Header("webhook-id", "svix-id");
const TIMESTAMP: Header = Header("webhook-timestamp", "svix-timestamp");
const SIGNATURE: Header = Header("webhook-signature", "svix-signature");

struct Header(&'static str, &'static str);

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
    /// against the system clock, and decodes its event.
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
        self.verify_signature_at(headers, body, now)?;
        super::decode::decode_event(body)
    }

    /// The signature checks of [`Webhook::verify_at`] without decoding the body.
    pub fn verify_signature_at(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        if body.len() > self.max_body_bytes {
            return Err(WebhookError::BodyTooLarge {
                size: body.len(),
                limit: self.max_body_bytes,
            });
        }
        let (_, msg_id) = header(headers, &ID)?;
        let (timestamp_name, timestamp) = header(headers, &TIMESTAMP)?;
        let (_, signatures) = header(headers, &SIGNATURE)?;
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
            true => Ok(()),
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

/// A header by its Standard Webhooks name, else by Svix's; its name and value.
fn header<'h>(
    headers: &'h http::HeaderMap,
    names: &Header,
) -> Result<(&'static str, &'h str), WebhookError> {
    let (name, value) = match (headers.get(names.0), headers.get(names.1)) {
        (Some(value), _) => (names.0, value),
        (None, Some(value)) => (names.1, value),
        (None, None) => return Err(WebhookError::MissingHeader { header: names.0 }),
    };
    value
        .to_str()
        .map(|value| (name, value))
        .map_err(|_| WebhookError::InvalidHeader { header: name })
}

/// Whole seconds since the Unix epoch, negative before it.
fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}
