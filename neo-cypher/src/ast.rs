//! The syntax tree: statements, clauses, patterns and expressions.
//!
//! The tree keeps what the analyses need and spans on everything they
//! report; it is not a lossless concrete syntax tree.

use crate::Span;

/// A name as written (backticks and escapes removed) and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// The name.
    pub name: String,
    /// Where the name (or `$param`) is in the query text.
    pub span: Span,
}

/// A whole statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    /// A query: clauses, possibly combined with `UNION`.
    Query(QueryBody),
    /// A schema or administration command.
    Command(Box<Command>),
}

/// Single queries combined with `UNION` / `UNION ALL`.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryBody {
    /// The parts, in order; at least one.
    pub parts: Vec<SingleQuery>,
    /// For each `UNION`, whether it is `UNION ALL`.
    pub union_all: Vec<bool>,
    /// The whole body.
    pub span: Span,
}

/// A sequence of clauses.
#[derive(Debug, Clone, PartialEq)]
pub struct SingleQuery {
    /// The clauses, in order; at least one.
    pub clauses: Vec<Clause>,
    /// The whole part.
    pub span: Span,
}

/// A clause of a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// What the clause is.
    pub kind: ClauseKind,
    /// The whole clause.
    pub span: Span,
}

/// The clauses.
#[derive(Debug, Clone, PartialEq)]
pub enum ClauseKind {
    /// `USE graph`.
    Use(Expr),
    /// `[OPTIONAL] MATCH patterns [WHERE …]`.
    Match {
        /// `OPTIONAL MATCH`.
        optional: bool,
        /// The patterns.
        patterns: Vec<PatternPart>,
        /// The `WHERE` predicate.
        predicate: Option<Expr>,
    },
    /// `UNWIND list AS x`.
    Unwind {
        /// The list.
        list: Expr,
        /// The bound variable.
        variable: Name,
    },
    /// `WITH …`.
    With(Projection),
    /// `RETURN …`.
    Return(Projection),
    /// `CREATE patterns`.
    Create(Vec<PatternPart>),
    /// `MERGE pattern [ON CREATE SET …] [ON MATCH SET …]`.
    Merge {
        /// The pattern.
        pattern: PatternPart,
        /// `ON CREATE` (true) / `ON MATCH` (false) actions.
        actions: Vec<(bool, Vec<SetItem>)>,
    },
    /// `SET items`.
    Set(Vec<SetItem>),
    /// `REMOVE items`.
    Remove(Vec<RemoveItem>),
    /// `[DETACH|NODETACH] DELETE exprs`.
    Delete {
        /// `DETACH DELETE`.
        detach: bool,
        /// What to delete.
        targets: Vec<Expr>,
    },
    /// `FOREACH (x IN list | clauses)`.
    Foreach {
        /// The loop variable.
        variable: Name,
        /// The list.
        list: Expr,
        /// The updating clauses.
        body: Vec<Clause>,
    },
    /// `[OPTIONAL] CALL [(scope)] { … } [IN TRANSACTIONS …]`.
    Subquery {
        /// `OPTIONAL CALL`.
        optional: bool,
        /// `CALL (a, b) { … }`: the imported variables (`None` without a scope
        /// clause, `Some(empty)` for `()`, star imports give `["*"]`).
        scope: Option<Vec<Name>>,
        /// The inner query.
        body: Box<QueryBody>,
        /// The `IN TRANSACTIONS` part.
        in_transactions: Option<InTransactions>,
    },
    /// `[OPTIONAL] CALL proc.name(args) [YIELD …]`.
    Procedure {
        /// `OPTIONAL CALL`.
        optional: bool,
        /// The dotted name.
        name: Name,
        /// The arguments; `None` when the parentheses are omitted.
        args: Option<Vec<Expr>>,
        /// The `YIELD` part.
        yields: Option<Yield>,
    },
    /// `LOAD CSV [WITH HEADERS] FROM url AS row [FIELDTERMINATOR sep]`.
    LoadCsv {
        /// `WITH HEADERS`.
        headers: bool,
        /// The URL.
        from: Expr,
        /// The row variable.
        variable: Name,
        /// The field terminator.
        terminator: Option<String>,
    },
    /// `FINISH`.
    Finish,
    /// `FILTER [WHERE] predicate`.
    Filter(Expr),
    /// `LET x = expr, …`.
    Let(Vec<(Name, Expr)>),
    /// Standalone `ORDER BY` / `SKIP` / `OFFSET` / `LIMIT`.
    Page(Projection),
    /// `SHOW …` (and `TERMINATE TRANSACTIONS …`).
    Show(Show),
}

/// `SHOW …` or `TERMINATE TRANSACTIONS …`.
#[derive(Debug, Clone, PartialEq)]
pub struct Show {
    /// The command words, upper-cased and space-separated, e.g.
    /// `SHOW INDEXES` or `TERMINATE TRANSACTIONS`.
    pub command: String,
    /// Expressions given to the command (transaction ids, a database name).
    pub args: Vec<Expr>,
    /// The `YIELD` part.
    pub yields: Option<Yield>,
    /// `WHERE` without `YIELD`.
    pub predicate: Option<Expr>,
}

/// `YIELD * | a [AS b], … [ORDER BY …] [SKIP …] [LIMIT …] [WHERE …]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Yield {
    /// `YIELD *`.
    pub star: bool,
    /// The yielded fields with their aliases.
    pub items: Vec<(Name, Option<Name>)>,
    /// Ordering and paging.
    pub page: Option<Projection>,
    /// The `WHERE` predicate.
    pub predicate: Option<Expr>,
    /// The whole part.
    pub span: Span,
}

/// `IN [n CONCURRENT] TRANSACTIONS [OF n ROWS] [ON ERROR …] [REPORT STATUS AS v]`.
#[derive(Debug, Clone, PartialEq)]
pub struct InTransactions {
    /// `n CONCURRENT`.
    pub concurrency: Option<Expr>,
    /// `OF n ROWS`.
    pub batch_size: Option<Expr>,
    /// `ON ERROR …` as written, e.g. `CONTINUE`.
    pub on_error: Option<String>,
    /// `REPORT STATUS AS v`.
    pub report_status: Option<Name>,
}

/// The body of `WITH`/`RETURN` (also ordering/paging alone).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Projection {
    /// `DISTINCT`.
    pub distinct: bool,
    /// `*` was given.
    pub star: bool,
    /// The items after any `*`.
    pub items: Vec<ProjectionItem>,
    /// `ORDER BY`.
    pub order_by: Vec<SortItem>,
    /// `SKIP`/`OFFSET`.
    pub skip: Option<Expr>,
    /// `LIMIT`.
    pub limit: Option<Expr>,
    /// `WITH … WHERE`.
    pub predicate: Option<Expr>,
}

/// `expr [AS alias]` in `WITH`/`RETURN`.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionItem {
    /// The expression.
    pub expr: Expr,
    /// The alias.
    pub alias: Option<Name>,
    /// The column name Neo4j gives it: the alias, else the expression text.
    pub column: String,
    /// The whole item.
    pub span: Span,
}

/// `expr [ASC|DESC] [NULLS FIRST|LAST]`.
#[derive(Debug, Clone, PartialEq)]
pub struct SortItem {
    /// The sort key.
    pub expr: Expr,
    /// `DESC`/`DESCENDING`.
    pub descending: bool,
    /// `NULLS FIRST` (true) / `NULLS LAST` (false).
    pub nulls_first: Option<bool>,
}

/// One item of `SET`.
#[derive(Debug, Clone, PartialEq)]
pub enum SetItem {
    /// `n.p = v` / `n[k] = v`.
    Property {
        /// The property (or dynamic property) expression.
        target: Expr,
        /// The value.
        value: Expr,
    },
    /// `n = map` (replace) or `n += map` (merge).
    Properties {
        /// The entity.
        variable: Name,
        /// The map.
        value: Expr,
        /// `+=`.
        merge: bool,
    },
    /// `n:A:B`.
    Labels {
        /// The entity.
        variable: Name,
        /// The labels (names or dynamic).
        labels: Vec<LabelExpr>,
    },
}

/// One item of `REMOVE`.
#[derive(Debug, Clone, PartialEq)]
pub enum RemoveItem {
    /// `n.p` / `n[k]`.
    Property(Expr),
    /// `n:A:B`.
    Labels {
        /// The entity.
        variable: Name,
        /// The labels (names or dynamic).
        labels: Vec<LabelExpr>,
    },
}

/// A path pattern with its optional variable and selector.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternPart {
    /// `p = …`.
    pub variable: Option<Name>,
    /// `SHORTEST 1`, `ALL SHORTEST`, `shortestPath(…)`, … as written.
    pub selector: Option<String>,
    /// Nodes, relationships and parenthesized groups, in order.
    pub elements: Vec<PathElement>,
    /// The whole part.
    pub span: Span,
}

/// An element of a path pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum PathElement {
    /// `(n:L {…} WHERE …)`.
    Node(NodePattern),
    /// `-[r:T*1..2 {…}]->`.
    Relationship(RelationshipPattern),
    /// `((a)-->(b)){1,3}`.
    Group(Box<GroupPattern>),
}

/// `(n:L {…} WHERE …)`.
#[derive(Debug, Clone, PartialEq)]
pub struct NodePattern {
    /// The variable.
    pub variable: Option<Name>,
    /// The label expression.
    pub labels: Option<LabelExpr>,
    /// A map literal or parameter.
    pub properties: Option<Expr>,
    /// The inline `WHERE`.
    pub predicate: Option<Expr>,
    /// The whole node pattern.
    pub span: Span,
}

/// Which way a relationship pattern points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `-->`.
    Right,
    /// `<--`.
    Left,
    /// `--` (or `<-->`).
    Both,
}

/// `-[r:T*1..2 {…} WHERE …]->` with an optional quantifier.
#[derive(Debug, Clone, PartialEq)]
pub struct RelationshipPattern {
    /// The variable.
    pub variable: Option<Name>,
    /// The direction.
    pub direction: Direction,
    /// The type expression.
    pub types: Option<LabelExpr>,
    /// `*min..max` (`Some((None, None))` for a bare `*`).
    pub length: Option<(Option<u64>, Option<u64>)>,
    /// A map literal or parameter.
    pub properties: Option<Expr>,
    /// The inline `WHERE`.
    pub predicate: Option<Expr>,
    /// A quantifier after the relationship (`-[:R]->{1,3}`).
    pub quantifier: Option<Quantifier>,
    /// The whole relationship pattern.
    pub span: Span,
}

/// `( path [WHERE …] )` with an optional quantifier.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupPattern {
    /// The inner path.
    pub path: PatternPart,
    /// The inner `WHERE`.
    pub predicate: Option<Expr>,
    /// `{m,n}`, `+` or `*`.
    pub quantifier: Option<Quantifier>,
    /// The whole group.
    pub span: Span,
}

/// `{min,max}`; `+` is `{1,}` and `*` is `{0,}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantifier {
    /// Lower bound.
    pub min: Option<u64>,
    /// Upper bound.
    pub max: Option<u64>,
}

/// A label (or relationship type) expression.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelExpr {
    /// A name.
    Name(Name),
    /// `%`: any label.
    Wildcard(Span),
    /// `$(expr)`, `$any(expr)` or `$all(expr)`.
    Dynamic {
        /// The expression giving the names.
        expr: Box<Expr>,
        /// `$any(…)`.
        any: bool,
    },
    /// `!e`.
    Not(Box<LabelExpr>),
    /// `a & b` (or the older `:a:b`).
    And(Vec<LabelExpr>),
    /// `a | b`.
    Or(Vec<LabelExpr>),
}

/// An expression with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Where it is written.
    pub span: Span,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// `OR`
    Or,
    /// `XOR`
    Xor,
    /// `AND`
    And,
    /// `=`
    Eq,
    /// `<>` / `!=`
    Neq,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `>=`
    Ge,
    /// `=~`
    Regex,
    /// `STARTS WITH`
    StartsWith,
    /// `ENDS WITH`
    EndsWith,
    /// `CONTAINS`
    Contains,
    /// `IN`
    In,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `||`
    Concat,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `^`
    Pow,
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `NOT`
    Not,
    /// `-`
    Neg,
    /// `+`
    Plus,
}

/// The kind of an `EXISTS`/`COUNT`/`COLLECT` subquery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubqueryKind {
    /// `EXISTS { … }`
    Exists,
    /// `COUNT { … }`
    Count,
    /// `COLLECT { … }`
    Collect,
}

/// `all`, `any`, `none` or `single`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantified {
    /// `all(x IN l WHERE p)`
    All,
    /// `any(…)`
    Any,
    /// `none(…)`
    None,
    /// `single(…)`
    Single,
}

/// An item of a map projection.
#[derive(Debug, Clone, PartialEq)]
pub enum MapProjectionItem {
    /// `.key`
    Property(Name),
    /// `.*`
    AllProperties,
    /// `key: expr`
    Literal(Name, Expr),
    /// `variable`
    Variable(Name),
}

/// Expressions.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// An integer literal.
    Integer(i64),
    /// A float literal.
    Float(f64),
    /// A string literal (unescaped).
    String(String),
    /// `$name`.
    Parameter(String),
    /// A variable.
    Variable(String),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `{k: v}`.
    Map(Vec<(Name, Expr)>),
    /// `base.key`.
    Property(Box<Expr>, Name),
    /// `base[index]`.
    Index(Box<Expr>, Box<Expr>),
    /// `base[from..to]`.
    Slice(Box<Expr>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// `n:Label` / `n IS Label`.
    HasLabels(Box<Expr>, LabelExpr),
    /// A unary operator.
    Unary(UnaryOp, Box<Expr>),
    /// A binary operator.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `IS [NOT] NULL`.
    IsNull(Box<Expr>, bool),
    /// `IS [NOT] :: TYPE` / `:: TYPE` / `IS [NOT] TYPED TYPE`.
    IsType(Box<Expr>, bool, String),
    /// `IS [NOT] [NFC] NORMALIZED`.
    IsNormalized(Box<Expr>, bool),
    /// `name(args)` with the dotted name.
    Function {
        /// The dotted name as written.
        name: Name,
        /// `DISTINCT` inside the parentheses.
        distinct: bool,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// `count(*)`.
    CountStar,
    /// `CASE [operand] WHEN … THEN … [ELSE …] END`.
    Case {
        /// The operand of a simple CASE.
        operand: Option<Box<Expr>>,
        /// The `WHEN` alternatives (several for `WHEN a, b`) and results.
        whens: Vec<(Vec<Expr>, Expr)>,
        /// The `ELSE` result.
        otherwise: Option<Box<Expr>>,
    },
    /// `[x IN list WHERE p | e]`.
    ListComprehension {
        /// The variable.
        variable: Name,
        /// The list.
        list: Box<Expr>,
        /// The filter.
        filter: Option<Box<Expr>>,
        /// The mapping.
        map: Option<Box<Expr>>,
    },
    /// `[p = (a)-->(b) WHERE q | e]`.
    PatternComprehension {
        /// The pattern.
        pattern: Box<PatternPart>,
        /// The filter.
        filter: Option<Box<Expr>>,
        /// The mapping.
        map: Box<Expr>,
    },
    /// `all/any/none/single(x IN list WHERE p)`.
    Quantified {
        /// Which quantifier.
        kind: Quantified,
        /// The variable.
        variable: Name,
        /// The list.
        list: Box<Expr>,
        /// The predicate.
        predicate: Option<Box<Expr>>,
    },
    /// `reduce(acc = init, x IN list | expr)`.
    Reduce {
        /// The accumulator.
        accumulator: Name,
        /// Its initial value.
        init: Box<Expr>,
        /// The variable.
        variable: Name,
        /// The list.
        list: Box<Expr>,
        /// The step.
        expr: Box<Expr>,
    },
    /// `EXISTS/COUNT/COLLECT { … }` with a full query.
    Subquery(SubqueryKind, Box<QueryBody>),
    /// `EXISTS/COUNT { pattern [WHERE …] }`.
    PatternSubquery(SubqueryKind, Vec<PatternPart>, Option<Box<Expr>>),
    /// A pattern used as a predicate, `shortestPath(…)` included.
    Pattern(Box<PatternPart>),
    /// `n {.a, b: expr, .*, v}`.
    MapProjection(Name, Vec<MapProjectionItem>),
}

/// A schema or administration command.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    /// What the command is.
    pub kind: CommandKind,
    /// The whole command.
    pub span: Span,
}

/// The commands.
#[derive(Debug, Clone, PartialEq)]
pub enum CommandKind {
    /// `CREATE [kind] INDEX …`.
    CreateIndex(IndexDefinition),
    /// `CREATE CONSTRAINT …`.
    CreateConstraint(ConstraintDefinition),
    /// `DROP INDEX name [IF EXISTS]`.
    DropIndex {
        /// The index name.
        name: Name,
        /// `IF EXISTS`.
        if_exists: bool,
    },
    /// `DROP CONSTRAINT name [IF EXISTS]`.
    DropConstraint {
        /// The constraint name.
        name: Name,
        /// `IF EXISTS`.
        if_exists: bool,
    },
    /// `CREATE [OR REPLACE] [COMPOSITE] DATABASE …`, `DROP …`, `ALTER …`,
    /// `START …`, `STOP …`.
    Database {
        /// The action, e.g. `CREATE`, `DROP`, `ALTER`, `START`, `STOP`.
        action: String,
        /// The database name (`$name` for a parameter).
        name: Name,
    },
    /// Users, roles, privileges, aliases and servers: recognised by their
    /// leading keywords, the rest is checked only for balanced brackets.
    Admin {
        /// The leading keywords, e.g. `CREATE USER`.
        command: String,
    },
}

/// The entity an index or constraint is for: `(n:L)` or `()-[r:T]-()`.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaTarget {
    /// The variable.
    pub variable: Option<Name>,
    /// The label or relationship type names (several for full-text indexes).
    pub names: Vec<Name>,
    /// A relationship pattern.
    pub relationship: bool,
}

/// `CREATE [OR REPLACE] [RANGE|TEXT|POINT|LOOKUP|FULLTEXT|VECTOR] INDEX [name] [IF NOT EXISTS] FOR … ON …`.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexDefinition {
    /// The index name.
    pub name: Option<Name>,
    /// The index kind, upper-cased (`RANGE` when omitted).
    pub kind: String,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// The entity.
    pub target: SchemaTarget,
    /// The indexed property keys.
    pub properties: Vec<Name>,
    /// `OPTIONS {…}`.
    pub options: Option<Expr>,
}

/// `CREATE CONSTRAINT [name] [IF NOT EXISTS] FOR … REQUIRE … IS …`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstraintDefinition {
    /// The constraint name.
    pub name: Option<Name>,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// The entity.
    pub target: SchemaTarget,
    /// The constrained property keys.
    pub properties: Vec<Name>,
    /// The rule after `IS`, upper-cased: `UNIQUE`, `NODE KEY`, `NOT NULL`,
    /// `:: INTEGER`, …
    pub rule: String,
    /// `OPTIONS {…}`.
    pub options: Option<Expr>,
}

/// How `trim(…)` trims: `BOTH` ends (the default), `LEADING` or `TRAILING`.
/// The syntax tree keeps the call; [`Query::trim_mode`](crate::Query::trim_mode)
/// gives the mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TrimMode {
    /// Both ends.
    #[default]
    Both,
    /// The start.
    Leading,
    /// The end.
    Trailing,
}

/// A Unicode normal form, as in `IS NFKC NORMALIZED` (NFC when not written);
/// [`Query::normal_form`](crate::Query::normal_form) gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NormalForm {
    /// Canonical composition.
    #[default]
    Nfc,
    /// Canonical decomposition.
    Nfd,
    /// Compatibility composition.
    Nfkc,
    /// Compatibility decomposition.
    Nfkd,
}

/// Whether a `MATCH` may use a relationship twice in a path:
/// `DIFFERENT RELATIONSHIPS` (the default) or `REPEATABLE ELEMENTS`;
/// [`Query::match_mode`](crate::Query::match_mode) gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MatchMode {
    /// Each relationship at most once per match.
    #[default]
    DifferentRelationships,
    /// Nodes and relationships may repeat.
    RepeatableElements,
}
