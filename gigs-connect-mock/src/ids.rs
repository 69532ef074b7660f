//! Ids and tokens the mock hands out, shaped like Gigs'.

use std::hash::{BuildHasher, RandomState};

/// A Gigs-style id: a prefix and 28 characters.
pub(crate) fn random_id(prefix: &str) -> String {
    format!("{prefix}{}", random_chars(28))
}

/// Random alphanumerics. Not cryptographic: a mock's tokens guard nothing, they
/// only need to differ from each other.
pub(crate) fn random_chars(count: usize) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let state = RandomState::new();
    (0..count)
        .map(|i| {
            let n = state.hash_one((i, std::time::SystemTime::now()));
            char::from(ALPHABET[(n % ALPHABET.len() as u64) as usize])
        })
        .collect()
}
