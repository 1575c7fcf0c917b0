use neo_runtime::Driver;

#[neo_runtime::test]
fn not_async(_driver: Driver) {}

fn main() {}
