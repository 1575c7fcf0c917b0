//! Deeply nested queries: accepted up to a generous depth, rejected beyond
//! it with an error, and never overflowing a small thread stack.

use neo_cypher::parse;

/// Realistic nesting depths parse.
#[test]
fn moderate_nesting_is_accepted() {
    for depth in [1, 10, 20] {
        let parens = format!("RETURN {}1{} AS x", "(".repeat(depth), ")".repeat(depth));
        assert!(parse(&parens).is_ok(), "{parens}");
        let lists = format!("RETURN {}1{} AS x", "[".repeat(depth), "]".repeat(depth));
        assert!(parse(&lists).is_ok(), "{lists}");
        let maps = format!("RETURN {}1{} AS x", "{a: ".repeat(depth), "}".repeat(depth));
        assert!(parse(&maps).is_ok(), "{maps}");
        let exists = format!(
            "MATCH (n) WHERE {}true{} RETURN n",
            "EXISTS { MATCH (n) WHERE ".repeat(depth / 2),
            " }".repeat(depth / 2)
        );
        assert!(parse(&exists).is_ok(), "{exists}");
    }
}

/// Every nesting shape stops at the depth limit well within a 1 MiB stack,
/// less than the stack rustc gives procedural macros.
#[test]
fn pathological_nesting_fits_a_small_stack() {
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
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
                for depth in [30, 100, 1000] {
                    let text = format!("RETURN {} +", unit.repeat(depth));
                    assert!(parse(&text).is_err(), "{text}");
                }
            }
        })
        .unwrap();
    handle.join().unwrap();
}
