//! `$ref` cycles: a schema that contains itself would be infinitely sized.

use super::Validator;
use crate::model::{AdditionalProperties, Schema};
use crate::pointer::Pointer;
use std::collections::{BTreeMap, BTreeSet};

impl<'a> Validator<'a> {
    /// Schemas that contain themselves through `$ref`s would be infinitely sized.
    pub(super) fn ref_cycles(&mut self) {
        let schemas = &self.spec.components.schemas;
        let edges: BTreeMap<&str, BTreeSet<&str>> = schemas
            .iter()
            .map(|(name, schema)| {
                let mut out = BTreeSet::new();
                collect_refs(schema, schemas, &mut out);
                (name.as_str(), out)
            })
            .collect();
        let on_a_cycle = on_a_cycle(&edges);
        let mut reported: BTreeSet<&str> = BTreeSet::new();
        for start in edges.keys().filter(|name| on_a_cycle.contains(*name)) {
            if let Some(cycle) = find_cycle(start, &edges) {
                if cycle.iter().any(|n| reported.contains(n)) {
                    continue;
                }
                reported.extend(cycle.iter().copied());
                let at = Pointer::root()
                    .join("components")
                    .join("schemas")
                    .join(start);
                self.report(
                    at,
                    format!(
                        "`$ref` cycle {}: recursive schemas are not supported",
                        cycle.join(" → ")
                    ),
                );
            }
        }
    }
}

fn collect_refs<'s>(
    schema: &'s Schema,
    all: &'s indexmap::IndexMap<String, Schema>,
    out: &mut BTreeSet<&'s str>,
) {
    if let Some(name) = schema.ref_name()
        && let Some((name, _)) = all.get_key_value(name)
    {
        out.insert(name.as_str());
    }
    for child in schema.properties.values() {
        collect_refs(child, all, out);
    }
    if let Some(items) = &schema.items {
        collect_refs(items, all, out);
    }
    if let Some(AdditionalProperties::Schema(values)) = &schema.additional_properties {
        collect_refs(values, all, out);
    }
    for child in schema.one_of.iter().chain(&schema.all_of).flatten() {
        collect_refs(child, all, out);
    }
}

/// The schemas that reach themselves through references: members of a strongly
/// connected component of two or more, or with a reference to themselves (Tarjan's
/// algorithm, linear). Only these need `find_cycle`, whose search from every
/// schema would be quadratic on a spec with thousands of intents.
fn on_a_cycle<'s>(edges: &BTreeMap<&'s str, BTreeSet<&'s str>>) -> BTreeSet<&'s str> {
    #[derive(Default)]
    struct Tarjan<'s> {
        index: BTreeMap<&'s str, usize>,
        low: BTreeMap<&'s str, usize>,
        stack: Vec<&'s str>,
        on_stack: BTreeSet<&'s str>,
        cyclic: BTreeSet<&'s str>,
    }
    impl<'s> Tarjan<'s> {
        fn visit(&mut self, node: &'s str, edges: &BTreeMap<&'s str, BTreeSet<&'s str>>) {
            let index = self.index.len();
            self.index.insert(node, index);
            self.low.insert(node, index);
            self.stack.push(node);
            self.on_stack.insert(node);
            for &next in edges.get(node).into_iter().flatten() {
                if !self.index.contains_key(next) {
                    self.visit(next, edges);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node, low);
                } else if self.on_stack.contains(next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == index {
                let at = self
                    .stack
                    .iter()
                    .rposition(|&n| n == node)
                    .expect("a node is on the stack until its component is popped");
                let component = self.stack.split_off(at);
                for member in &component {
                    self.on_stack.remove(member);
                }
                let self_loop = edges.get(node).is_some_and(|next| next.contains(node));
                if component.len() > 1 || self_loop {
                    self.cyclic.extend(component);
                }
            }
        }
    }
    let mut tarjan = Tarjan::default();
    for &node in edges.keys() {
        if !tarjan.index.contains_key(node) {
            tarjan.visit(node, edges);
        }
    }
    tarjan.cyclic
}

/// A path of references from `start` back to itself, if there is one.
fn find_cycle<'s>(
    start: &'s str,
    edges: &BTreeMap<&'s str, BTreeSet<&'s str>>,
) -> Option<Vec<&'s str>> {
    fn walk<'s>(
        node: &'s str,
        start: &'s str,
        edges: &BTreeMap<&'s str, BTreeSet<&'s str>>,
        trail: &mut Vec<&'s str>,
        seen: &mut BTreeSet<&'s str>,
    ) -> bool {
        for &next in edges.get(node).into_iter().flatten() {
            if next == start {
                trail.push(next);
                return true;
            }
            if seen.insert(next) {
                trail.push(next);
                if walk(next, start, edges, trail, seen) {
                    return true;
                }
                trail.pop();
            }
        }
        false
    }
    let mut trail = vec![start];
    walk(start, start, edges, &mut trail, &mut BTreeSet::new()).then_some(trail)
}
