//! Which variables are in scope, with what type, declared where.

use super::types::Ty;
use crate::Span;

/// A variable in scope.
#[derive(Debug, Clone, Copy)]
pub(super) struct Var<'a> {
    pub(super) name: &'a str,
    pub(super) ty: Ty,
    /// Where it was declared.
    pub(super) span: Span,
}

/// The variables of one query scope (the clauses between two projections)
/// or of one expression scope (a comprehension's variable).
#[derive(Debug, Default)]
pub(super) struct Frame<'a> {
    pub(super) vars: Vec<Var<'a>>,
    /// Lookups continue in the enclosing frame: true for comprehensions,
    /// `FOREACH` and subquery expressions, false for a `CALL` subquery
    /// that imports only what it names.
    pub(super) transparent: bool,
    /// Columns of unknown names may be in scope (after `YIELD *` of a
    /// procedure or command): undefined names are not reported.
    pub(super) open: bool,
}

/// The stack of frames, innermost last.
#[derive(Debug, Default)]
pub(super) struct Scopes<'a> {
    frames: Vec<Frame<'a>>,
}

impl<'a> Scopes<'a> {
    /// Enters a frame.
    pub(super) fn push(&mut self, frame: Frame<'a>) {
        self.frames.push(frame);
    }

    /// Leaves the innermost frame, returning it.
    pub(super) fn pop(&mut self) -> Frame<'a> {
        self.frames.pop().unwrap_or_default()
    }

    /// The innermost frame.
    pub(super) fn top(&mut self) -> &mut Frame<'a> {
        if self.frames.is_empty() {
            self.frames.push(Frame::default());
        }
        let last = self.frames.len() - 1;
        &mut self.frames[last]
    }

    /// The visible variable called `name`, innermost first.
    pub(super) fn lookup(&self, name: &str) -> Option<Var<'a>> {
        for frame in self.frames.iter().rev() {
            if let Some(var) = frame.vars.iter().rev().find(|v| v.name == name) {
                return Some(*var);
            }
            if !frame.transparent {
                break;
            }
        }
        None
    }

    /// The variable called `name` in the innermost frame only.
    pub(super) fn local(&self, name: &str) -> Option<Var<'a>> {
        self.frames
            .last()
            .and_then(|frame| frame.vars.iter().rev().find(|v| v.name == name))
            .copied()
    }

    /// True when unknown columns may be in scope, so an unknown name is
    /// not an error.
    pub(super) fn is_open(&self) -> bool {
        for frame in self.frames.iter().rev() {
            if frame.open {
                return true;
            }
            if !frame.transparent {
                break;
            }
        }
        false
    }

    /// Every variable visible from the innermost frame (outer frames
    /// first, so later entries shadow earlier ones).
    pub(super) fn visible(&self) -> Vec<Var<'a>> {
        let start = self
            .frames
            .iter()
            .rposition(|frame| !frame.transparent)
            .unwrap_or(0);
        let mut vars: Vec<Var<'a>> = Vec::new();
        for frame in &self.frames[start..] {
            for var in &frame.vars {
                vars.retain(|v| v.name != var.name);
                vars.push(*var);
            }
        }
        vars
    }

    /// Adds `var` to the innermost frame, replacing one of the same name.
    pub(super) fn declare(&mut self, var: Var<'a>) {
        let top = self.top();
        top.vars.retain(|v| v.name != var.name);
        top.vars.push(var);
    }

    /// Narrows the type of the variable `name` in the innermost frame that
    /// has it (a node pattern on a variable of unknown type).
    pub(super) fn refine(&mut self, name: &str, ty: Ty) {
        for frame in self.frames.iter_mut().rev() {
            if let Some(var) = frame.vars.iter_mut().find(|v| v.name == name) {
                if var.ty.is_any() {
                    var.ty = ty;
                }
                return;
            }
            if !frame.transparent {
                return;
            }
        }
    }
}
