//! Which operations touch the resource the store holds, read from their shapes
//! alone: the mock holds Connect Sessions, so every operation the spec declares
//! over the path of one session, or over the collection it lives in, gets state
//! by the Gigs conventions, whatever its operationId. The rules:
//!
//! - the *item path* is the path the store's retrieve answers on
//!   (`/projects/{project}/connectSessions/{connectSessionId}`), its last
//!   parameter the item's id, and the *held model* what that retrieve answers;
//! - a `GET` on the item path without its last segment that answers an object
//!   with `items` (an array of the held model) and `moreItemsAfter` is a list;
//! - a `DELETE` on the item path removes the item;
//! - any other operation on the item path or below it (`…/{id}/expire`) needs the
//!   item to exist, and answers it when its success is the held model.
//!
//! Everything else keeps the generic behaviour (parameters checked, an example).

use super::shape::{self, Operation, Shape, Value};
use crate::generated::shapes::OPERATIONS;

/// The operation whose answers the store keeps: its path and model define the
/// resource every other rule is matched against.
const STORE_RETRIEVE: &str = "retrieveConnectSession";

/// The resource the store holds, as the spec declares it.
pub(crate) struct Held {
    /// `/projects/{project}/connectSessions/{connectSessionId}`.
    pub(crate) item_path: &'static str,
    /// The item path's last parameter, `connectSessionId`.
    pub(crate) id_param: &'static str,
    /// The model an item is, `ConnectSession`.
    pub(crate) model: &'static str,
}

/// What an operation does to the held resource.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// A page of items, in the Gigs list shape.
    List,
    /// Removes the item.
    Delete,
    /// Acts on an existing item; `answers_item` when its success is the item.
    OnItem { answers_item: bool },
}

/// The held resource, read from the store's retrieve operation.
pub(crate) fn held() -> Option<Held> {
    let retrieve = OPERATIONS.iter().find(|o| o.id == STORE_RETRIEVE)?;
    let id_param = retrieve
        .path
        .rsplit('/')
        .next()?
        .strip_prefix('{')?
        .strip_suffix('}')?;
    Some(Held {
        item_path: retrieve.path,
        id_param,
        model: retrieve.response?,
    })
}

/// The role `operation` plays on the held resource, if any.
pub(crate) fn role(operation: &Operation) -> Option<Role> {
    let held = held()?;
    let collection = held.item_path.rsplit_once('/')?.0;
    if operation.path == collection {
        let is_list = operation.method == "GET"
            && operation
                .response
                .is_some_and(|m| is_list_of(m, held.model));
        return is_list.then_some(Role::List);
    }
    let below = operation
        .path
        .strip_prefix(held.item_path)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    if !below {
        return None;
    }
    if operation.method == "DELETE" && operation.path == held.item_path {
        return Some(Role::Delete);
    }
    Some(Role::OnItem {
        answers_item: operation.response == Some(held.model),
    })
}

/// Whether `model` is a page of `item` in the Gigs list shape.
fn is_list_of(model: &str, item: &str) -> bool {
    let Some(Shape::Object { properties, .. }) = shape::model(model) else {
        return false;
    };
    let items = properties.iter().any(|p| {
        p.wire == "items" && matches!(p.value, Value::Array(Value::Named(name)) if *name == item)
    });
    let cursor = properties.iter().any(|p| p.wire == "moreItemsAfter");
    items && cursor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_held_resource_is_read_from_the_store_retrieve() {
        let held = held().expect("the spec declares the store's retrieve");
        assert_eq!(
            held.item_path,
            "/projects/{project}/connectSessions/{connectSessionId}"
        );
        assert_eq!(held.id_param, "connectSessionId");
        assert_eq!(held.model, "ConnectSession");
    }

    #[test]
    fn roles_follow_the_paths_and_shapes() {
        // Both specs: the real one and the wider-api fixture's (compiled here too).
        for operation in OPERATIONS {
            let role = role(operation);
            match (operation.method, operation.path.matches('/').count()) {
                ("GET", 3) => assert_eq!(role, Some(Role::List), "{}", operation.id),
                ("POST", 3) => assert_eq!(role, None, "{}", operation.id),
                ("DELETE", 4) => assert_eq!(role, Some(Role::Delete), "{}", operation.id),
                _ => assert!(
                    matches!(role, Some(Role::OnItem { .. })),
                    "{}: {role:?}",
                    operation.id
                ),
            }
        }
    }
}
