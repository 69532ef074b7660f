//! Every identifier rule in one place: wire names → Rust names via heck, with
//! keywords escaped so the wire name can always be kept beside the Rust one, and
//! the names generated code must not take because generated or hand-written code
//! already uses them. `validate` checks every name against these rules, so `emit`
//! never meets a name it cannot spell.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// The case a Rust identifier takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// Types and variants: `ConnectSession`.
    Pascal,
    /// Fields, functions and arguments: `callback_url`.
    Snake,
}

/// Keywords of Rust 2024 (strict and reserved); any of them needs escaping.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is an error): they get a `_` suffix.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Type names generated code uses without a path: the prelude's types, traits and
/// variants, serde's traits (imported by `types.rs`) and the generic parameters of
/// generated impls. A schema, inline enum or operation type named like one would
/// shadow it, and the crate would not compile.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    // The prelude (Rust 2024) and what generated code names from it.
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "ToString",
    "ToOwned",
    "Clone",
    "Copy",
    "Default",
    "Debug",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "AsRef",
    "AsMut",
    "Iterator",
    "IntoIterator",
    "Extend",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "FromIterator",
    "Future",
    "IntoFuture",
    // serde's traits and derives, imported by name.
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    // Generic parameters of generated impls.
    "S",
    "D",
    "E",
    "T",
    "P",
    "V",
    "M",
    // Lifetimes and `Self` are handled by `sanitize`; the crate's own paths are
    // always written `crate::…`.
];

/// Headers the client sets itself on every request; a header parameter may not
/// override them.
pub const CLIENT_HEADERS: &[&str] = &[
    "authorization",
    "accept",
    "content-type",
    "user-agent",
    "idempotency-key",
];

/// Headers that frame the message or the connection, which the HTTP stack writes
/// from the body and the URL: a header parameter may not be one, and the runtime
/// refuses them per call from the copy codegen emits into the generated `mod.rs`
/// (this is the one list).
pub const FRAMING_HEADERS: &[&str] = &[
    "content-length",
    "transfer-encoding",
    "host",
    "connection",
    "te",
    "upgrade",
    "trailer",
    "keep-alive",
];

/// Methods of the hand-written `Client` (`client.rs`, and `raw.rs` for the escape
/// hatch): an operation's method on the client must not take one. `Client`'s
/// inherent methods are its public API only (its machinery lives on the private
/// `Inner` it holds), so this list changes only with that API; a test reads the
/// runtime to keep it exact and to keep private helpers off `Client`.
pub const CLIENT_METHODS: &[&str] = &["builder", "request", "project", "base_url", "clone", "fmt"];

/// Methods of the hand-written `Call` (`call.rs`): the setter of an optional
/// parameter must not take one. They are `Call`'s public API and the two
/// crate-visible methods generated code calls (`new`, and `operation_mut` in a
/// setter); a test reads the runtime to keep this list exact and any other
/// private helper off `Call`.
pub const CALL_METHODS: &[&str] = &[
    "new",
    "operation_mut",
    "idempotency_key",
    "timeout",
    "deadline",
    "max_retries",
    "max_response_bytes",
    "header",
    "extra_query",
    "extra_body_field",
    "options",
    "send",
    "with_response",
    "items",
    "into_future",
    "fmt",
];

/// Associated functions generated on every union (`Intent::tag`) beside one
/// constructor per tag: a tag must not become one of them.
pub const UNION_METHODS: &[&str] = &["tag", "decode_map", "from_pending"];

/// Associated functions generated on every struct beside one setter per optional
/// field (and `clear_…` for PATCH fields).
pub const STRUCT_METHODS: &[&str] = &["new"];

/// A Rust identifier for `name`, as source text (`r#type`, `self_`, `CallbackUrl`).
///
/// Returns `None` when nothing usable is left (e.g. a name of only punctuation) or
/// the result is not a plain ASCII identifier: heck keeps Unicode letters and
/// digits, and some of them (`x²`, `½`, `١`) cannot start or continue a Rust
/// identifier, while others trip the `non_ascii_idents` family of lints.
pub fn sanitize(name: &str, case: Case) -> Option<String> {
    let converted = convert_plain(name, case).unwrap_or_else(|| heck(name, case));
    if converted.is_empty()
        || !converted
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return None;
    }
    let converted = if converted.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{converted}")
    } else {
        converted
    };
    Some(if NOT_RAW.contains(&converted.as_str()) {
        format!("{converted}_")
    } else if KEYWORDS.contains(&converted.as_str()) {
        format!("r#{converted}")
    } else {
        converted
    })
}

/// `name` in `case`, by heck: the rule every conversion follows.
fn heck(name: &str, case: Case) -> String {
    match case {
        Case::Pascal => name.to_upper_camel_case(),
        Case::Snake => name.to_snake_case(),
    }
}

/// heck's conversion of a plain camelCase or PascalCase ASCII name, computed
/// without running heck: most spec names are like `subscription`, `callbackUrl`
/// or `CompletePortingPayload`, and heck's Unicode word splitting was a third of
/// validating a large spec. `None` for anything else (heck then decides).
///
/// "Plain" means ASCII letters and digits, starting with a letter, where every
/// later uppercase letter follows a lowercase one (the last letter before it, digits
/// aside). heck then starts a word at exactly those uppercase letters, so Pascal
/// case only capitalizes the first letter and snake case puts `_` before each
/// later uppercase letter and lowercases it.
fn convert_plain(name: &str, case: Case) -> Option<String> {
    let (&first, rest) = name.as_bytes().split_first()?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    let mut last_letter_is_lower = first.is_ascii_lowercase();
    for &b in rest {
        if b.is_ascii_lowercase() {
            last_letter_is_lower = true;
        } else if b.is_ascii_uppercase() {
            if !std::mem::replace(&mut last_letter_is_lower, false) {
                return None;
            }
        } else if !b.is_ascii_digit() {
            return None;
        }
    }
    let mut converted = String::with_capacity(name.len() + 4);
    match case {
        Case::Pascal => {
            converted.push(first.to_ascii_uppercase() as char);
            converted.push_str(&name[1..]);
        }
        Case::Snake => {
            converted.push(first.to_ascii_lowercase() as char);
            for &b in rest {
                if b.is_ascii_uppercase() {
                    converted.push('_');
                }
                converted.push(b.to_ascii_lowercase() as char);
            }
        }
    }
    Some(converted)
}

/// The variant every string enum keeps values it does not know in.
pub const ENUM_CATCH_ALL: &str = "Unknown";

/// The variant of a string enum value: its Pascal case, except that a value spelled
/// like the catch-all (`unknown`, `UNKNOWN`) becomes `UnknownValue`, so a spec may
/// list `unknown` and the catch-all keeps its name in every enum. A value that
/// itself becomes `UnknownValue` then collides, and validation says so.
pub fn enum_variant(value: &str) -> Option<String> {
    let variant = sanitize(value, Case::Pascal)?;
    Some(match variant == ENUM_CATCH_ALL {
        true => format!("{ENUM_CATCH_ALL}Value"),
        false => variant,
    })
}

/// `sanitize` without the `r#` prefix, for composing names (`with_type`).
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// What every Gigs event type starts with (`com.gigs.connectSession.created`).
pub const EVENT_TYPE_PREFIX: &str = "com.gigs.";

/// Names `generated/events.rs` defines or uses unqualified besides the models: in a
/// spec with events, no schema may take them (`events.rs` imports every model by
/// glob, and its own `Event` would shadow a model of that name).
pub const EVENT_MODULE_NAMES: &[&str] = &["Event", "UnknownEvent"];

/// The `Event` variant of an event type: the part after `com.gigs.` in Pascal case
/// (`com.gigs.connectSession.created` → `ConnectSessionCreated`).
pub fn event_variant(event_type: &str) -> Option<String> {
    let name = event_type.strip_prefix(EVENT_TYPE_PREFIX)?;
    sanitize(name, Case::Pascal).filter(|variant| !variant.starts_with("r#"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_wire_names_become_snake_case_fields() {
        assert_eq!(
            sanitize("callbackUrl", Case::Snake).unwrap(),
            "callback_url"
        );
        assert_eq!(
            sanitize("userDetails", Case::Snake).unwrap(),
            "user_details"
        );
    }

    #[test]
    fn keywords_become_raw_identifiers() {
        assert_eq!(sanitize("type", Case::Snake).unwrap(), "r#type");
        assert_eq!(sanitize("ref", Case::Snake).unwrap(), "r#ref");
        assert_eq!(sanitize("gen", Case::Snake).unwrap(), "r#gen");
    }

    #[test]
    fn keywords_that_cannot_be_raw_get_a_suffix() {
        assert_eq!(sanitize("self", Case::Snake).unwrap(), "self_");
        assert_eq!(sanitize("Self", Case::Pascal).unwrap(), "Self_");
        assert_eq!(sanitize("super", Case::Snake).unwrap(), "super_");
    }

    /// The shortcut agrees with heck on every name of up to five characters drawn
    /// from lowercase, uppercase, digit, separator and non-ASCII characters.
    #[test]
    fn plain_names_convert_exactly_as_heck_converts_them() {
        let alphabet = ['a', 'b', 'A', 'B', '1', '_', '-', 'é'];
        let mut names = vec![String::new()];
        let mut checked = 0;
        for _ in 0..5 {
            names = names
                .iter()
                .flat_map(|name| alphabet.iter().map(move |c| format!("{name}{c}")))
                .collect();
            for name in &names {
                for case in [Case::Pascal, Case::Snake] {
                    if let Some(converted) = convert_plain(name, case) {
                        assert_eq!(converted, heck(name, case), "{name} in {case:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(
            checked > 3000,
            "the shortcut was taken only {checked} times"
        );
    }

    #[test]
    fn unicode_letters_and_digits_that_are_not_ascii_give_no_identifier() {
        for name in ["x²", "½", "١Foo", "café", "Straße"] {
            assert_eq!(sanitize(name, Case::Pascal), None, "{name}");
            assert_eq!(sanitize(name, Case::Snake), None, "{name}");
        }
    }

    #[test]
    fn every_accepted_name_is_a_valid_identifier_for_proc_macro2() {
        for name in [
            "a", "Type", "self", "crate", "3ds", "x_y", "FOO_BAR", "a-b c",
        ] {
            for case in [Case::Pascal, Case::Snake] {
                if let Some(ident) = sanitize(name, case) {
                    // Panics on anything that is not an identifier.
                    let _ = match ident.strip_prefix("r#") {
                        Some(raw) => {
                            proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site())
                        }
                        None => proc_macro2::Ident::new(&ident, proc_macro2::Span::call_site()),
                    };
                }
            }
        }
    }

    #[test]
    fn leading_digits_and_empty_names_are_handled() {
        assert_eq!(sanitize("3ds", Case::Snake).unwrap(), "_3ds");
        assert_eq!(sanitize("--", Case::Snake), None);
    }
}
