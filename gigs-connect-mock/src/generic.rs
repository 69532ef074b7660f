//! What the mock does for operations the spec declares beyond its stateful three:
//! their query and header parameters are checked the way Gigs checks them (unknown,
//! missing, repeated, wrong type, out of range, outside an enum), and the answer is
//! the documented success status with an example built from the response's shape,
//! or no content. So a downstream test of a new endpoint works before anyone
//! writes mock behaviour for it.

use crate::answer::Answer;
use crate::check::Refusal;
use crate::example::example;
use crate::shape::{Location, Operation, Parameter, Shape, Tables, Value};
use hyper::HeaderMap;
use percent_encoding::percent_decode_str;
use serde_json::Value as Json;

/// The success answer of an operation without mock behaviour.
pub(crate) fn example_answer(tables: &Tables, operation: &Operation) -> Answer {
    Answer {
        status: operation.status,
        body: operation
            .response
            .as_ref()
            .map_or(Json::Null, |model| example(tables, model)),
    }
}

/// The decoded name and value pairs of a query string, in order.
pub(crate) fn query_pairs(query: Option<&str>) -> Result<Vec<(String, String)>, Refusal> {
    let mut given: Vec<(String, String)> = Vec::new();
    for pair in query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        given.push((decode(name)?, decode(value)?));
    }
    Ok(given)
}

/// Checks the decoded query pairs and the header parameters of a request to
/// `operation`.
pub(crate) fn check_parameters(
    tables: &Tables,
    operation: &Operation,
    given: &[(String, String)],
    headers: &HeaderMap,
) -> Result<(), Refusal> {
    for (name, _) in given {
        let declared = operation
            .parameters
            .iter()
            .any(|p| p.location == Location::Query && p.wire == *name);
        if !declared {
            return Err(refusal(
                "parameterUnknown",
                format!("`{name}` is not a known query parameter."),
            ));
        }
    }
    for parameter in &operation.parameters {
        let values: Vec<&str> = match parameter.location {
            Location::Query => given
                .iter()
                .filter(|(name, _)| *name == parameter.wire)
                .map(|(_, value)| value.as_str())
                .collect(),
            Location::Header => headers
                .get_all(parameter.wire.as_str())
                .iter()
                .map(|v| v.to_str().unwrap_or("\u{fffd}"))
                .collect(),
        };
        check_parameter(tables, parameter, &values)?;
    }
    Ok(())
}

fn check_parameter(tables: &Tables, parameter: &Parameter, values: &[&str]) -> Result<(), Refusal> {
    let name = &parameter.wire;
    let item = match (&parameter.value, values) {
        (_, []) if parameter.required => {
            return Err(refusal(
                "parameterMissing",
                format!("`{name}` is required."),
            ));
        }
        (Value::Array(item), _) => &**item,
        (_, [_, _, ..]) => {
            return Err(refusal(
                "parameterInvalid",
                format!("`{name}` is given more than once."),
            ));
        }
        (value, _) => value,
    };
    for value in values {
        check_value(tables, parameter, item, value)?;
    }
    Ok(())
}

fn check_value(
    tables: &Tables,
    parameter: &Parameter,
    expected: &Value,
    value: &str,
) -> Result<(), Refusal> {
    let name = &parameter.wire;
    let invalid = |why: String| Err(refusal("parameterInvalid", format!("`{name}` {why}.")));
    match expected {
        Value::Integer => {
            let Ok(number) = value.parse::<i64>() else {
                // Schema-valid, but past what any client (an `i64`) can send.
                if is_integer_text(value) {
                    return Err(refusal(
                        "parameterOutOfRange",
                        format!(
                            "`{name}` is out of range: it must be between {} and {}, not {value}.",
                            parameter.minimum.unwrap_or(i64::MIN),
                            parameter.maximum.unwrap_or(i64::MAX)
                        ),
                    ));
                }
                return invalid(format!("must be an integer, not `{value}`"));
            };
            if parameter.minimum.is_some_and(|min| number < min)
                || parameter.maximum.is_some_and(|max| number > max)
            {
                let bound = |b: Option<i64>| b.map_or("…".to_owned(), |b| b.to_string());
                return invalid(format!(
                    "must be between {} and {}, not {number}",
                    bound(parameter.minimum),
                    bound(parameter.maximum)
                ));
            }
            Ok(())
        }
        Value::Bool if value != "true" && value != "false" => {
            invalid(format!("must be `true` or `false`, not `{value}`"))
        }
        Value::Named(model) => match tables.model(model) {
            Some(Shape::StringEnum(values)) if !values.iter().any(|v| v == value) => {
                invalid(format!(
                    "must be one of {}, not `{value}`",
                    values
                        .iter()
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// `-?[0-9]+`: an integer of any size.
fn is_integer_text(value: &str) -> bool {
    let digits = value.strip_prefix('-').unwrap_or(value);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Percent-decodes a query name or value (`+` is a space, as in a form).
fn decode(raw: &str) -> Result<String, Refusal> {
    percent_decode_str(&raw.replace('+', " "))
        .decode_utf8()
        .map(|text| text.into_owned())
        .map_err(|_| {
            refusal(
                "parameterInvalid",
                "The query string is not valid UTF-8 once decoded.".to_owned(),
            )
        })
}

fn refusal(code: &'static str, message: String) -> Refusal {
    Refusal { code, message }
}
