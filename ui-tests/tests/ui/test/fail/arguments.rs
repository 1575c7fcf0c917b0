use neo_runtime::{Driver, Session};

#[neo_runtime::test]
async fn a_string(_name: String) {}

#[neo_runtime::test]
async fn a_borrowed_driver(_driver: &Driver) {}

#[neo_runtime::test]
async fn two(_driver: Driver, _session: Session) {}

#[neo_runtime::test]
async fn generic<T>(_value: T) {}

fn main() {}
