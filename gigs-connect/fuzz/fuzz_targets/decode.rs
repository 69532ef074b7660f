//! Arbitrary bytes decoded as every type a response can carry. Decoding may fail;
//! it must never panic, and what decodes must encode and decode back to itself.

#![no_main]

use gigs_connect::types::{ApiError, ConnectSession, Intent};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt::Debug;

fuzz_target!(|bytes: &[u8]| {
    round_trip::<ConnectSession>(bytes);
    round_trip::<Intent>(bytes);
    round_trip::<ApiError>(bytes);
});

fn round_trip<T: DeserializeOwned + Serialize + PartialEq + Debug>(bytes: &[u8]) {
    let Ok(value) = serde_json::from_slice::<T>(bytes) else {
        return;
    };
    let encoded = serde_json::to_vec(&value).expect("a decoded value encodes");
    let again: T = serde_json::from_slice(&encoded).expect("an encoded value decodes");
    assert_eq!(value, again);
    // Formatting runs the secret-redacting Debug impls too.
    let _ = format!("{value:?}");
}
