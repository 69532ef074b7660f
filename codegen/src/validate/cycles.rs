//! `$ref` cycles: a schema that contains itself would be infinitely sized.
//!
//! Every walk here is iterative (explicit stacks and queues): a spec may chain
//! more schemas than the stack has frames, and must get an error, not an abort.

use super::Validator;
use crate::model::{AdditionalProperties, Schema};
use crate::pointer::Pointer;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};

/// A cycle longer than this is shown by its first names and its length.
const CYCLE_NAMES_SHOWN: usize = 8;

impl<'a> Validator<'a> {
    /// Schemas that contain themselves through `$ref`s would be infinitely sized.
    ///
    /// Schemas are numbered by their place in the spec, so the graph is vectors of
    /// indices: on a spec of 100,000 schemas, maps keyed by name were most of the cost.
    pub(super) fn ref_cycles(&mut self) {
        let schemas = &self.spec.components.schemas;
        let names: Vec<&str> = schemas.keys().map(String::as_str).collect();
        let edges: Vec<Vec<usize>> = schemas
            .values()
            .map(|schema| {
                let mut out = refs(schema, schemas);
                // Followed in name order, so the cycle reported does not depend
                // on the order of the spec's keys.
                out.sort_unstable_by_key(|&i| names[i]);
                out.dedup();
                out
            })
            .collect();
        let on_a_cycle = on_a_cycle(&edges);
        let mut starts: Vec<usize> = (0..names.len()).filter(|&i| on_a_cycle[i]).collect();
        starts.sort_unstable_by_key(|&i| names[i]);
        let mut reported = vec![false; names.len()];
        for start in starts {
            // A schema already named in a reported cycle would only repeat it.
            if reported[start] {
                continue;
            }
            if let Some(cycle) = find_cycle(start, &edges) {
                if cycle.iter().any(|&n| reported[n]) {
                    continue;
                }
                for &member in &cycle {
                    reported[member] = true;
                }
                let at = Pointer::root()
                    .join("components")
                    .join("schemas")
                    .join(names[start]);
                let cycle: Vec<&str> = cycle.iter().map(|&i| names[i]).collect();
                self.report(
                    at,
                    format!(
                        "`$ref` cycle {}: recursive schemas are not supported",
                        show_cycle(&cycle)
                    ),
                );
            }
        }
    }
}

/// The indices of the component schemas `schema` refers to, at any depth of its
/// own nesting.
fn refs(schema: &Schema, all: &indexmap::IndexMap<String, Schema>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut nested = vec![schema];
    while let Some(schema) = nested.pop() {
        if let Some(index) = schema.ref_name().and_then(|name| all.get_index_of(name)) {
            out.push(index);
        }
        nested.extend(schema.properties.values());
        nested.extend(schema.items.as_deref());
        if let Some(AdditionalProperties::Schema(values)) = &schema.additional_properties {
            nested.push(values);
        }
        nested.extend(schema.one_of.iter().chain(&schema.all_of).flatten());
    }
    out
}

/// `A → B → A`, or for a long cycle its first names, its last and its length.
fn show_cycle(cycle: &[&str]) -> String {
    // The trail ends where it starts: `cycle.len() - 1` schemas.
    let schemas = cycle.len() - 1;
    if schemas <= CYCLE_NAMES_SHOWN {
        return cycle.join(" → ");
    }
    format!(
        "{} → … → {} → {} ({schemas} schemas)",
        cycle[..CYCLE_NAMES_SHOWN / 2].join(" → "),
        cycle[schemas - 1],
        cycle[schemas],
    )
}

/// Which schemas reach themselves through references: members of a strongly
/// connected component of two or more, or with a reference to themselves (Tarjan's
/// algorithm, linear, with its depth-first search on an explicit stack). Only these
/// need `find_cycle`, whose search from every schema would be quadratic on a spec
/// with thousands of intents.
fn on_a_cycle(edges: &[Vec<usize>]) -> Vec<bool> {
    const UNVISITED: usize = usize::MAX;
    let mut index = vec![UNVISITED; edges.len()];
    let mut low = vec![0; edges.len()];
    let mut on_stack = vec![false; edges.len()];
    let mut stack: Vec<usize> = Vec::new();
    let mut cyclic = vec![false; edges.len()];
    let mut visited = 0;
    for root in 0..edges.len() {
        if index[root] != UNVISITED {
            continue;
        }
        // Each frame is a node being visited and how many of its edges it followed.
        let mut frames = vec![(root, 0)];
        (index[root], low[root], on_stack[root]) = (visited, visited, true);
        visited += 1;
        stack.push(root);
        while let Some(&mut (node, ref mut followed)) = frames.last_mut() {
            if let Some(&next) = edges[node].get(*followed) {
                *followed += 1;
                if index[next] == UNVISITED {
                    (index[next], low[next], on_stack[next]) = (visited, visited, true);
                    visited += 1;
                    stack.push(next);
                    frames.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            // Every edge of `node` followed: close it, as the recursive form returns.
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                let at = stack
                    .iter()
                    .rposition(|&n| n == node)
                    .expect("a node is on the stack until its component is popped");
                let component = stack.split_off(at);
                let self_loop = edges[node].contains(&node);
                for &member in &component {
                    on_stack[member] = false;
                    cyclic[member] = component.len() > 1 || self_loop;
                }
            }
        }
    }
    cyclic
}

/// The shortest path of references from `start` back to itself, if there is one
/// (breadth-first, so iterative and deterministic in the edges' order).
fn find_cycle(start: usize, edges: &[Vec<usize>]) -> Option<Vec<usize>> {
    let mut came_from: HashMap<usize, usize> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for &next in &edges[node] {
            if next == start {
                // Back from `node` to `start` (which has no entry), then around.
                let mut trail = vec![node];
                while let Some(&before) = trail.last().and_then(|n| came_from.get(n)) {
                    trail.push(before);
                }
                trail.reverse();
                trail.push(start);
                return Some(trail);
            }
            if let Entry::Vacant(entry) = came_from.entry(next) {
                entry.insert(node);
                queue.push_back(next);
            }
        }
    }
    None
}
