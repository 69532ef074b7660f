//! A page of the held resource in the Gigs list shape: newest first, `limit`
//! items (default 10), `after`/`before` cursors that are item ids (one at a
//! time, as Gigs documents; an unknown id is refused), and filters:
//! every other query parameter named like a property of the item keeps the items
//! whose property equals one of its values, compared as JSON values.

use crate::answer::Answer;
use crate::example::example;
use crate::sessions::Sessions;
use crate::shape::{Operation, Shape, Tables, Value};
use serde_json::{Map, Value as Json, json};

/// Gigs' page size when `limit` is not given.
pub(crate) const DEFAULT_LIMIT: usize = 10;

/// Answers `operation` (a list of `model` items) from the store. `query` holds the
/// decoded pairs, already checked against the operation's parameters.
pub(crate) fn page(
    tables: &Tables,
    store: &Sessions,
    operation: &Operation,
    model: &str,
    query: &[(String, String)],
) -> Answer {
    let one = |name: &str| {
        query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let (after, before) = (one("after"), one("before"));
    if after.is_some() && before.is_some() {
        return refuse(
            "parameterConflict",
            "`after` and `before` cannot both be set.".to_owned(),
        );
    }
    let limit = one("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(DEFAULT_LIMIT);
    let filters = filters(tables, model, query);
    let items: Vec<&Map<String, Json>> = store
        .newest_first()
        .filter(|item| {
            // A property the item leaves out matches as `null` (indexing a `Map`
            // would panic on it).
            let value = |key: &str| item.get(key).cloned().unwrap_or(Json::Null);
            filters
                .iter()
                .all(|(key, wanted)| wanted.contains(&value(key)))
        })
        .collect();
    let (start, end) = match window(&items, after, before, limit) {
        Ok(window) => window,
        Err(answer) => return answer,
    };
    let page = &items[start..end];
    let id = |item: Option<&&Map<String, Json>>| {
        item.and_then(|item| item.get("id"))
            .cloned()
            .unwrap_or(Json::Null)
    };
    let more_after = match end < items.len() {
        true => id(page.last()),
        false => Json::Null,
    };
    let more_before = match start > 0 {
        true => id(page.first()),
        false => Json::Null,
    };
    let mut body = operation
        .response
        .as_ref()
        .map_or_else(|| json!({}), |model| example(tables, model));
    body["items"] = Json::Array(
        page.iter()
            .map(|item| Json::Object((*item).clone()))
            .collect(),
    );
    body["moreItemsAfter"] = more_after;
    if has_property(tables, operation, "moreItemsBefore") {
        body["moreItemsBefore"] = more_before;
    }
    Answer {
        status: operation.status,
        body,
    }
}

/// The page's range of `items` (newest first): after the `after` cursor, before
/// the `before` cursor, or from the start; `limit` items at most.
fn window(
    items: &[&Map<String, Json>],
    after: Option<&str>,
    before: Option<&str>,
    limit: usize,
) -> Result<(usize, usize), Answer> {
    let position = |cursor: &str| {
        items
            .iter()
            .position(|item| item.get("id") == Some(&json!(cursor)))
    };
    match (after, before) {
        (Some(cursor), _) => match position(cursor) {
            Some(at) => Ok((at + 1, (at + 1).saturating_add(limit).min(items.len()))),
            None => Err(unknown_cursor("after", cursor)),
        },
        (_, Some(cursor)) => match position(cursor) {
            Some(at) => Ok((at.saturating_sub(limit), at)),
            None => Err(unknown_cursor("before", cursor)),
        },
        (None, None) => Ok((0, limit.min(items.len()))),
    }
}

/// The filters of a query: each parameter named like a top-level property of the
/// item, with the values it accepts (a repeated parameter accepts any of them).
fn filters<'q>(
    tables: &Tables,
    model: &str,
    query: &'q [(String, String)],
) -> Vec<(&'q str, Vec<Json>)> {
    let Some(Shape::Object { properties, .. }) = tables.model(model) else {
        return Vec::new();
    };
    let mut filters: Vec<(&str, Vec<Json>)> = Vec::new();
    for (name, value) in query {
        if matches!(name.as_str(), "after" | "before" | "limit") {
            continue;
        }
        let Some(property) = properties.iter().find(|p| p.wire == *name) else {
            continue;
        };
        let value = as_json(&property.value, value);
        match filters.iter_mut().find(|(key, _)| key == name) {
            Some((_, values)) => values.push(value),
            None => filters.push((name, vec![value])),
        }
    }
    filters
}

/// A query value as the JSON value a property of type `value` would hold.
fn as_json(value: &Value, text: &str) -> Json {
    let parsed = match value {
        Value::Integer | Value::Number | Value::Bool => serde_json::from_str(text).ok(),
        _ => None,
    };
    parsed.unwrap_or_else(|| json!(text))
}

fn has_property(tables: &Tables, operation: &Operation, wire: &str) -> bool {
    let model = operation.response.as_ref().and_then(|m| tables.model(m));
    matches!(model, Some(Shape::Object { properties, .. }) if properties.iter().any(|p| p.wire == wire))
}

fn unknown_cursor(name: &str, cursor: &str) -> Answer {
    refuse(
        "cursorInvalid",
        format!("`{name}` is `{cursor}`, which is not the id of an item in this list."),
    )
}

fn refuse(code: &str, message: String) -> Answer {
    Answer::error(400, "invalid", code, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn filters_are_the_parameters_named_like_a_property_of_the_item() {
        let query = pairs(&[
            ("user", "usr_a"),
            ("limit", "3"),
            ("theme", "dark"),
            ("user", "usr_b"),
            ("after", "csn_1"),
        ]);
        let filters = filters(Tables::connect_sessions(), "ConnectSession", &query);
        assert_eq!(filters, [("user", vec![json!("usr_a"), json!("usr_b")])]);
    }

    #[test]
    fn a_filter_value_is_compared_as_the_property_type() {
        assert_eq!(as_json(&Value::Integer, "42"), json!(42));
        assert_eq!(as_json(&Value::Bool, "true"), json!(true));
        assert_eq!(as_json(&Value::String, "42"), json!("42"));
        assert_eq!(as_json(&Value::Integer, "x"), json!("x"));
    }
}
