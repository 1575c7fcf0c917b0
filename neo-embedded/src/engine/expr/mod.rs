//! Expressions: the planner compiles `neo-cypher`'s expression trees into
//! [`Expr`] (variables resolved to row slots, functions to built-ins), and
//! [`eval`] evaluates them over a row with Neo4j's semantics: three-valued
//! logic, null propagation, integer overflow errors, comparability across
//! types.

pub(crate) mod aggregate;
pub(crate) mod compare;
pub(crate) mod eval;
pub(crate) mod functions;
mod ops;
pub(crate) mod types;

use std::sync::Arc;

pub(crate) use eval::{eval, eval_predicate};
pub(crate) use functions::Function;
pub(crate) use types::CypherType;

use super::plan::Plan;
use super::value::Value;

/// A row slot.
pub(crate) type Slot = usize;

/// Arithmetic, comparison and logical operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BinOp {
    Or,
    Xor,
    And,
    Eq,
    Neq,
    Lt,
    Gt,
    Le,
    Ge,
    Regex,
    StartsWith,
    EndsWith,
    Contains,
    In,
    Concat,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
}

/// `all`, `any`, `none`, `single`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quantifier {
    All,
    Any,
    None,
    Single,
}

/// A compiled label (or relationship type) expression.
#[derive(Debug, Clone)]
pub(crate) enum LabelPredicate {
    Name(String),
    /// `%`: at least one label.
    Any,
    /// `$(expr)` / `$all(expr)`: every name; `$any(expr)`: one of them.
    Dynamic {
        expr: Box<Expr>,
        any: bool,
    },
    Not(Box<LabelPredicate>),
    And(Vec<LabelPredicate>),
    Or(Vec<LabelPredicate>),
}

/// What a subquery expression computes from the rows of its plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SubqueryMode {
    /// `EXISTS { }` and pattern predicates: any row.
    Exists,
    /// `COUNT { }`: the number of rows.
    Count,
    /// `COLLECT { }` and pattern comprehensions: the first column of every row.
    Collect,
}

/// An item of a map projection.
#[derive(Debug, Clone)]
pub(crate) enum MapItem {
    /// `.key`
    Property(String),
    /// `.*`
    All,
    /// `key: expr` (also `variable`).
    Entry(String, Expr),
}

/// A compiled expression.
#[derive(Debug, Clone)]
pub(crate) enum Expr {
    Const(Value),
    Param(String),
    Slot(Slot),
    List(Vec<Expr>),
    Map(Vec<(String, Expr)>),
    Property(Box<Expr>, String),
    Index(Box<Expr>, Box<Expr>),
    Slice(Box<Expr>, Option<Box<Expr>>, Option<Box<Expr>>),
    HasLabels(Box<Expr>, LabelPredicate),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    IsNull(Box<Expr>, bool),
    IsType(Box<Expr>, bool, CypherType),
    IsNormalized(Box<Expr>, bool, String),
    Call(Function, Vec<Expr>),
    Case {
        operand: Option<Box<Expr>>,
        whens: Vec<(Expr, Expr)>,
        otherwise: Option<Box<Expr>>,
    },
    /// `[x IN list WHERE p | e]`; `slot` holds `x`.
    ListComprehension {
        slot: Slot,
        list: Box<Expr>,
        filter: Option<Box<Expr>>,
        map: Option<Box<Expr>>,
    },
    Quantified {
        kind: Quantifier,
        slot: Slot,
        list: Box<Expr>,
        predicate: Box<Expr>,
    },
    Reduce {
        accumulator: Slot,
        init: Box<Expr>,
        slot: Slot,
        list: Box<Expr>,
        expr: Box<Expr>,
    },
    /// A subquery run with the current row as its argument.
    Subquery {
        mode: SubqueryMode,
        plan: Arc<Plan>,
        /// The slot the plan leaves its result column in (`Collect`).
        column: Option<Slot>,
    },
    MapProjection(Box<Expr>, Vec<MapItem>),
    /// A path from pattern slots.
    Path(Vec<PathPiece>),
    /// Evaluates `value` into `slot`, then `body`.
    Let(Slot, Box<Expr>, Box<Expr>),
}

/// A piece of a path built from pattern slots.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PathPiece {
    Node(Slot),
    Rel(Slot),
    /// A list of relationships walked from the current node.
    Rels(Slot),
}

impl Expr {
    pub(crate) fn boxed(self) -> Box<Expr> {
        Box::new(self)
    }
}
