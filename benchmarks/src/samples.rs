//! The `ConnectSession` documents the decode and client benches use: the seeds'
//! session examples, and one session per intent type. All come from the fixtures in
//! the repository (`gigs-connect/tests/fixtures`), never from outside it.

use serde_json::Value;

/// One JSON document and what it is.
pub struct Sample {
    pub name: String,
    pub json: Vec<u8>,
}

/// The seeds' `ConnectSession` examples, byte for byte; the all-keys one carries
/// every payload key next to a single `type`, as Gigs' reference docs render it.
pub fn seed_sessions() -> Vec<Sample> {
    macro_rules! seed {
        ($name:literal) => {
            Sample {
                name: $name.to_owned(),
                json: include_bytes!(concat!(
                    "../../gigs-connect/tests/fixtures/seeds/",
                    $name,
                    ".json"
                ))
                .to_vec(),
            }
        };
    }
    vec![
        seed!("guide-create-response"),
        seed!("reference-create-response"),
        seed!("reference-retrieve-response"),
        seed!("reference-session-all-keys"),
        seed!("reference-update-response"),
    ]
}

/// The seeds' retrieve response with its intent replaced by each intent in
/// `every-intent.json` in turn: one session per intent type, pretty-printed like the
/// seeds.
pub fn per_intent_sessions() -> Vec<Sample> {
    let session: Value = serde_json::from_str(include_str!(
        "../../gigs-connect/tests/fixtures/seeds/reference-retrieve-response.json"
    ))
    .expect("the retrieve seed is JSON");
    let intents: Vec<Value> = serde_json::from_str(include_str!(
        "../../gigs-connect/tests/fixtures/intents/every-intent.json"
    ))
    .expect("every-intent.json is a JSON array");
    intents
        .into_iter()
        .map(|intent| {
            let tag = intent["type"]
                .as_str()
                .expect("every intent has a type")
                .to_owned();
            let mut session = session.clone();
            session["intent"] = intent;
            Sample {
                name: tag,
                json: serde_json::to_vec_pretty(&session).expect("a JSON value serializes"),
            }
        })
        .collect()
}

/// The all-keys seed alone: the hardest input for a decoder that tries union
/// members one by one.
pub fn all_keys_session() -> Sample {
    seed_sessions()
        .into_iter()
        .find(|sample| sample.name == "reference-session-all-keys")
        .expect("the all-keys seed is among the seeds")
}

/// Total size, for criterion's bytes-per-second throughput.
pub fn total_bytes(samples: &[Sample]) -> u64 {
    samples.iter().map(|sample| sample.json.len() as u64).sum()
}
