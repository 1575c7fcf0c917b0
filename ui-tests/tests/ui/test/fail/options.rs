use neo_runtime::Driver;

#[neo_runtime::test(fixture("people"))]
async fn misspelled(_driver: Driver) {}

#[neo_runtime::test(fixtures("people", people), timeout = 1)]
async fn not_a_string(_driver: Driver) {}

#[neo_runtime::test(fixtures = "people")]
async fn not_a_list(_driver: Driver) {}

#[neo_runtime::test(fixtures("people", "people"), fixtures())]
async fn twice(_driver: Driver) {}

#[neo_runtime::test]
#[test]
async fn marked_twice(_driver: Driver) {}

fn main() {}
