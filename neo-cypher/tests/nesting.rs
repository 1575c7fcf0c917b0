//! Deeply nested queries: accepted up to a generous depth, rejected beyond
//! it with an error, and never overflowing a small thread stack — neither
//! while parsing and analysing nor while dropping the tree.

use neo_cypher::{ErrorDetail, parse};

/// Runs `f` on a thread with a 1 MiB stack, less than the stack rustc
/// gives procedural macros.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

/// A valid query nesting one construct: its name, how to build it `n`
/// levels deep, and how deep it is accepted (subqueries and clauses nested
/// in clauses cost several levels each).
struct Shape {
    name: &'static str,
    build: fn(usize) -> String,
    accepted_up_to: usize,
}

const SHAPES: &[Shape] = &[
    Shape {
        name: "parentheses",
        build: |n| format!("RETURN {}1{} AS x", "(".repeat(n), ")".repeat(n)),
        accepted_up_to: 250,
    },
    Shape {
        name: "lists",
        build: |n| format!("RETURN {}1{} AS x", "[".repeat(n), "]".repeat(n)),
        accepted_up_to: 250,
    },
    Shape {
        name: "maps",
        build: |n| format!("RETURN {}1{} AS x", "{a: ".repeat(n), "}".repeat(n)),
        accepted_up_to: 250,
    },
    Shape {
        name: "maps of lists",
        build: |n| format!("RETURN {}1{} AS x", "{a: [".repeat(n), "]}".repeat(n)),
        accepted_up_to: 125,
    },
    Shape {
        name: "NOT",
        build: |n| format!("RETURN {}true AS x", "NOT ".repeat(n)),
        accepted_up_to: 250,
    },
    Shape {
        name: "CASE",
        build: |n| {
            format!(
                "RETURN {}1{} AS x",
                "CASE WHEN true THEN ".repeat(n),
                " END".repeat(n)
            )
        },
        accepted_up_to: 120,
    },
    Shape {
        name: "list comprehensions",
        build: |n| format!("RETURN {}[1]{} AS x", "[x IN ".repeat(n), " | x]".repeat(n)),
        accepted_up_to: 250,
    },
    Shape {
        name: "label expressions",
        build: |n| {
            format!(
                "MATCH (n) RETURN n:{}A{} AS x",
                "(".repeat(n),
                ")".repeat(n)
            )
        },
        accepted_up_to: 250,
    },
    Shape {
        name: "EXISTS subqueries",
        build: |n| {
            format!(
                "MATCH (n) WHERE {}true{} RETURN n",
                "EXISTS { MATCH (n) WHERE ".repeat(n),
                " }".repeat(n)
            )
        },
        accepted_up_to: 60,
    },
    Shape {
        name: "CALL subqueries",
        build: |n| {
            format!(
                "{}RETURN 1 AS x{}",
                "CALL { ".repeat(n),
                " } RETURN x".repeat(n)
            )
        },
        accepted_up_to: 60,
    },
    Shape {
        name: "pattern comprehensions",
        build: |n| {
            format!(
                "RETURN {}1{} AS x",
                "[(a)-->(b {x: ".repeat(n),
                "}) | b]".repeat(n)
            )
        },
        accepted_up_to: 60,
    },
    Shape {
        name: "FOREACH",
        build: |n| {
            format!(
                "{}CREATE (){}",
                "FOREACH (x IN [1] | ".repeat(n),
                ")".repeat(n)
            )
        },
        accepted_up_to: 60,
    },
];

/// Realistic and generous nesting depths parse, on a small stack.
#[test]
fn deep_nesting_is_accepted() {
    on_small_stack(|| {
        for shape in SHAPES {
            for depth in [1, 10, 20, 31, 32, 33, 40, 41, 100, 250] {
                if depth > shape.accepted_up_to {
                    continue;
                }
                let text = (shape.build)(depth);
                if let Err(error) = parse(&text) {
                    panic!("{} x {depth}: {}", shape.name, error.message);
                }
            }
        }
    });
}

/// Beyond the limit, a clear error.
#[test]
fn nesting_beyond_the_limit_is_refused() {
    on_small_stack(|| {
        for shape in SHAPES {
            for depth in [300, 1000, 20_000] {
                let text = (shape.build)(depth);
                let Err(error) = parse(&text) else {
                    panic!("{} x {depth} accepted", shape.name);
                };
                assert_eq!(
                    error.detail(),
                    ErrorDetail::NestingTooDeep,
                    "{}",
                    shape.name
                );
                assert!(
                    error
                        .message
                        .starts_with("the query nests too deeply (more than 256 levels"),
                    "{}",
                    error.message
                );
            }
        }
    });
}

/// Long chains of operators build deep trees without nesting brackets:
/// they are bounded too.
#[test]
fn operator_chains_are_bounded() {
    on_small_stack(|| {
        for (unit, prefix) in [
            (" + 1", "RETURN 1"),
            (" OR true", "RETURN true"),
            (".a", "WITH {} AS n RETURN n"),
            ("[0]", "WITH [] AS n RETURN n"),
            (" IS NOT NULL", "RETURN 1"),
        ] {
            for length in [10, 149, 150, 151, 1000, 1990] {
                let text = format!("{prefix}{} AS x", unit.repeat(length));
                if let Err(error) = parse(&text) {
                    panic!("{unit:?} x {length}: {}", error.message);
                }
            }
            let text = format!("{prefix}{} AS x", unit.repeat(100_000));
            let error = parse(&text)
                .err()
                .unwrap_or_else(|| panic!("{unit:?} accepted"));
            assert_eq!(error.detail(), ErrorDetail::NestingTooDeep, "{unit:?}");
        }
    });
}

/// Every nesting shape stops at the depth limit well within a 1 MiB stack.
#[test]
fn pathological_nesting_fits_a_small_stack() {
    on_small_stack(|| {
        for unit in [
            "(",
            "[",
            "{a: ",
            "-",
            "NOT ",
            "[x IN ",
            "CASE WHEN ",
            "EXISTS { MATCH (n) WHERE ",
            "CALL { ",
            "(a {b: ",
            "[(a)-->(b {x: ",
            "((a)-->(",
            "FOREACH (x IN [] | ",
            "n:(",
            "reduce(a = ",
            "all(x IN ",
            "{a: (",
            "[({a: ",
            "COUNT { (a WHERE ",
        ] {
            for depth in [30, 100, 1000, 10_000] {
                let text = format!("RETURN {} +", unit.repeat(depth));
                assert!(parse(&text).is_err(), "{text}");
            }
        }
    });
}
