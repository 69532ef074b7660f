//! Which operations touch the resource the store holds, read from the tables
//! alone: the mock holds Connect Sessions, so every operation the spec declares
//! over the path of one session, or over the collection it lives in, gets state
//! by the Gigs conventions, whatever its operationId. The rules:
//!
//! - the *item path* is the path the store's retrieve answers on
//!   (`/projects/{project}/connectSessions/{connectSessionId}`), its last
//!   parameter the item's id, and the *held model* what that retrieve answers;
//! - an operation on the item path without its last segment that codegen marks
//!   as a list of the held model (`list_of`: the IR decides it once, as it
//!   generates a pager for it) is a list;
//! - a `DELETE` on the item path removes the item;
//! - any other operation on the item path or below it (`…/{id}/expire`) needs the
//!   item to exist, and answers it when its success is the held model.
//!
//! Everything else keeps the generic behaviour (parameters checked, an example).

use crate::shape::{Operation, Tables};

/// The operation whose answers the store keeps: its path and model define the
/// resource every other rule is matched against.
pub(crate) const STORE_RETRIEVE: &str = "retrieveConnectSession";

/// The resource the store holds, as the spec declares it.
pub(crate) struct Held<'t> {
    /// `/projects/{project}/connectSessions/{connectSessionId}`.
    pub(crate) item_path: &'t str,
    /// The item path's last parameter, `connectSessionId`.
    pub(crate) id_param: &'t str,
    /// The model an item is, `ConnectSession`.
    pub(crate) model: &'t str,
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
pub(crate) fn held(tables: &Tables) -> Option<Held<'_>> {
    let retrieve = tables.operation(STORE_RETRIEVE)?;
    let id_param = retrieve
        .path
        .rsplit('/')
        .next()?
        .strip_prefix('{')?
        .strip_suffix('}')?;
    Some(Held {
        item_path: &retrieve.path,
        id_param,
        model: retrieve.response.as_deref()?,
    })
}

/// The role `operation` plays on the held resource, if any.
pub(crate) fn role(tables: &Tables, operation: &Operation) -> Option<Role> {
    let held = held(tables)?;
    let collection = held.item_path.rsplit_once('/')?.0;
    if operation.path == collection {
        let is_list = operation.list_of.as_deref() == Some(held.model);
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
        answers_item: operation.response.as_deref() == Some(held.model),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_held_resource_is_read_from_the_store_retrieve() {
        let held =
            held(Tables::connect_sessions()).expect("the spec declares the store's retrieve");
        assert_eq!(
            held.item_path,
            "/projects/{project}/connectSessions/{connectSessionId}"
        );
        assert_eq!(held.id_param, "connectSessionId");
        assert_eq!(held.model, "ConnectSession");
    }

    #[test]
    fn roles_follow_the_paths_and_shapes() {
        // The wider-api fixture's tests check the same over its wider spec.
        let tables = Tables::connect_sessions();
        for operation in tables.operations() {
            let role = role(tables, operation);
            match (
                operation.method.as_str(),
                operation.path.matches('/').count(),
            ) {
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
