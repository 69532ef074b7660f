//! The one scrubber for server text the client prints or logs: error messages and
//! hints, excerpts of bodies, decode reasons, and unknown values in `Debug`.
//!
//! What it removes: the client's own API token wherever it appears, the value of
//! every `url` key and every key containing `token` at any depth of JSON, and the
//! value of every such query parameter (`token=…`, `url=…`). Keys match
//! case-insensitively and after decoding, so JSON escapes (`"\u0075rl"`) and
//! percent-encoding (`%74oken=`) do not hide them. JSON text is parsed with
//! serde_json; text that is not JSON (an HTML page, a body cut short) is read as a
//! run of JSON string literals, each decoded by serde_json, and the text between.

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

/// What a secret is replaced with.
pub(crate) const REDACTED: &str = "[redacted]";

/// Percent-decoding rounds tried on text, so `%2574oken=` (encoded twice) is found.
const DECODE_ROUNDS: usize = 3;

/// Whether a key names a secret: `url`, or anything with `token` in it, in any
/// case, percent-encoded or not.
fn is_secret_key(key: &str) -> bool {
    let decoded = percent_decode_str(key).decode_utf8_lossy();
    let lower = decoded.trim().to_ascii_lowercase();
    lower == "url" || lower.contains("token")
}

/// `text` with every secret removed. `token` is the client's API token, when the
/// text comes from a call of a client that has one.
pub(crate) fn text(text: &str, token: Option<&str>) -> String {
    let text = without_token(text, token);
    let trimmed = text.trim_start();
    if (trimmed.starts_with('{') || trimmed.starts_with('['))
        && let Ok(mut value) = serde_json::from_str::<Value>(&text)
    {
        value_in_place(&mut value, token);
        return value.to_string();
    }
    loose(&text, token)
}

/// Removes every secret from `value`, at any depth (an explicit stack, so a deep
/// value cannot overflow it).
pub(crate) fn value_in_place(value: &mut Value, token: Option<&str>) {
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            Value::String(text) => {
                let scrubbed = string(text, token);
                if let Cow::Owned(scrubbed) = scrubbed {
                    *text = scrubbed;
                }
            }
            Value::Array(items) => pending.extend(items.iter_mut()),
            Value::Object(map) => {
                let changes_keys = map.keys().any(|key| string(key, token) != key.as_str());
                if changes_keys {
                    *map = std::mem::take(map)
                        .into_iter()
                        .map(|(key, value)| (string(&key, token).into_owned(), value))
                        .collect::<Map<_, _>>();
                }
                for (key, value) in map.iter_mut() {
                    if is_secret_key(key) && !value.is_null() {
                        *value = Value::String(REDACTED.to_owned());
                    } else {
                        pending.push(value);
                    }
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
}

/// A value (a Gigs error envelope) with every secret removed from its text
/// (message, hint, code, type, details), through its JSON form so no field is
/// missed. Generic, so this module names no generated type: the generated code
/// uses it (`Scrubbed`), and it uses nothing generated.
pub(crate) fn serialized<T: serde::Serialize + serde::de::DeserializeOwned>(
    error: T,
    token: Option<&str>,
) -> T {
    let Ok(mut value) = serde_json::to_value(&error) else {
        return error;
    };
    let before = value.clone();
    value_in_place(&mut value, token);
    if value == before {
        return error;
    }
    serde_json::from_value(value).unwrap_or(error)
}

/// One decoded string (a JSON value or key, a message): the token and secret query
/// values removed.
fn string<'t>(text: &'t str, token: Option<&str>) -> Cow<'t, str> {
    let masked = params(text, token);
    if masked == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(masked)
    }
}

/// `text` with every occurrence of the client's token replaced.
fn without_token<'t>(text: &'t str, token: Option<&str>) -> Cow<'t, str> {
    match token {
        Some(token) if !token.is_empty() && text.contains(token) => {
            Cow::Owned(text.replace(token, REDACTED))
        }
        _ => Cow::Borrowed(text),
    }
}

/// Masks the value of every secret pair (`token=…`, `url: …`) and the client's
/// `token`. When decoding (HTML's `&#61;` for `=`, then percent-decoding up to
/// [`DECODE_ROUNDS`] times) reveals a secret that the text hid, the decoded text is
/// shown masked; otherwise the text as it came.
fn params(text: &str, token: Option<&str>) -> String {
    let reveal = |layer: &str| mask_pairs(&without_token(layer, token));
    let mut layer = Cow::Borrowed(text);
    let mut hidden = false;
    let entities = html_equals(text);
    if let Cow::Owned(entities) = entities {
        hidden |= reveal(&entities) != entities;
        layer = Cow::Owned(entities);
    }
    for _ in 0..DECODE_ROUNDS {
        let decoded = percent_decode_str(&layer).decode_utf8_lossy().into_owned();
        if decoded == *layer {
            break;
        }
        hidden |= reveal(&decoded) != decoded;
        layer = Cow::Owned(decoded);
    }
    match hidden {
        true => reveal(&layer),
        false => reveal(text),
    }
}

/// `text` with HTML's character references for `=` (`&#61;`, `&#x3d;`, `&equals;`)
/// decoded, so `token&#61;…` in a page reads as the pair it is.
fn html_equals(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut changed = false;
    while at < text.len() {
        let reference = ["&#61;", "&#x3d;", "&#061;", "&equals;"]
            .into_iter()
            .find(|reference| lower[at..].starts_with(reference));
        match reference {
            Some(reference) => {
                out.push('=');
                at += reference.len();
                changed = true;
            }
            None => {
                let c = text[at..].chars().next().expect("inside the text");
                out.push(c);
                at += c.len_utf8();
            }
        }
    }
    match changed {
        true => Cow::Owned(out),
        false => Cow::Borrowed(text),
    }
}

/// Characters that end a query value in free text, HTML or JSON.
const VALUE_ENDS: &[char] = &[
    '&', ';', '#', '"', '\'', ' ', '\t', '\r', '\n', '<', '>', ',', ')', '}', ']', '\\',
];

/// Replaces the value after each `key=` or `key:` (spaces allowed around the sign,
/// the value bare or quoted) whose key names a secret.
fn mask_pairs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(sign) = rest.find(['=', ':']) {
        let key = key_before(&rest[..sign]);
        out.push_str(&rest[..=sign]);
        let after = &rest[sign + 1..];
        if key.is_empty() || !is_secret_key(key) {
            rest = after;
            continue;
        }
        let value = after.trim_start_matches([' ', '\t']);
        out.push_str(&after[..after.len() - value.len()]);
        match value.chars().next() {
            // Nothing follows here: a quoted value after it is masked by `loose`.
            None => rest = value,
            Some(quote @ ('"' | '\'')) => {
                // A quoted value ends at its closing quote (or the text's end).
                let inner = &value[1..];
                let end = inner.find(quote).unwrap_or(inner.len());
                out.push(quote);
                out.push_str(REDACTED);
                rest = &inner[end..];
            }
            _ => {
                let end = value.find(VALUE_ENDS).unwrap_or(value.len());
                out.push_str(REDACTED);
                rest = &value[end..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The key that ends `text` (spaces before the sign allowed), or `""`.
fn key_before(text: &str) -> &str {
    let before = text.trim_end_matches([' ', '\t']);
    let key_start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || "_-.%~[]".contains(c)))
        .map_or(0, |at| {
            at + before[at..].chars().next().map_or(1, char::len_utf8)
        });
    &before[key_start..]
}

/// Whether `text` ends with a secret key and its sign (`token=`, `data-token = `,
/// `url:`): the string literal that follows is its value.
fn ends_with_secret_pair(text: &str) -> bool {
    let trimmed = text.trim_end_matches([' ', '\t']);
    let Some(before) = trimmed.strip_suffix(['=', ':']) else {
        return false;
    };
    let key = key_before(&html_equals(before)).to_owned();
    !key.is_empty() && is_secret_key(&key)
}

/// Text that is not JSON as a whole: JSON string literals are decoded one by one
/// (a key names what follows, a value is scrubbed as a string), the text between
/// them is scrubbed as free text.
fn loose(text: &str, token: Option<&str>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // The key before the next value named a secret.
    let mut secret_value_next = false;
    while !rest.is_empty() {
        let Some(quote) = rest.find('"') else {
            out.push_str(&between(rest, &mut secret_value_next, token));
            break;
        };
        out.push_str(&between(&rest[..quote], &mut secret_value_next, token));
        let literal_len = literal_len(&rest[quote..]);
        let raw = &rest[quote..quote + literal_len];
        rest = &rest[quote + literal_len..];
        let decoded = decode_literal(raw);
        let is_key = rest.trim_start().starts_with(':');
        if is_key {
            secret_value_next = is_secret_key(&decoded);
            out.push_str(&shown_literal(raw, &decoded, token));
        } else if secret_value_next {
            secret_value_next = false;
            out.push('"');
            out.push_str(REDACTED);
            out.push('"');
        } else {
            out.push_str(&shown_literal(raw, &decoded, token));
        }
    }
    out
}

/// Free text between string literals; after a secret key, the bare value that
/// follows its colon (a number, `true`, an object cut short, …) is masked.
fn between(text: &str, secret_value_next: &mut bool, token: Option<&str>) -> String {
    if *secret_value_next {
        let after_colon = text.trim_start().strip_prefix(':').map(str::trim_start);
        if let Some(value) = after_colon
            && !value.is_empty()
        {
            *secret_value_next = false;
            let end = value.find([',', '}', ']', '\n']).unwrap_or(value.len());
            let start = text.len() - value.len();
            return format!(
                "{}{REDACTED}{}",
                &text[..start],
                params(&value[end..], token)
            );
        }
    }
    *secret_value_next |= ends_with_secret_pair(&html_equals(text));
    params(text, token)
}

/// The length of the JSON string literal `text` starts with (its opening quote to
/// its closing one, or to the end of a text cut short).
fn literal_len(text: &str) -> usize {
    let mut escaped = false;
    for (at, c) in text.char_indices().skip(1) {
        match c {
            '"' if !escaped => return at + 1,
            '\\' => escaped = !escaped,
            _ => escaped = false,
        }
    }
    text.len()
}

/// The text a JSON string literal stands for, decoded by serde_json; a literal cut
/// short is closed first (and loses an escape cut in half).
fn decode_literal(raw: &str) -> String {
    if let Ok(decoded) = serde_json::from_str::<String>(raw) {
        return decoded;
    }
    let body = raw.strip_prefix('"').unwrap_or(raw);
    let body = body.strip_suffix('"').unwrap_or(body);
    // An escape cut in half is at most `\uXXX` (5 characters) at the end.
    for cut in 0..=5.min(body.len()) {
        let Some(kept) = body.get(..body.len() - cut) else {
            continue;
        };
        if let Ok(decoded) = serde_json::from_str::<String>(&format!("\"{kept}\"")) {
            return decoded;
        }
    }
    body.to_owned()
}

/// A literal as shown: as it came when it holds no secret, else re-encoded from its
/// scrubbed text (so an escaped `\u0073k_…` token is found too).
fn shown_literal(raw: &str, decoded: &str, token: Option<&str>) -> String {
    match string(decoded, token) {
        Cow::Borrowed(_) if !params(raw, token).contains(REDACTED) => raw.to_owned(),
        scrubbed => Value::String(scrubbed.into_owned()).to_string(),
    }
}

/// Shows a server value in `Debug` scrubbed: for values the client keeps intact
/// (an unknown enum value or union member) and prints only through this.
pub(crate) struct Scrubbed<'v, T: ?Sized>(pub(crate) &'v T);

impl fmt::Debug for Scrubbed<'_, str> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&text(self.0, None), f)
    }
}

impl fmt::Debug for Scrubbed<'_, Map<String, Value>> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut value = Value::Object(self.0.clone());
        value_in_place(&mut value, None);
        fmt::Debug::fmt(&value, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "sk_live_CLIENT";

    #[test]
    fn removes_secrets_from_json_at_any_depth_however_keys_are_spelled() {
        let body = r#"{"a":{"b":[{"\u0075rl":"https://c/x?s=1&token=S1"}]},"URL":"S2","accessToken":"S3","n":"see https://c/?TOKEN=S4&x=1","m":"%74oken=S5","k":"Bearer sk_live_CLIENT"}"#;
        let shown = text(body, Some(TOKEN));
        for secret in ["S1", "S2", "S3", "S4", "S5", TOKEN] {
            assert!(!shown.contains(secret), "{secret}: {shown}");
        }
        assert!(shown.contains("x=1"), "{shown}");
    }

    #[test]
    fn removes_secrets_from_json_cut_short_and_from_html() {
        let cut = r#"{"id":"csn_1","\u0075rl": "https://c/x?tok\u0065n=S1","note":"%2574oken=S2&a=1","URL":"S3"#;
        let shown = text(cut, None);
        for secret in ["S1", "S2", "S3"] {
            assert!(!shown.contains(secret), "{secret}: {shown}");
        }
        assert!(shown.contains("csn_1"), "{shown}");
        let html = "<a href=\"https://c/x?session=1&TOKEN=S1\">%74oken=S2</a> url=S3";
        let shown = text(html, None);
        for secret in ["S1", "S2", "S3"] {
            assert!(!shown.contains(secret), "{secret}: {shown}");
        }
        assert!(shown.contains("session=1"), "{shown}");
    }

    #[test]
    fn leaves_text_without_secrets_as_it_came() {
        for plain in [
            "Plan not available.",
            "<html>502 Bad Gateway</html>",
            r#"{"a":"b%20c"#,
        ] {
            assert_eq!(text(plain, Some(TOKEN)), plain);
        }
    }

    #[test]
    fn a_value_nested_past_the_parser_limit_is_still_scrubbed_as_text() {
        let deep = format!("{}\"url\":\"S1\"{}", "{\"a\":".repeat(200), "}".repeat(200));
        let shown = text(&deep, None);
        assert!(!shown.contains("S1"), "{shown}");
    }

    #[test]
    fn masks_token_values_however_html_and_prose_spell_the_pair() {
        for text_with_secret in [
            r#"<a token="S3CR3T">"#,
            "<a token='S3CR3T'>",
            "token= S3CR3T and more",
            "token = S3CR3T and more",
            "token: S3CR3T and more",
            r#"<div data-token="S3CR3T">"#,
            "token&#61;S3CR3T&x=1",
            "<a href=\"https://c/x?token&#x3D;S3CR3T\">",
            "URL: S3CR3T",
        ] {
            let shown = text(text_with_secret, None);
            assert!(!shown.contains("S3CR3T"), "{text_with_secret:?} → {shown}");
        }
    }

    #[test]
    fn finds_the_clients_token_json_escaped_or_percent_encoded_in_text_that_is_not_json() {
        for text_with_token in [
            r#"<p>"\u0073k_live_CLIENT"</p>"#,
            r#"bad key "sk\u005flive\u005fCLIENT" (cut"#,
            "<a href=\"/x?k=sk%5Flive%5FCLIENT\">",
            "key%3Dsk_live_%43LIENT",
            "sk%255Flive_CLIENT in a doubly encoded link",
        ] {
            let shown = text(text_with_token, Some(TOKEN));
            assert!(!shown.contains("CLIENT"), "{text_with_token:?} → {shown}");
            assert!(!shown.contains("%43LIENT"), "{text_with_token:?} → {shown}");
        }
    }
}
