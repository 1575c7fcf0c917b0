//! Patterns: the variables they declare or refer to, and the rules of
//! each clause that takes one (`MATCH`, `CREATE`, `MERGE`).

use super::aggregation::Ctx;
use super::scope::Var;
use super::types::Ty;
use super::{Analyzer, Check, fail};
use crate::ErrorDetail;
use crate::ast::{Direction, Expr, ExprKind, LabelExpr, Name, PathElement, PatternPart};

/// Which clause a pattern belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PatternContext {
    /// `MATCH`, `EXISTS { … }`: variables may be new or refer to bound
    /// ones; a relationship variable stands for one relationship.
    Match,
    /// Pattern comprehensions: as `MATCH`, but a relationship variable used
    /// twice is only deprecated.
    Comprehension,
    /// `CREATE`: nodes may refer to bound ones, relationships are new.
    Create,
    /// `MERGE`: as `CREATE`, and no parameter maps.
    Merge,
}

impl PatternContext {
    /// `CREATE` or `MERGE`, which create what they do not find.
    fn creates(self) -> bool {
        matches!(self, PatternContext::Create | PatternContext::Merge)
    }

    fn clause(self) -> &'static str {
        match self {
            PatternContext::Match | PatternContext::Comprehension => "MATCH",
            PatternContext::Create => "CREATE",
            PatternContext::Merge => "MERGE",
        }
    }
}

impl<'a> Analyzer<'a> {
    /// Declares the variables of `parts`, then checks what they contain,
    /// then (in `MATCH`) that no relationship variable is used twice.
    pub(super) fn patterns(&mut self, parts: &'a [PatternPart], context: PatternContext) -> Check {
        for part in parts {
            self.declare_part(part, context)?;
        }
        for part in parts {
            self.check_elements(&part.elements, context)?;
        }
        if context == PatternContext::Match {
            unique_relationships(parts)?;
        }
        Ok(())
    }

    fn declare_part(&mut self, part: &'a PatternPart, context: PatternContext) -> Check {
        let standalone_node = part.elements.len() == 1;
        self.declare_elements(&part.elements, context, standalone_node, false)?;
        if let Some(path) = &part.variable {
            if self.scopes.local(&path.name).is_some() {
                return already_declared(path);
            }
            self.declare(path, Ty::PATH);
        }
        Ok(())
    }

    fn declare_elements(
        &mut self,
        elements: &'a [PathElement],
        context: PatternContext,
        standalone_node: bool,
        in_group: bool,
    ) -> Check {
        for element in elements {
            match element {
                PathElement::Node(node) => {
                    let Some(variable) = &node.variable else {
                        continue;
                    };
                    if in_group {
                        self.declare_group_variable(variable);
                        continue;
                    }
                    if context.creates()
                        && standalone_node
                        && self.scopes.local(&variable.name).is_some()
                    {
                        return already_declared(variable);
                    }
                    match self.scopes.lookup(&variable.name) {
                        Some(var) if context.creates() => {
                            if node.labels.is_some() || node.properties.is_some() {
                                return fail(
                                    variable.span,
                                    ErrorDetail::VariableAlreadyBound,
                                    format!(
                                        "Can't create node `{}` with labels or properties here. The variable is already declared in this context",
                                        variable.name
                                    ),
                                );
                            }
                            self.expect_variable_kind(variable, var, Ty::NODE)?;
                        }
                        Some(var) => {
                            self.expect_variable_kind(variable, var, Ty::NODE)?;
                            self.scopes.refine(&variable.name, Ty::NODE);
                        }
                        None => self.declare(variable, Ty::NODE),
                    }
                }
                PathElement::Relationship(rel) => {
                    let Some(variable) = &rel.variable else {
                        continue;
                    };
                    if in_group {
                        self.declare_group_variable(variable);
                        continue;
                    }
                    let ty = if rel.length.is_some() || rel.quantifier.is_some() {
                        Ty::list_of(Ty::RELATIONSHIP)
                    } else {
                        Ty::RELATIONSHIP
                    };
                    if context.creates() {
                        if self.scopes.local(&variable.name).is_some() {
                            return already_declared(variable);
                        }
                        self.declare(variable, ty);
                        continue;
                    }
                    match self.scopes.lookup(&variable.name) {
                        Some(var) => self.expect_variable_kind(variable, var, ty)?,
                        None => self.declare(variable, ty),
                    }
                }
                PathElement::Group(group) => {
                    if context.creates() {
                        return fail(
                            group.span,
                            ErrorDetail::Syntax,
                            format!(
                                "Quantified path patterns are not allowed in {}, only in MATCH",
                                context.clause()
                            ),
                        );
                    }
                    self.declare_elements(&group.path.elements, context, false, true)?;
                    if let Some(path) = &group.path.variable {
                        self.declare_group_variable(path);
                    }
                }
            }
        }
        Ok(())
    }

    /// A variable inside a quantified path pattern: a single entity inside
    /// the group, a list outside; its type is left open.
    fn declare_group_variable(&mut self, variable: &'a Name) {
        if self.scopes.lookup(&variable.name).is_none() {
            self.declare(variable, Ty::ANY);
        }
    }

    pub(super) fn declare(&mut self, variable: &'a Name, ty: Ty) {
        self.scopes.declare(Var {
            name: &variable.name,
            ty,
            span: variable.span,
        });
    }

    /// Property maps, predicates and the rules of the clause for each
    /// element.
    fn check_elements(&mut self, elements: &'a [PathElement], context: PatternContext) -> Check {
        for element in elements {
            match element {
                PathElement::Node(node) => {
                    if let Some(labels) = &node.labels {
                        valid_token_names(labels)?;
                        self.label_expr(labels)?;
                    }
                    self.pattern_properties(node.properties.as_ref(), context)?;
                    if let Some(predicate) = &node.predicate {
                        self.predicate(predicate, Ctx::PREDICATE)?;
                    }
                }
                PathElement::Relationship(rel) => {
                    if context.creates() {
                        if rel.length.is_some() || rel.quantifier.is_some() {
                            return fail(
                                rel.span,
                                ErrorDetail::CreatingVarLength,
                                format!(
                                    "Variable length relationships cannot be used in {}",
                                    context.clause()
                                ),
                            );
                        }
                        single_type(rel.types.as_ref(), rel.span, context)?;
                        if context == PatternContext::Create && rel.direction == Direction::Both {
                            return fail(
                                rel.span,
                                ErrorDetail::RequiresDirectedRelationship,
                                "Only directed relationships are supported in CREATE",
                            );
                        }
                    }
                    if let Some(types) = &rel.types {
                        valid_token_names(types)?;
                        self.label_expr(types)?;
                    }
                    self.pattern_properties(rel.properties.as_ref(), context)?;
                    if let Some(predicate) = &rel.predicate {
                        self.predicate(predicate, Ctx::PREDICATE)?;
                    }
                }
                PathElement::Group(group) => {
                    self.check_elements(&group.path.elements, context)?;
                    if let Some(predicate) = &group.predicate {
                        self.predicate(predicate, Ctx::PREDICATE)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// `{…}` or `$map` on a node or relationship: a parameter map is not
    /// allowed where the pattern is matched.
    fn pattern_properties(
        &mut self,
        properties: Option<&'a Expr>,
        context: PatternContext,
    ) -> Check {
        let Some(properties) = properties else {
            return Ok(());
        };
        if let ExprKind::Parameter(name) = &properties.kind
            && context != PatternContext::Create
        {
            return fail(
                properties.span,
                ErrorDetail::InvalidParameterUse,
                format!(
                    "Parameter maps cannot be used in `{}` patterns (use a literal map instead, e.g. `{{id: ${name}.id}}`)",
                    context.clause()
                ),
            );
        }
        if let ExprKind::Map(entries) = &properties.kind
            && let Some((key, _)) = entries.iter().find(|(key, _)| !valid_token(&key.name))
        {
            return invalid_token(key);
        }
        self.expr(properties, Ctx::VALUE).map(|_| ())
    }
}

/// Labels, relationship types and property keys of patterns may not be
/// empty nor contain a null character.
fn valid_token_names(labels: &LabelExpr) -> Check {
    match labels {
        LabelExpr::Name(name) if !valid_token(&name.name) => invalid_token(name),
        LabelExpr::Name(_) | LabelExpr::Wildcard(_) | LabelExpr::Dynamic { .. } => Ok(()),
        LabelExpr::Not(inner) => valid_token_names(inner),
        LabelExpr::And(terms) | LabelExpr::Or(terms) => {
            terms.iter().try_for_each(valid_token_names)
        }
    }
}

fn valid_token(name: &str) -> bool {
    !name.is_empty() && !name.contains('\0')
}

fn invalid_token(name: &Name) -> Check {
    fail(
        name.span,
        ErrorDetail::Syntax,
        format!(
            "'{}' is not a valid token name. Token names cannot be empty or contain any null-bytes.",
            name.name.replace('\0', "\\0")
        ),
    )
}

fn already_declared(variable: &Name) -> Check {
    fail(
        variable.span,
        ErrorDetail::VariableAlreadyBound,
        format!("Variable `{}` already declared", variable.name),
    )
}

/// A relationship to create has exactly one type.
fn single_type(types: Option<&LabelExpr>, span: crate::Span, context: PatternContext) -> Check {
    match types {
        Some(LabelExpr::Name(_) | LabelExpr::Dynamic { .. }) => Ok(()),
        Some(_) => fail(
            span,
            ErrorDetail::NoSingleRelationshipType,
            format!(
                "A single relationship type must be specified for {}",
                context.clause()
            ),
        ),
        None => fail(
            span,
            ErrorDetail::NoSingleRelationshipType,
            format!(
                "Exactly one relationship type must be specified for {}. Did you forget to prefix your relationship type with a ':'?",
                context.clause()
            ),
        ),
    }
}

/// One relationship variable may not stand for two relationships of the
/// same `MATCH`.
fn unique_relationships(parts: &[PatternPart]) -> Check {
    let mut seen: Vec<&str> = Vec::new();
    for part in parts {
        for element in &part.elements {
            if let PathElement::Relationship(rel) = element
                && let Some(variable) = &rel.variable
            {
                if seen.contains(&variable.name.as_str()) {
                    return fail(
                        variable.span,
                        ErrorDetail::RelationshipUniquenessViolation,
                        format!(
                            "Cannot use the same relationship variable '{}' for multiple relationships",
                            variable.name
                        ),
                    );
                }
                seen.push(&variable.name);
            }
        }
    }
    Ok(())
}
