//! Variables in scope and the slots they live in.

use crate::engine::expr::Slot;

/// What a variable holds, as far as the planner knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VarKind {
    Node,
    Rel,
    /// A list of relationships (variable-length or group variable).
    RelList,
    /// A list of nodes (group variable).
    NodeList,
    Path,
    /// A value of a type known from a literal (`Integer`, `List`, …).
    Literal(&'static str),
    Value,
}

/// A variable in scope.
#[derive(Debug, Clone)]
pub(crate) struct Var {
    pub(crate) name: String,
    pub(crate) slot: Slot,
    pub(crate) kind: VarKind,
}

/// The variables visible at a point of a query, in the order they came.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    vars: Vec<Var>,
}

impl Scope {
    pub(crate) fn get(&self, name: &str) -> Option<&Var> {
        self.vars.iter().rev().find(|v| v.name == name)
    }

    pub(crate) fn slot(&self, name: &str) -> Option<Slot> {
        self.get(name).map(|v| v.slot)
    }

    pub(crate) fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Adds (or rebinds) a variable.
    pub(crate) fn bind(&mut self, name: &str, slot: Slot, kind: VarKind) {
        self.vars.retain(|v| v.name != name);
        self.vars.push(Var {
            name: name.to_owned(),
            slot,
            kind,
        });
    }

    pub(crate) fn vars(&self) -> &[Var] {
        &self.vars
    }

    /// The user-visible variables (not the planner's hidden ones).
    pub(crate) fn visible(&self) -> impl Iterator<Item = &Var> {
        self.vars.iter().filter(|v| !v.name.starts_with(' '))
    }

    pub(crate) fn slots(&self) -> Vec<Slot> {
        self.vars.iter().map(|v| v.slot).collect()
    }
}
