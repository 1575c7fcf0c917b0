//! A query against a [`Schema`]: unknown labels, relationship types and
//! property keys, and the declared types of returned properties.
//!
//! The check follows variables through the clauses: a variable bound by a
//! node or relationship pattern carries its labels or types, and `var.key`,
//! `var {.key}`, pattern maps and `SET` maps must use a key the schema
//! declares for one of them (any label or type when the pattern names
//! none). Variables bound any other way (`UNWIND`, `LOAD CSV`, procedure
//! results, subquery results, non-variable projections, quantified path
//! groups) are not checked, and names under `!` in a label expression
//! neither: nothing is reported that the query could rightly do.

use crate::analysis::body_columns;
use crate::ast::{
    Clause, ClauseKind, Expr, ExprKind, LabelExpr, MapProjectionItem, Name, NodePattern,
    PathElement, PatternPart, Projection, QueryBody, RelationshipPattern, RemoveItem, SetItem,
    SingleQuery, Statement,
};
use crate::schema::{Entity, PropertyType, Schema};
use crate::{Span, SyntaxError, suggest};

/// What is unknown to the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaProblemKind {
    /// A node label.
    UnknownLabel,
    /// A relationship type.
    UnknownRelationshipType,
    /// A property key, for the labels or types in [`SchemaProblem::owners`].
    UnknownProperty,
}

/// A name in a query that the schema does not declare.
///
/// ```
/// use neo_cypher::schema::Schema;
///
/// let schema = Schema::parse("[nodes.Person]\nname = \"STRING\"\n")?;
/// let text = "MATCH (p:Person) RETURN p.nmae";
/// let problems = neo_cypher::parse(text)?.check_schema(&schema);
/// assert_eq!(
///     problems[0].message("neo-schema.toml"),
///     "property `nmae` is not declared for `:Person` in neo-schema.toml; did you mean `name`?"
/// );
/// assert_eq!(problems[0].span.text(text), "nmae");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaProblem {
    /// What kind of name is unknown.
    pub kind: SchemaProblemKind,
    /// The name as written.
    pub name: String,
    /// Where it is in the query text.
    pub span: Span,
    /// For a property: the labels (or relationship types) it was looked up
    /// on; empty when it was looked up on every label (or type).
    pub owners: Vec<String>,
    /// For a property: whether it belongs to a relationship.
    pub relationship: bool,
    /// A declared name the query likely meant.
    pub suggestion: Option<String>,
}

impl SchemaProblem {
    /// The problem in a sentence, naming the schema file as `schema`.
    pub fn message(&self, schema: &str) -> String {
        let mut message = self.headline(schema);
        if let Some(help) = self.help() {
            message.push_str("; ");
            message.push_str(&help);
        }
        message
    }

    /// The problem with the query line and a caret under the name, in the
    /// style of [`SyntaxError::render`]; `source` is the query text.
    pub fn render(&self, source: &str, schema: &str) -> String {
        SyntaxError::new(source, self.span, self.headline(schema))
            .with_help(self.help())
            .render(source)
    }

    fn headline(&self, schema: &str) -> String {
        match self.kind {
            SchemaProblemKind::UnknownLabel => {
                format!("label `:{}` is not in {schema}", self.name)
            }
            SchemaProblemKind::UnknownRelationshipType => {
                format!("relationship type `:{}` is not in {schema}", self.name)
            }
            SchemaProblemKind::UnknownProperty => {
                let owners = if self.owners.is_empty() {
                    if self.relationship {
                        "any relationship type".to_owned()
                    } else {
                        "any label".to_owned()
                    }
                } else {
                    let names: Vec<String> =
                        self.owners.iter().map(|o| format!("`:{o}`")).collect();
                    names.join(" or ")
                };
                format!(
                    "property `{}` is not declared for {owners} in {schema}",
                    self.name
                )
            }
        }
    }

    fn help(&self) -> Option<String> {
        let suggestion = self.suggestion.as_ref()?;
        Some(match self.kind {
            SchemaProblemKind::UnknownProperty => format!("did you mean `{suggestion}`?"),
            _ => format!("did you mean `:{suggestion}`?"),
        })
    }
}

/// A returned column that is a declared property (`RETURN p.born AS born`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnType {
    /// The column name.
    pub column: String,
    /// The projection item.
    pub span: Span,
    /// The declared type of the property.
    pub ty: PropertyType,
    /// Whether the property is declared `NOT NULL` on every label or type
    /// it was looked up on.
    pub not_null: bool,
}

/// What a variable is known to hold.
#[derive(Debug, Clone, PartialEq)]
enum Binding {
    /// A node with at least these labels; `open` when it may have labels
    /// the query does not name (dynamic labels, `%`, `!`).
    Node { labels: Vec<String>, open: bool },
    /// A relationship of one of these types.
    Relationship { types: Vec<String>, open: bool },
    /// Anything else: not checked.
    Other,
}

type Scope = Vec<(String, Binding)>;

fn lookup<'a>(scope: &'a Scope, name: &str) -> Option<&'a Binding> {
    scope.iter().rev().find(|(n, _)| n == name).map(|(_, b)| b)
}

/// Label (or type) names named positively in a label expression, and
/// whether it may match names it does not list.
fn positive_names(expr: &LabelExpr, names: &mut Vec<String>) -> bool {
    match expr {
        LabelExpr::Name(name) => {
            if !names.contains(&name.name) {
                names.push(name.name.clone());
            }
            false
        }
        LabelExpr::Wildcard(_) | LabelExpr::Dynamic { .. } | LabelExpr::Not(_) => true,
        LabelExpr::And(parts) | LabelExpr::Or(parts) => parts
            .iter()
            .fold(false, |open, part| positive_names(part, names) | open),
    }
}

pub(crate) struct Checker<'s> {
    schema: &'s Schema,
    /// Labels and types given to a variable by `v:Label` predicates and
    /// `SET v:Label` anywhere in the query (collected in a first pass).
    extra: Vec<(String, String)>,
    collecting: bool,
    problems: Vec<SchemaProblem>,
    columns: Vec<ColumnType>,
}

impl<'s> Checker<'s> {
    /// Checks a statement: the problems and the typed returned columns.
    pub(crate) fn run(
        schema: &'s Schema,
        statement: &Statement,
    ) -> (Vec<SchemaProblem>, Vec<ColumnType>) {
        let Statement::Query(body) = statement else {
            return (Vec::new(), Vec::new());
        };
        let mut checker = Checker {
            schema,
            extra: Vec::new(),
            collecting: true,
            problems: Vec::new(),
            columns: Vec::new(),
        };
        checker.body(body, &Scope::new(), true);
        checker.collecting = false;
        checker.columns.clear();
        checker.body(body, &Scope::new(), true);
        (checker.problems, checker.columns)
    }

    fn report(&mut self, problem: SchemaProblem) {
        if !self.collecting {
            self.problems.push(problem);
        }
    }

    fn body(&mut self, body: &QueryBody, outer: &Scope, top: bool) {
        for part in &body.parts {
            self.single(part, outer.clone(), top);
        }
    }

    fn single(&mut self, query: &SingleQuery, mut scope: Scope, top: bool) {
        let last = query.clauses.len().saturating_sub(1);
        for (i, clause) in query.clauses.iter().enumerate() {
            self.clause(clause, &mut scope, top && i == last);
        }
    }

    fn clause(&mut self, clause: &Clause, scope: &mut Scope, final_return: bool) {
        match &clause.kind {
            ClauseKind::Use(_) | ClauseKind::Finish => {}
            ClauseKind::Match {
                patterns,
                predicate,
                ..
            } => {
                for pattern in patterns {
                    self.pattern(pattern, scope);
                }
                self.opt_expr(predicate.as_ref(), scope);
            }
            ClauseKind::Unwind { list, variable } => {
                self.expr(list, scope);
                scope.push((variable.name.clone(), Binding::Other));
            }
            ClauseKind::With(projection) => self.projection(projection, scope, false),
            ClauseKind::Return(projection) => self.projection(projection, scope, final_return),
            ClauseKind::Create(patterns) => {
                for pattern in patterns {
                    self.pattern(pattern, scope);
                }
            }
            ClauseKind::Merge { pattern, actions } => {
                self.pattern(pattern, scope);
                for (_, items) in actions {
                    for item in items {
                        self.set_item(item, scope);
                    }
                }
            }
            ClauseKind::Set(items) => {
                for item in items {
                    self.set_item(item, scope);
                }
            }
            ClauseKind::Remove(items) => {
                for item in items {
                    match item {
                        RemoveItem::Property(expr) => self.expr(expr, scope),
                        RemoveItem::Labels { labels, .. } => {
                            for label in labels {
                                self.label_expr(label, scope, false);
                            }
                        }
                    }
                }
            }
            ClauseKind::Delete { targets, .. } => {
                for target in targets {
                    self.expr(target, scope);
                }
            }
            ClauseKind::Foreach {
                variable,
                list,
                body,
            } => {
                self.expr(list, scope);
                let mut inner = scope.clone();
                inner.push((variable.name.clone(), Binding::Other));
                for clause in body {
                    self.clause(clause, &mut inner, false);
                }
            }
            ClauseKind::Subquery {
                scope: imports,
                body,
                in_transactions,
                ..
            } => {
                let inner: Scope = match imports {
                    Some(names) if !names.iter().any(|n| n.name == "*") => scope
                        .iter()
                        .filter(|(n, _)| names.iter().any(|i| i.name == *n))
                        .cloned()
                        .collect(),
                    _ => scope.clone(),
                };
                self.body(body, &inner, false);
                if let Some(columns) = body_columns(body)
                    && let Some(names) = columns.names()
                {
                    for name in names {
                        scope.push((name.to_owned(), Binding::Other));
                    }
                }
                if let Some(status) = in_transactions
                    .as_ref()
                    .and_then(|t| t.report_status.as_ref())
                {
                    scope.push((status.name.clone(), Binding::Other));
                }
            }
            ClauseKind::Procedure { args, yields, .. } => {
                for arg in args.iter().flatten() {
                    self.expr(arg, scope);
                }
                if let Some(yields) = yields {
                    for (field, alias) in &yields.items {
                        let name = alias.as_ref().unwrap_or(field);
                        scope.push((name.name.clone(), Binding::Other));
                    }
                    if let Some(page) = &yields.page {
                        self.projection(page, scope, false);
                    }
                    self.opt_expr(yields.predicate.as_ref(), scope);
                }
            }
            ClauseKind::LoadCsv { from, variable, .. } => {
                self.expr(from, scope);
                scope.push((variable.name.clone(), Binding::Other));
            }
            ClauseKind::Filter(expr) => self.expr(expr, scope),
            ClauseKind::Let(items) => {
                for (name, expr) in items {
                    self.expr(expr, scope);
                    scope.push((name.name.clone(), Binding::Other));
                }
            }
            ClauseKind::Page(projection) => self.projection(projection, scope, false),
            ClauseKind::Show(show) => {
                for arg in &show.args {
                    self.expr(arg, scope);
                }
                if let Some(yields) = &show.yields {
                    for (field, alias) in &yields.items {
                        let name = alias.as_ref().unwrap_or(field);
                        scope.push((name.name.clone(), Binding::Other));
                    }
                    self.opt_expr(yields.predicate.as_ref(), scope);
                }
                self.opt_expr(show.predicate.as_ref(), scope);
            }
        }
    }

    /// `WITH`/`RETURN`: items see the old scope, ordering and filtering
    /// see both, the clauses after see the projected names.
    fn projection(&mut self, projection: &Projection, scope: &mut Scope, final_return: bool) {
        let mut projected: Scope = if projection.star || projection.items.is_empty() {
            scope.clone()
        } else {
            Scope::new()
        };
        for item in &projection.items {
            self.expr(&item.expr, scope);
            let binding = match &item.expr.kind {
                ExprKind::Variable(name) => lookup(scope, name).cloned().unwrap_or(Binding::Other),
                _ => Binding::Other,
            };
            projected.push((item.column.clone(), binding));
            if final_return {
                self.column_type(&item.column, item.span, &item.expr, scope);
            }
        }
        let mut both = scope.clone();
        both.extend(projected.iter().cloned());
        for sort in &projection.order_by {
            self.expr(&sort.expr, &both);
        }
        self.opt_expr(projection.skip.as_ref(), &both);
        self.opt_expr(projection.limit.as_ref(), &both);
        self.opt_expr(projection.predicate.as_ref(), &both);
        *scope = projected;
    }

    fn column_type(&mut self, column: &str, span: Span, expr: &Expr, scope: &Scope) {
        if self.collecting {
            return;
        }
        let ExprKind::Property(base, key) = &expr.kind else {
            return;
        };
        let ExprKind::Variable(variable) = &base.kind else {
            return;
        };
        let Some((entities, true)) = self.owners(variable, scope) else {
            return;
        };
        let mut declared = entities.iter().filter_map(|e| e.property(&key.name));
        let Some(first) = declared.next() else {
            return;
        };
        let mut not_null = first.not_null;
        for other in declared {
            if other.ty != first.ty {
                return;
            }
            not_null &= other.not_null;
        }
        self.columns.push(ColumnType {
            column: column.to_owned(),
            span,
            ty: first.ty.clone(),
            not_null,
        });
    }

    fn set_item(&mut self, item: &SetItem, scope: &mut Scope) {
        match item {
            SetItem::Property { target, value } => {
                self.expr(target, scope);
                self.expr(value, scope);
            }
            SetItem::Properties {
                variable, value, ..
            } => {
                if let ExprKind::Map(entries) = &value.kind {
                    for (key, _) in entries {
                        self.property(&variable.name, key, scope);
                    }
                }
                self.expr(value, scope);
            }
            SetItem::Labels { variable, labels } => {
                for label in labels {
                    self.label_expr(label, scope, false);
                    if self.collecting {
                        let mut names = Vec::new();
                        positive_names(label, &mut names);
                        for name in names {
                            self.extra.push((variable.name.clone(), name));
                        }
                    }
                }
            }
        }
    }

    /// Binds the variables of a pattern in `scope` and checks its names.
    fn pattern(&mut self, part: &PatternPart, scope: &mut Scope) {
        for element in &part.elements {
            match element {
                PathElement::Node(node) => self.node(node, scope),
                PathElement::Relationship(relationship) => self.relationship(relationship, scope),
                PathElement::Group(group) => {
                    let before = scope.len();
                    let mut inner = scope.clone();
                    self.pattern(&group.path, &mut inner);
                    self.opt_expr(group.predicate.as_ref(), &inner);
                    for (name, binding) in inner.into_iter().skip(before) {
                        let binding = if group.quantifier.is_some() {
                            Binding::Other
                        } else {
                            binding
                        };
                        scope.push((name, binding));
                    }
                }
            }
        }
        if let Some(variable) = &part.variable {
            scope.push((variable.name.clone(), Binding::Other));
        }
    }

    fn node(&mut self, node: &NodePattern, scope: &mut Scope) {
        let mut labels = Vec::new();
        let mut open = false;
        if let Some(expr) = &node.labels {
            self.label_expr(expr, scope, false);
            open = positive_names(expr, &mut labels);
        }
        if let Some(variable) = &node.variable {
            let binding = match lookup(scope, &variable.name) {
                Some(Binding::Node {
                    labels: known,
                    open: known_open,
                }) => {
                    let mut all = known.clone();
                    for label in labels {
                        if !all.contains(&label) {
                            all.push(label);
                        }
                    }
                    Binding::Node {
                        labels: all,
                        open: open || *known_open,
                    }
                }
                _ => Binding::Node { labels, open },
            };
            scope.push((variable.name.clone(), binding));
            self.pattern_properties(node.properties.as_ref(), &variable.name, scope);
        } else {
            let name = "\u{0}node";
            scope.push((name.to_owned(), Binding::Node { labels, open }));
            self.pattern_properties(node.properties.as_ref(), name, scope);
            scope.pop();
        }
        self.opt_expr(node.predicate.as_ref(), scope);
    }

    fn relationship(&mut self, relationship: &RelationshipPattern, scope: &mut Scope) {
        let mut types = Vec::new();
        let mut open = false;
        if let Some(expr) = &relationship.types {
            self.label_expr(expr, scope, true);
            open = positive_names(expr, &mut types);
        }
        let single = Binding::Relationship { types, open };
        let name = "\u{0}relationship";
        scope.push((name.to_owned(), single));
        self.pattern_properties(relationship.properties.as_ref(), name, scope);
        let Some((_, single)) = scope.pop() else {
            return;
        };
        if let Some(variable) = &relationship.variable {
            let list = relationship.length.is_some() || relationship.quantifier.is_some();
            let binding = if list { Binding::Other } else { single };
            scope.push((variable.name.clone(), binding));
        }
        self.opt_expr(relationship.predicate.as_ref(), scope);
    }

    /// The keys of a pattern's `{…}` map, as properties of `variable`.
    fn pattern_properties(&mut self, properties: Option<&Expr>, variable: &str, scope: &Scope) {
        let Some(properties) = properties else {
            return;
        };
        if let ExprKind::Map(entries) = &properties.kind {
            for (key, _) in entries {
                self.property(variable, key, scope);
            }
        }
        self.expr(properties, scope);
    }

    /// Checks the names of a label expression (not those under `!`) as
    /// labels, or as relationship types.
    fn label_expr(&mut self, expr: &LabelExpr, scope: &Scope, relationship: bool) {
        match expr {
            LabelExpr::Name(name) => self.label_name(name, Some(relationship)),
            LabelExpr::Wildcard(_) | LabelExpr::Not(_) => {}
            LabelExpr::Dynamic { expr, .. } => self.expr(expr, scope),
            LabelExpr::And(parts) | LabelExpr::Or(parts) => {
                for part in parts {
                    self.label_expr(part, scope, relationship);
                }
            }
        }
    }

    /// Checks a label (`Some(false)`), a relationship type (`Some(true)`),
    /// or a name that may be either (`None`).
    fn label_name(&mut self, name: &Name, relationship: Option<bool>) {
        let schema = self.schema;
        let is_label = schema.label(&name.name).is_some();
        let is_type = schema.relationship_type(&name.name).is_some();
        let known = match relationship {
            Some(true) => is_type,
            Some(false) => is_label,
            None => is_label || is_type,
        };
        if known {
            return;
        }
        let (kind, candidates) = if relationship == Some(true) {
            (
                SchemaProblemKind::UnknownRelationshipType,
                &schema.relationships,
            )
        } else {
            (SchemaProblemKind::UnknownLabel, &schema.nodes)
        };
        let suggestion = suggest(&name.name, candidates.iter().map(|e| e.name.as_str()));
        self.report(SchemaProblem {
            kind,
            name: name.name.clone(),
            span: name.span,
            owners: Vec::new(),
            relationship: relationship == Some(true),
            suggestion: suggestion.map(str::to_owned),
        });
    }

    /// The schema entries a variable's properties are looked up on, and
    /// whether they are exactly its labels (or types); `None` when the
    /// variable is not a pattern-bound node or relationship, or one of its
    /// names is unknown (already reported).
    fn owners(&self, variable: &str, scope: &Scope) -> Option<(Vec<&'s Entity>, bool)> {
        let schema = self.schema;
        let (names, open, relationship) = match lookup(scope, variable)? {
            Binding::Node { labels, open } => (labels, *open, false),
            Binding::Relationship { types, open } => (types, *open, true),
            Binding::Other => return None,
        };
        let all = if relationship {
            &schema.relationships
        } else {
            &schema.nodes
        };
        if open || names.is_empty() {
            return Some((all.iter().collect(), false));
        }
        // Labels from predicates and `SET` may be on the node too: they
        // widen the labels a pattern named, never narrow an unlabelled one.
        let mut names = names.clone();
        for (v, name) in &self.extra {
            if v == variable && !names.contains(name) {
                names.push(name.clone());
            }
        }
        let mut entities = Vec::with_capacity(names.len());
        for name in &names {
            let entity = if relationship {
                schema.relationship_type(name)
            } else {
                schema.label(name)
            };
            entities.push(entity?);
        }
        Some((entities, true))
    }

    /// Checks `variable.key`.
    fn property(&mut self, variable: &str, key: &Name, scope: &Scope) {
        if self.collecting {
            return;
        }
        let Some((entities, exact)) = self.owners(variable, scope) else {
            return;
        };
        if entities.iter().any(|e| e.property(&key.name).is_some()) {
            return;
        }
        let relationship = matches!(lookup(scope, variable), Some(Binding::Relationship { .. }));
        let candidates = entities
            .iter()
            .flat_map(|e| e.properties.iter().map(|p| p.name.as_str()));
        let suggestion = suggest(&key.name, candidates).map(str::to_owned);
        let owners = if exact {
            entities.iter().map(|e| e.name.clone()).collect()
        } else {
            Vec::new()
        };
        self.report(SchemaProblem {
            kind: SchemaProblemKind::UnknownProperty,
            name: key.name.clone(),
            span: key.span,
            owners,
            relationship,
            suggestion,
        });
    }

    fn opt_expr(&mut self, expr: Option<&Expr>, scope: &Scope) {
        if let Some(expr) = expr {
            self.expr(expr, scope);
        }
    }

    fn expr(&mut self, expr: &Expr, scope: &Scope) {
        match &expr.kind {
            ExprKind::Null
            | ExprKind::Bool(_)
            | ExprKind::Integer(_)
            | ExprKind::Float(_)
            | ExprKind::String(_)
            | ExprKind::Parameter(_)
            | ExprKind::Variable(_)
            | ExprKind::CountStar => {}
            ExprKind::List(items) => {
                for item in items {
                    self.expr(item, scope);
                }
            }
            ExprKind::Map(entries) => {
                for (_, value) in entries {
                    self.expr(value, scope);
                }
            }
            ExprKind::Property(base, key) => {
                if let ExprKind::Variable(variable) = &base.kind {
                    self.property(variable, key, scope);
                } else {
                    self.expr(base, scope);
                }
            }
            ExprKind::Index(base, index) => {
                self.expr(base, scope);
                self.expr(index, scope);
            }
            ExprKind::Slice(base, from, to) => {
                self.expr(base, scope);
                self.opt_expr(from.as_deref(), scope);
                self.opt_expr(to.as_deref(), scope);
            }
            ExprKind::HasLabels(base, labels) => {
                let relationship = match &base.kind {
                    ExprKind::Variable(variable) => {
                        if self.collecting {
                            let mut names = Vec::new();
                            positive_names(labels, &mut names);
                            for name in names {
                                self.extra.push((variable.clone(), name));
                            }
                        }
                        match lookup(scope, variable) {
                            Some(Binding::Node { .. }) => Some(false),
                            Some(Binding::Relationship { .. }) => Some(true),
                            _ => None,
                        }
                    }
                    _ => None,
                };
                self.predicate_labels(labels, scope, relationship);
                self.expr(base, scope);
            }
            ExprKind::Unary(_, operand)
            | ExprKind::IsNull(operand, _)
            | ExprKind::IsType(operand, _, _)
            | ExprKind::IsNormalized(operand, _) => self.expr(operand, scope),
            ExprKind::Binary(_, left, right) => {
                self.expr(left, scope);
                self.expr(right, scope);
            }
            ExprKind::Function { args, .. } => {
                for arg in args {
                    self.expr(arg, scope);
                }
            }
            ExprKind::Case {
                operand,
                whens,
                otherwise,
            } => {
                self.opt_expr(operand.as_deref(), scope);
                for (conditions, result) in whens {
                    for condition in conditions {
                        self.expr(condition, scope);
                    }
                    self.expr(result, scope);
                }
                self.opt_expr(otherwise.as_deref(), scope);
            }
            ExprKind::ListComprehension {
                variable,
                list,
                filter,
                map,
            } => {
                self.expr(list, scope);
                let mut inner = scope.clone();
                inner.push((variable.name.clone(), Binding::Other));
                self.opt_expr(filter.as_deref(), &inner);
                self.opt_expr(map.as_deref(), &inner);
            }
            ExprKind::Quantified {
                variable,
                list,
                predicate,
                ..
            } => {
                self.expr(list, scope);
                let mut inner = scope.clone();
                inner.push((variable.name.clone(), Binding::Other));
                self.opt_expr(predicate.as_deref(), &inner);
            }
            ExprKind::Reduce {
                accumulator,
                init,
                variable,
                list,
                expr,
            } => {
                self.expr(init, scope);
                self.expr(list, scope);
                let mut inner = scope.clone();
                inner.push((accumulator.name.clone(), Binding::Other));
                inner.push((variable.name.clone(), Binding::Other));
                self.expr(expr, &inner);
            }
            ExprKind::PatternComprehension {
                pattern,
                filter,
                map,
            } => {
                let mut inner = scope.clone();
                self.pattern(pattern, &mut inner);
                self.opt_expr(filter.as_deref(), &inner);
                self.expr(map, &inner);
            }
            ExprKind::Subquery(_, body) => self.body(body, scope, false),
            ExprKind::PatternSubquery(_, patterns, predicate) => {
                let mut inner = scope.clone();
                for pattern in patterns {
                    self.pattern(pattern, &mut inner);
                }
                self.opt_expr(predicate.as_deref(), &inner);
            }
            ExprKind::Pattern(pattern) => {
                let mut inner = scope.clone();
                self.pattern(pattern, &mut inner);
            }
            ExprKind::MapProjection(variable, items) => {
                for item in items {
                    match item {
                        MapProjectionItem::Property(key) => {
                            self.property(&variable.name, key, scope);
                        }
                        MapProjectionItem::Literal(_, value) => self.expr(value, scope),
                        MapProjectionItem::AllProperties | MapProjectionItem::Variable(_) => {}
                    }
                }
            }
        }
    }

    /// The names of a `v:Label` predicate: labels of a node, types of a
    /// relationship, either for a value of unknown kind.
    fn predicate_labels(&mut self, expr: &LabelExpr, scope: &Scope, relationship: Option<bool>) {
        match expr {
            LabelExpr::Name(name) => self.label_name(name, relationship),
            LabelExpr::Wildcard(_) | LabelExpr::Not(_) => {}
            LabelExpr::Dynamic { expr, .. } => self.expr(expr, scope),
            LabelExpr::And(parts) | LabelExpr::Or(parts) => {
                for part in parts {
                    self.predicate_labels(part, scope, relationship);
                }
            }
        }
    }
}
