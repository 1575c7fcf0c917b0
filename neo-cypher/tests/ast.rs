//! The shape of the syntax tree: precedence, patterns, quantifiers and
//! clause structure.

use neo_cypher::ast::*;
use neo_cypher::parse;

fn clauses(text: &str) -> Vec<ClauseKind> {
    match parse(text).unwrap().statement() {
        Statement::Query(body) => body.parts[0]
            .clauses
            .iter()
            .map(|c| c.kind.clone())
            .collect(),
        Statement::Command(c) => panic!("command {c:?}"),
    }
}

fn return_expr(text: &str) -> ExprKind {
    match clauses(text).pop() {
        Some(ClauseKind::Return(projection)) => projection.items[0].expr.kind.clone(),
        other => panic!("{other:?}"),
    }
}

fn match_elements(text: &str) -> Vec<PathElement> {
    match &clauses(text)[0] {
        ClauseKind::Match { patterns, .. } => patterns[0].elements.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn multiplication_binds_tighter_than_addition() {
    let ExprKind::Binary(BinaryOp::Add, lhs, rhs) = return_expr("RETURN 1 + 2 * 3") else {
        panic!()
    };
    assert_eq!(lhs.kind, ExprKind::Integer(1));
    assert!(matches!(rhs.kind, ExprKind::Binary(BinaryOp::Mul, _, _)));
}

#[test]
fn and_binds_tighter_than_or_and_not_tighter_than_and() {
    let ExprKind::Binary(BinaryOp::Or, _, rhs) =
        return_expr("WITH true AS a, true AS b, true AS c RETURN a OR NOT b AND c")
    else {
        panic!()
    };
    let ExprKind::Binary(BinaryOp::And, lhs, _) = rhs.kind else {
        panic!()
    };
    assert!(matches!(lhs.kind, ExprKind::Unary(UnaryOp::Not, _)));
}

#[test]
fn a_parenthesised_comparison_with_a_null_test_is_an_expression() {
    // `(a = (b IS NULL))` reads like a path group `(p = (n IS Label))`, but a
    // group with neither a relationship nor a quantifier is no pattern.
    let ExprKind::Binary(BinaryOp::Eq, _, rhs) =
        return_expr("WITH 1 AS a, 2 AS b RETURN (a = (b IS NULL))")
    else {
        panic!()
    };
    assert!(matches!(rhs.kind, ExprKind::IsNull(_, false)));
    let Some(ClauseKind::Match { predicate, .. }) =
        clauses("MATCH (b), (c) WITH b, c MATCH (b) WHERE (a = (b)-->(c)) RETURN b")
            .into_iter()
            .nth(2)
    else {
        panic!()
    };
    // With a relationship, the same text is a path pattern assigned to `a`.
    assert!(matches!(
        predicate.map(|e| e.kind),
        Some(ExprKind::Pattern(_))
    ));
}

#[test]
fn literals_are_decoded() {
    assert_eq!(return_expr("RETURN 0x1F"), ExprKind::Integer(31));
    assert_eq!(return_expr("RETURN 0o17"), ExprKind::Integer(15));
    assert_eq!(return_expr("RETURN 1_000"), ExprKind::Integer(1000));
    assert_eq!(
        return_expr("RETURN -9223372036854775808"),
        ExprKind::Integer(i64::MIN)
    );
    assert_eq!(return_expr("RETURN 2.5e-1"), ExprKind::Float(0.25));
    assert_eq!(
        return_expr(r"RETURN 'it\'s'"),
        ExprKind::String("it's".to_owned())
    );
}

#[test]
fn relationship_directions_and_lengths_are_recorded() {
    let elements = match_elements("MATCH (a)<-[r:R*2..5]-(b)-->(c)--(d) RETURN a");
    let directions: Vec<Direction> = elements
        .iter()
        .filter_map(|e| match e {
            PathElement::Relationship(r) => Some(r.direction),
            _ => None,
        })
        .collect();
    assert_eq!(
        directions,
        [Direction::Left, Direction::Right, Direction::Both]
    );
    let PathElement::Relationship(first) = &elements[1] else {
        panic!()
    };
    assert_eq!(first.length, Some((Some(2), Some(5))));
    assert_eq!(first.variable.as_ref().unwrap().name, "r");
}

#[test]
fn quantified_groups_keep_their_bounds() {
    let elements = match_elements("MATCH (a)((x)-[:R]->(y)){1,3}(b)((p)-->(q))+ RETURN a");
    let quantifiers: Vec<Quantifier> = elements
        .iter()
        .filter_map(|e| match e {
            PathElement::Group(g) => g.quantifier,
            _ => None,
        })
        .collect();
    assert_eq!(
        quantifiers,
        [
            Quantifier {
                min: Some(1),
                max: Some(3)
            },
            Quantifier {
                min: Some(1),
                max: None
            }
        ]
    );
}

#[test]
fn label_expressions_keep_their_structure() {
    let elements = match_elements("MATCH (n:(A|B)&!C) RETURN n");
    let PathElement::Node(node) = &elements[0] else {
        panic!()
    };
    let Some(LabelExpr::And(terms)) = &node.labels else {
        panic!("{:?}", node.labels)
    };
    assert!(matches!(&terms[0], LabelExpr::Or(alternatives) if alternatives.len() == 2));
    assert!(matches!(&terms[1], LabelExpr::Not(_)));
}

#[test]
fn pattern_predicates_and_comprehensions_are_recognised() {
    let ExprKind::Unary(UnaryOp::Not, predicate) =
        return_expr("MATCH (a), (b) RETURN NOT (a)-->(b)")
    else {
        panic!()
    };
    assert!(matches!(predicate.kind, ExprKind::Pattern(_)));
    assert!(matches!(return_expr("WITH 1 AS a RETURN (a)"), ExprKind::Variable(v) if v == "a"));
    assert!(matches!(
        return_expr("RETURN [(a)-->(b) | b]"),
        ExprKind::PatternComprehension { .. }
    ));
    assert!(matches!(
        return_expr("WITH [] AS l RETURN [x IN l | x]"),
        ExprKind::ListComprehension { .. }
    ));
    assert!(matches!(return_expr("RETURN [(1), 2]"), ExprKind::List(items) if items.len() == 2));
    assert!(matches!(
        return_expr("RETURN COUNT { (a)-->() }"),
        ExprKind::PatternSubquery(SubqueryKind::Count, _, None)
    ));
    assert!(matches!(
        return_expr("RETURN COLLECT { MATCH (a) RETURN a }"),
        ExprKind::Subquery(SubqueryKind::Collect, _)
    ));
}

#[test]
fn subquery_transactions_are_parsed() {
    let kinds = clauses(
        "UNWIND $r AS r CALL (r) { CREATE (:X {v: r}) } IN 2 CONCURRENT TRANSACTIONS OF 10 ROWS ON ERROR CONTINUE",
    );
    let ClauseKind::Subquery {
        scope,
        in_transactions: Some(tx),
        ..
    } = &kinds[1]
    else {
        panic!()
    };
    assert_eq!(scope.as_ref().unwrap()[0].name, "r");
    assert!(tx.concurrency.is_some());
    assert_eq!(tx.batch_size.as_ref().unwrap().kind, ExprKind::Integer(10));
    assert_eq!(tx.on_error.as_deref(), Some("CONTINUE"));
}

#[test]
fn schema_commands_are_typed() {
    let query =
        parse("CREATE CONSTRAINT c IF NOT EXISTS FOR (p:Person) REQUIRE p.age IS :: INTEGER")
            .unwrap();
    let Statement::Command(command) = query.statement() else {
        panic!()
    };
    let CommandKind::CreateConstraint(definition) = &command.kind else {
        panic!()
    };
    assert_eq!(definition.name.as_ref().unwrap().name, "c");
    assert!(definition.if_not_exists);
    assert_eq!(definition.target.names[0].name, "Person");
    assert_eq!(definition.rule, ":: INTEGER");
}
