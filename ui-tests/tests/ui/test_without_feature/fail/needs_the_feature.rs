use neo_runtime::Driver;

#[neo_runtime::test]
async fn with_a_driver(_driver: Driver) {}

#[neo_runtime::test]
async fn with_nothing() {}

fn main() {}
