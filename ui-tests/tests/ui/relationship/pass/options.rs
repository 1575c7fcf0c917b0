use neo_runtime::{FromRecord, FromValue, Relationship};

#[derive(Relationship)]
#[neo(rel_type = "KNOWS")]
struct Knows {
    #[neo(id)]
    id: i64,
    #[neo(element_id)]
    element_id: String,
    #[neo(rel_type)]
    rel_type: String,
    #[neo(start_id)]
    from: i64,
    #[neo(end_id)]
    to: i64,
    #[neo(start_element_id)]
    from_element: String,
    #[neo(end_element_id)]
    to_element: String,
    #[neo(rename = "since_year")]
    since: Option<i64>,
    #[neo(default)]
    weight: f64,
}

#[derive(Relationship)]
struct AnyRelationship {
    #[neo(rel_type)]
    rel_type: String,
}

fn assert_traits<T: FromRecord + FromValue>() {}

fn main() {
    assert_traits::<Knows>();
    assert_traits::<AnyRelationship>();
}
