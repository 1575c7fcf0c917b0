use neo_runtime::{Driver, Session};

#[neo_runtime::test]
async fn takes_a_driver(driver: Driver) {
    driver.verify_connectivity().await.unwrap();
}

#[neo_runtime::test]
async fn takes_a_session(mut session: Session) -> neo_runtime::Result<()> {
    session.run("RETURN 1").await?.consume().await?;
    Ok(())
}

#[neo_runtime::test]
async fn takes_nothing() -> Result<(), String> {
    Ok(())
}

/// Doc comments, `ignore` and `should_panic` stay on the test.
#[neo_runtime::test(fixtures("people", "knows"))]
#[ignore]
#[should_panic]
async fn fixtures_in_order(_session: Session) {
    panic!("expected");
}

#[neo_runtime::test(
    fixtures("people"),
    schema = "../../../../ui-tests/tests/ui/queries_schema/schemas/neo-schema.toml",
    crate = "neo_runtime"
)]
async fn fixtures_checked_against_a_schema(_driver: Driver) {}

fn main() {}
