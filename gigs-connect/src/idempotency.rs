//! `Idempotency-Key`s: a fresh random one per call, or the caller's own checked
//! against Gigs' rules before anything is sent.

use crate::error::Error;
use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};

/// The header Gigs reads the key from on `POST` and `DELETE`.
pub(crate) const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// The longest key Gigs accepts, in characters.
pub(crate) const MAX_KEY_LEN: usize = 255;

/// The `Idempotency-Key` of one call, sent on each of its attempts: the caller's,
/// else a fresh one for `POST` and `DELETE` when `automatic` keys are on.
pub(crate) fn key_for_call(
    operation: &'static str,
    method: &Method,
    callers: Option<&str>,
    automatic: bool,
) -> Result<Option<HeaderValue>, Error> {
    if let Some(key) = callers {
        return check_key(key)
            .map(Some)
            .map_err(|reason| Error::InvalidArgument {
                operation,
                parameter: "Idempotency-Key",
                reason,
            });
    }
    if !automatic || !takes_idempotency_key(method) {
        return Ok(None);
    }
    let key = new_key();
    if key.is_none() {
        // Sending without a key is safe: the strict retry rule then applies.
        tracing::warn!(
            operation,
            "no randomness from the operating system: sending without an idempotency key"
        );
    }
    Ok(key)
}

/// A new key: a random (version 4) UUID, as Gigs recommends, from the operating
/// system's randomness. `None` only if the operating system has none to give.
pub(crate) fn new_key() -> Option<HeaderValue> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 9562 variant
    let mut text = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            text.push('-');
        }
        text.push_str(&format!("{byte:02x}"));
    }
    Some(HeaderValue::from_str(&text).expect("hex digits and dashes are a valid header value"))
}

/// Gigs' `Idempotency-Key` rules, in one place for the client (before it sends)
/// and the mock server (as Gigs answers): `Err` with the reason when `key` is one
/// Gigs refuses (not 1 to 255 visible ASCII characters); else whether Gigs
/// honours a key on a `method` request (`POST` and `DELETE`: the first successful
/// answer is kept for the key and given again) or ignores it (every other method).
/// `key` `None` asks about the method alone.
///
/// # Errors
/// The key's fault, as a phrase that follows "the key" (`"is empty"`).
pub fn idempotency_key_rule(method: &str, key: Option<&[u8]>) -> Result<bool, &'static str> {
    if let Some(key) = key {
        if key.is_empty() {
            return Err("is empty");
        }
        if key.len() > MAX_KEY_LEN {
            return Err("is longer than 255 characters");
        }
        if !key.iter().all(u8::is_ascii_graphic) {
            return Err("contains a character other than visible ASCII");
        }
    }
    Ok(matches!(method, "POST" | "DELETE"))
}

/// Whether Gigs honours an `Idempotency-Key` on `method` ([`idempotency_key_rule`]).
pub(crate) fn takes_idempotency_key(method: &Method) -> bool {
    idempotency_key_rule(method.as_str(), None) == Ok(true)
}

/// The caller's key as a header value, or why Gigs would refuse it
/// ([`idempotency_key_rule`]).
pub(crate) fn check_key(key: &str) -> Result<HeaderValue, &'static str> {
    idempotency_key_rule("POST", Some(key.as_bytes()))?;
    Ok(HeaderValue::from_str(key).expect("visible ASCII is a valid header value"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn new_keys_are_version_4_uuids() {
        let key = new_key().unwrap();
        let text = key.to_str().unwrap();
        let groups: Vec<&str> = text.split('-').collect();
        let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
        assert_eq!(lengths, [8, 4, 4, 4, 12], "{text}");
        assert!(
            text.chars()
                .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)),
            "{text}"
        );
        assert!(groups[2].starts_with('4'), "version nibble: {text}");
        assert!(
            groups[3].starts_with(['8', '9', 'a', 'b']),
            "variant bits: {text}"
        );
        assert!(check_key(text).is_ok());
    }

    #[test]
    fn new_keys_differ() {
        let keys: HashSet<HeaderValue> = (0..1000).map(|_| new_key().unwrap()).collect();
        assert_eq!(keys.len(), 1000);
    }

    #[test]
    fn caller_keys_of_1_to_255_visible_ascii_characters_are_accepted() {
        for key in [
            "k",
            "order-42/attempt:1",
            &"x".repeat(255),
            "~!\"#$%&'()*+,",
        ] {
            assert_eq!(check_key(key).unwrap().to_str().unwrap(), key);
        }
    }

    #[test]
    fn caller_keys_gigs_would_refuse_are_refused_with_the_reason() {
        assert_eq!(check_key(""), Err("is empty"));
        assert_eq!(
            check_key(&"x".repeat(256)),
            Err("is longer than 255 characters")
        );
        for key in ["with space", "tab\t", "line\nbreak", "ünïcode", "nul\0"] {
            assert_eq!(
                check_key(key),
                Err("contains a character other than visible ASCII"),
                "{key:?}"
            );
        }
    }
}
