//! Changes to operations: `Client` methods, their arguments, the setters on their
//! `Call`, and what they return.

use super::{Change, ChangeKind, pair_up};
use crate::ir::{Api, Operation, Response};

pub(super) fn diff_operations(old: &Api, new: &Api, out: &mut Vec<Change>) {
    for pair in pair_up(&old.operations, &new.operations, |o| o.method_name.clone()) {
        match pair {
            (None, Some(added)) => out.push(Change::new(item(added), ChangeKind::OperationAdded)),
            (Some(removed), None) => {
                out.push(Change::new(item(removed), ChangeKind::OperationRemoved))
            }
            (Some(before), Some(after)) => diff_operation(before, after, out),
            (None, None) => {}
        }
    }
}

fn item(op: &Operation) -> String {
    format!("Client::{}", op.method_name)
}

fn route(op: &Operation) -> String {
    format!("{} {}", op.http_method, op.path_template)
}

fn response(op: &Operation) -> String {
    match &op.response {
        Response::Json(name) => name.clone(),
        Response::NoContent => "()".to_owned(),
    }
}

fn diff_operation(before: &Operation, after: &Operation, out: &mut Vec<Change>) {
    let name = item(after);
    let mut push = |item: &str, kind| out.push(Change::new(item, kind));
    if route(before) != route(after) {
        push(
            &name,
            ChangeKind::RouteChanged {
                from: route(before),
                to: route(after),
            },
        );
    }
    if before.success_status != after.success_status {
        push(
            &name,
            ChangeKind::SuccessStatusChanged {
                from: before.success_status,
                to: after.success_status,
            },
        );
    }
    if before.response != after.response {
        push(
            &name,
            ChangeKind::ResponseChanged {
                from: response(before),
                to: response(after),
            },
        );
    }
    match (&before.pager, &after.pager) {
        (None, Some(_)) => push(&name, ChangeKind::PagerAdded),
        (Some(_), None) => push(&name, ChangeKind::PagerRemoved),
        _ => {}
    }
    if before.path_args.len() != after.path_args.len() {
        push(
            &name,
            ChangeKind::PathArgumentsChanged {
                from: before.path_args.len(),
                to: after.path_args.len(),
            },
        );
    } else {
        for (b, a) in before.path_args.iter().zip(&after.path_args) {
            let argument = format!("{name}({})", a.name);
            if b.name != a.name || b.wire != a.wire {
                push(
                    &argument,
                    ChangeKind::PathArgumentRenamed {
                        from: b.name.clone(),
                    },
                );
            }
            if b.doc != a.doc {
                push(&argument, ChangeKind::DocsChanged);
            }
        }
    }
    match (&before.body, &after.body) {
        (None, Some(body)) => push(
            &name,
            ChangeKind::BodyAdded {
                required: body.required,
            },
        ),
        (Some(_), None) => push(&name, ChangeKind::BodyRemoved),
        (Some(b), Some(a)) => {
            if b.type_name != a.type_name {
                push(
                    &name,
                    ChangeKind::BodyTypeChanged {
                        from: b.type_name.clone(),
                        to: a.type_name.clone(),
                    },
                );
            }
            if b.required != a.required {
                push(
                    &name,
                    ChangeKind::BodyRequirementChanged {
                        required: a.required,
                    },
                );
            }
        }
        (None, None) => {}
    }
    if before.borrows() != after.borrows() {
        push(
            &format!("operations::{}", after.type_name),
            ChangeKind::RequestLifetimeChanged {
                borrows: after.borrows(),
            },
        );
    }
    for pair in pair_up(&before.params, &after.params, |p| p.wire.clone()) {
        match pair {
            (None, Some(added)) => push(
                &format!("{name}(…).{}", added.name),
                ChangeKind::ParamAdded {
                    required: added.required,
                },
            ),
            (Some(removed), None) => push(
                &format!("{name}(…).{}", removed.name),
                ChangeKind::ParamRemoved,
            ),
            (Some(b), Some(a)) => {
                let param = format!("{name}(…).{}", a.name);
                if b.name != a.name {
                    // The setter or argument a user calls has another name.
                    push(&format!("{name}(…).{}", b.name), ChangeKind::ParamRemoved);
                    push(
                        &param,
                        ChangeKind::ParamAdded {
                            required: a.required,
                        },
                    );
                    continue;
                }
                if b.ty != a.ty {
                    push(
                        &param,
                        ChangeKind::ParamTypeChanged {
                            from: b.ty.clone(),
                            to: a.ty.clone(),
                        },
                    );
                }
                if b.required != a.required {
                    push(
                        &param,
                        ChangeKind::ParamRequirementChanged {
                            required: a.required,
                        },
                    );
                }
                if b.location != a.location {
                    push(&param, ChangeKind::ParamLocationChanged);
                }
                if (b.minimum, b.maximum) != (a.minimum, a.maximum) {
                    push(&param, ChangeKind::ParamBoundsChanged);
                }
                if b.doc != a.doc {
                    push(&param, ChangeKind::DocsChanged);
                }
            }
            (None, None) => {}
        }
    }
    if before.doc != after.doc {
        push(&name, ChangeKind::DocsChanged);
    }
}
