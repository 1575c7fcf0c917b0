//! Runs every ui case: `pass/` cases must compile, `fail/` cases must fail
//! with exactly the diagnostics in their `.stderr` file.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    for group in [
        "unit_of_work",
        "record",
        "node",
        "relationship",
        "queries",
        "queries_schema",
    ] {
        cases.pass(format!("tests/ui/{group}/pass/*.rs"));
        cases.compile_fail(format!("tests/ui/{group}/fail/*.rs"));
    }
    // Misuse of the driver's API that the types rule out.
    cases.compile_fail("tests/ui/runtime/fail/*.rs");
    // `#[neo_runtime::test]` with neo-runtime's `testing` feature, or the
    // error that says to enable it.
    if cfg!(feature = "testing") {
        cases.pass("tests/ui/test/pass/*.rs");
        cases.compile_fail("tests/ui/test/fail/*.rs");
    } else {
        cases.compile_fail("tests/ui/test_without_feature/fail/*.rs");
    }
}
