//! Whether two expressions are the same, wherever they are written: an
//! `ORDER BY` after an aggregation may repeat a projected expression.

use crate::ast::{Expr, ExprKind, LabelExpr, MapProjectionItem, Name, PathElement, PatternPart};

/// True when `a` and `b` are the same expression, positions aside.
pub(super) fn same(a: &Expr, b: &Expr) -> bool {
    use ExprKind as K;
    match (&a.kind, &b.kind) {
        (K::Null, K::Null) | (K::CountStar, K::CountStar) => true,
        (K::Bool(x), K::Bool(y)) => x == y,
        (K::Integer(x), K::Integer(y)) => x == y,
        (K::Float(x), K::Float(y)) => x.to_bits() == y.to_bits(),
        (K::String(x), K::String(y))
        | (K::Parameter(x), K::Parameter(y))
        | (K::Variable(x), K::Variable(y)) => x == y,
        (K::List(x), K::List(y)) => all_same(x, y),
        (K::Map(x), K::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, v1), (k2, v2))| k1.name == k2.name && same(v1, v2))
        }
        (K::Property(x, k1), K::Property(y, k2)) => k1.name == k2.name && same(x, y),
        (K::Index(x1, i1), K::Index(x2, i2)) => same(x1, x2) && same(i1, i2),
        (K::Slice(x1, f1, t1), K::Slice(x2, f2, t2)) => {
            same(x1, x2)
                && same_option(f1.as_deref(), f2.as_deref())
                && same_option(t1.as_deref(), t2.as_deref())
        }
        (K::HasLabels(x, l1), K::HasLabels(y, l2)) => same(x, y) && same_labels(l1, l2),
        (K::Unary(o1, x), K::Unary(o2, y)) => o1 == o2 && same(x, y),
        (K::Binary(o1, l1, r1), K::Binary(o2, l2, r2)) => o1 == o2 && same(l1, l2) && same(r1, r2),
        (K::IsNull(x, n1), K::IsNull(y, n2)) | (K::IsNormalized(x, n1), K::IsNormalized(y, n2)) => {
            n1 == n2 && same(x, y)
        }
        (K::IsType(x, n1, t1), K::IsType(y, n2, t2)) => n1 == n2 && t1 == t2 && same(x, y),
        (
            K::Function {
                name: n1,
                distinct: d1,
                args: a1,
            },
            K::Function {
                name: n2,
                distinct: d2,
                args: a2,
            },
        ) => n1.name.eq_ignore_ascii_case(&n2.name) && d1 == d2 && all_same(a1, a2),
        (
            K::Case {
                operand: o1,
                whens: w1,
                otherwise: e1,
            },
            K::Case {
                operand: o2,
                whens: w2,
                otherwise: e2,
            },
        ) => {
            same_option(o1.as_deref(), o2.as_deref())
                && same_option(e1.as_deref(), e2.as_deref())
                && w1.len() == w2.len()
                && w1
                    .iter()
                    .zip(w2)
                    .all(|((c1, r1), (c2, r2))| all_same(c1, c2) && same(r1, r2))
        }
        (
            K::ListComprehension {
                variable: v1,
                list: l1,
                filter: f1,
                map: m1,
            },
            K::ListComprehension {
                variable: v2,
                list: l2,
                filter: f2,
                map: m2,
            },
        ) => {
            v1.name == v2.name
                && same(l1, l2)
                && same_option(f1.as_deref(), f2.as_deref())
                && same_option(m1.as_deref(), m2.as_deref())
        }
        (
            K::PatternComprehension {
                pattern: p1,
                filter: f1,
                map: m1,
            },
            K::PatternComprehension {
                pattern: p2,
                filter: f2,
                map: m2,
            },
        ) => same_part(p1, p2) && same_option(f1.as_deref(), f2.as_deref()) && same(m1, m2),
        (
            K::Quantified {
                kind: k1,
                variable: v1,
                list: l1,
                predicate: p1,
            },
            K::Quantified {
                kind: k2,
                variable: v2,
                list: l2,
                predicate: p2,
            },
        ) => {
            k1 == k2
                && v1.name == v2.name
                && same(l1, l2)
                && same_option(p1.as_deref(), p2.as_deref())
        }
        (
            K::Reduce {
                accumulator: a1,
                init: i1,
                variable: v1,
                list: l1,
                expr: e1,
            },
            K::Reduce {
                accumulator: a2,
                init: i2,
                variable: v2,
                list: l2,
                expr: e2,
            },
        ) => {
            a1.name == a2.name && v1.name == v2.name && same(i1, i2) && same(l1, l2) && same(e1, e2)
        }
        // Full subqueries are compared by their tree, positions included:
        // two copies never compare equal, which only means `ORDER BY`
        // cannot repeat one after an aggregation.
        (K::Subquery(k1, b1), K::Subquery(k2, b2)) => k1 == k2 && b1 == b2,
        (K::PatternSubquery(k1, p1, w1), K::PatternSubquery(k2, p2, w2)) => {
            k1 == k2
                && p1.len() == p2.len()
                && p1.iter().zip(p2).all(|(x, y)| same_part(x, y))
                && same_option(w1.as_deref(), w2.as_deref())
        }
        (K::Pattern(p1), K::Pattern(p2)) => same_part(p1, p2),
        (K::MapProjection(n1, i1), K::MapProjection(n2, i2)) => {
            n1.name == n2.name
                && i1.len() == i2.len()
                && i1.iter().zip(i2).all(|(x, y)| match (x, y) {
                    (MapProjectionItem::Property(a), MapProjectionItem::Property(b))
                    | (MapProjectionItem::Variable(a), MapProjectionItem::Variable(b)) => {
                        a.name == b.name
                    }
                    (MapProjectionItem::AllProperties, MapProjectionItem::AllProperties) => true,
                    (MapProjectionItem::Literal(k1, v1), MapProjectionItem::Literal(k2, v2)) => {
                        k1.name == k2.name && same(v1, v2)
                    }
                    _ => false,
                })
        }
        _ => false,
    }
}

fn all_same(a: &[Expr], b: &[Expr]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
}

fn same_option(a: Option<&Expr>, b: Option<&Expr>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => same(x, y),
        _ => false,
    }
}

fn same_name(a: Option<&Name>, b: Option<&Name>) -> bool {
    a.map(|n| &n.name) == b.map(|n| &n.name)
}

fn same_labels(a: &LabelExpr, b: &LabelExpr) -> bool {
    match (a, b) {
        (LabelExpr::Name(x), LabelExpr::Name(y)) => x.name == y.name,
        (LabelExpr::Wildcard(_), LabelExpr::Wildcard(_)) => true,
        (LabelExpr::Dynamic { expr: x, any: a1 }, LabelExpr::Dynamic { expr: y, any: a2 }) => {
            a1 == a2 && same(x, y)
        }
        (LabelExpr::Not(x), LabelExpr::Not(y)) => same_labels(x, y),
        (LabelExpr::And(x), LabelExpr::And(y)) | (LabelExpr::Or(x), LabelExpr::Or(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_labels(p, q))
        }
        _ => false,
    }
}

fn same_part(a: &PatternPart, b: &PatternPart) -> bool {
    same_name(a.variable.as_ref(), b.variable.as_ref())
        && a.selector == b.selector
        && a.elements.len() == b.elements.len()
        && a.elements
            .iter()
            .zip(&b.elements)
            .all(|(x, y)| same_element(x, y))
}

fn same_element(a: &PathElement, b: &PathElement) -> bool {
    let same_label_option = |x: Option<&LabelExpr>, y: Option<&LabelExpr>| match (x, y) {
        (None, None) => true,
        (Some(x), Some(y)) => same_labels(x, y),
        _ => false,
    };
    match (a, b) {
        (PathElement::Node(x), PathElement::Node(y)) => {
            same_name(x.variable.as_ref(), y.variable.as_ref())
                && same_label_option(x.labels.as_ref(), y.labels.as_ref())
                && same_option(x.properties.as_ref(), y.properties.as_ref())
                && same_option(x.predicate.as_ref(), y.predicate.as_ref())
        }
        (PathElement::Relationship(x), PathElement::Relationship(y)) => {
            same_name(x.variable.as_ref(), y.variable.as_ref())
                && x.direction == y.direction
                && x.length == y.length
                && x.quantifier == y.quantifier
                && same_label_option(x.types.as_ref(), y.types.as_ref())
                && same_option(x.properties.as_ref(), y.properties.as_ref())
                && same_option(x.predicate.as_ref(), y.predicate.as_ref())
        }
        (PathElement::Group(x), PathElement::Group(y)) => {
            same_part(&x.path, &y.path)
                && x.quantifier == y.quantifier
                && same_option(x.predicate.as_ref(), y.predicate.as_ref())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::same;
    use crate::ast::{ClauseKind, Expr, Statement};

    fn items(text: &str) -> Vec<Expr> {
        let Statement::Query(body) = crate::parser::parse(text, crate::parser::Limits::SHALLOW)
            .ok()
            .unwrap()
            .statement
        else {
            panic!("not a query")
        };
        let Some(ClauseKind::Return(projection)) = body.parts[0].clauses.last().map(|c| &c.kind)
        else {
            panic!("no RETURN")
        };
        projection.items.iter().map(|i| i.expr.clone()).collect()
    }

    #[test]
    fn positions_and_spacing_do_not_matter() {
        let e = items("RETURN n.a + count(*) AS x, n.a+count( * ) AS y, n.`a` + COUNT(*) AS z");
        assert!(same(&e[0], &e[1]));
        assert!(same(&e[0], &e[2]));
    }

    #[test]
    fn different_expressions_differ() {
        let e = items("RETURN n.a AS x, n.b AS y, [x IN l | x] AS z, [y IN l | y] AS w");
        assert!(!same(&e[0], &e[1]));
        assert!(!same(&e[2], &e[3]));
    }
}
