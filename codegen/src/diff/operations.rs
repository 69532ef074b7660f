//! Changes to operations: `Client` methods, their arguments, the setters on their
//! `Call`, what they return and the request they send.

use super::types::docs;
use super::{Change, ChangeKind, pair_up};
use crate::ir::Param;
use crate::surface::Method;

pub(super) fn diff_methods(old: &[Method], new: &[Method], out: &mut Vec<Change>) {
    for pair in pair_up(old, new, |m| m.name.clone()) {
        match pair {
            (None, Some(added)) => out.push(Change::new(item(added), ChangeKind::OperationAdded)),
            (Some(removed), None) => {
                out.push(Change::new(item(removed), ChangeKind::OperationRemoved))
            }
            (Some(before), Some(after)) => diff_method(before, after, out),
            (None, None) => {}
        }
    }
}

fn item(method: &Method) -> String {
    format!("Client::{}", method.name)
}

fn diff_method(before: &Method, after: &Method, out: &mut Vec<Change>) {
    let name = item(after);
    let mut push = |kind| out.push(Change::new(&name, kind));
    // Routes compare with path arguments by position: a renamed placeholder sends
    // the same URL.
    if before.route != after.route {
        push(ChangeKind::RouteChanged {
            from: before.route.clone(),
            to: after.route.clone(),
        });
    }
    if before.success_status != after.success_status {
        push(ChangeKind::SuccessStatusChanged {
            from: before.success_status,
            to: after.success_status,
        });
    }
    if before.returns != after.returns {
        push(ChangeKind::ResponseChanged {
            from: before.returns.clone(),
            to: after.returns.clone(),
        });
    }
    match (before.paginated, after.paginated) {
        (false, true) => push(ChangeKind::PagerAdded),
        (true, false) => push(ChangeKind::PagerRemoved),
        _ => {}
    }
    if before.set_once != after.set_once {
        push(ChangeKind::SetOnceChanged {
            from: before.set_once.clone(),
            to: after.set_once.clone(),
        });
    }
    if before.deprecated != after.deprecated {
        push(ChangeKind::OperationDeprecated {
            deprecated: after.deprecated,
        });
    }
    diff_path_arguments(&name, before, after, out);
    diff_body(&name, before, after, out);
    if before.borrows != after.borrows {
        out.push(Change::new(
            format!("operations::{}", after.request_type),
            ChangeKind::RequestLifetimeChanged {
                borrows: after.borrows,
            },
        ));
    }
    diff_params(&name, &before.params, &after.params, out);
    docs(&name, &before.doc, &after.doc, out);
}

fn diff_path_arguments(name: &str, before: &Method, after: &Method, out: &mut Vec<Change>) {
    let (b_args, a_args) = (&before.path_arguments, &after.path_arguments);
    if b_args.len() != a_args.len() {
        out.push(Change::new(
            name,
            ChangeKind::PathArgumentsChanged {
                from: b_args.len(),
                to: a_args.len(),
            },
        ));
        return;
    }
    for (b, a) in b_args.iter().zip(a_args) {
        let argument = format!("{name}({})", a.name);
        if b.name != a.name || b.wire != a.wire {
            out.push(Change::new(
                &argument,
                ChangeKind::PathArgumentRenamed {
                    from: b.name.clone(),
                },
            ));
        }
        docs(&argument, &b.doc, &a.doc, out);
    }
}

fn diff_body(name: &str, before: &Method, after: &Method, out: &mut Vec<Change>) {
    let mut push = |kind| out.push(Change::new(name, kind));
    match (&before.body, &after.body) {
        (None, Some((_, required))) => push(ChangeKind::BodyAdded {
            required: *required,
        }),
        (Some(_), None) => push(ChangeKind::BodyRemoved),
        (Some((b_type, b_required)), Some((a_type, a_required))) => {
            if b_type != a_type {
                push(ChangeKind::BodyTypeChanged {
                    from: b_type.clone(),
                    to: a_type.clone(),
                });
            }
            if b_required != a_required {
                push(ChangeKind::BodyRequirementChanged {
                    required: *a_required,
                });
            }
        }
        (None, None) => {}
    }
}

/// Parameters paired by Rust name (the argument or setter a user calls): a wire
/// name respelled under the same Rust name is one change, never a parameter removed
/// and added.
fn diff_params(name: &str, before: &[Param], after: &[Param], out: &mut Vec<Change>) {
    for pair in pair_up(before, after, |p| p.name.clone()) {
        match pair {
            (None, Some(added)) => out.push(Change::new(
                format!("{name}(…).{}", added.name),
                ChangeKind::ParamAdded {
                    required: added.required,
                },
            )),
            (Some(removed), None) => out.push(Change::new(
                format!("{name}(…).{}", removed.name),
                ChangeKind::ParamRemoved,
            )),
            (Some(b), Some(a)) => diff_param(name, b, a, out),
            (None, None) => {}
        }
    }
}

fn diff_param(name: &str, b: &Param, a: &Param, out: &mut Vec<Change>) {
    let param = format!("{name}(…).{}", a.name);
    let mut push = |kind| out.push(Change::new(&param, kind));
    if b.wire != a.wire {
        push(ChangeKind::WireNameChanged {
            from: b.wire.clone(),
            to: a.wire.clone(),
        });
    }
    if b.ty != a.ty {
        push(ChangeKind::ParamTypeChanged {
            from: b.ty.clone(),
            to: a.ty.clone(),
        });
    }
    if b.required != a.required {
        push(ChangeKind::ParamRequirementChanged {
            required: a.required,
        });
    }
    if b.location != a.location {
        push(ChangeKind::ParamLocationChanged);
    }
    if (b.minimum, b.maximum) != (a.minimum, a.maximum) {
        push(ChangeKind::ParamBoundsChanged);
    }
    docs(&param, &b.doc, &a.doc, out);
}
