use neo_runtime::{FromRecord, FromValue, Node};

#[derive(Node)]
#[neo(label = "Person", label = "Employee")]
struct Employee {
    #[neo(id)]
    id: i64,
    #[neo(element_id)]
    element_id: String,
    #[neo(labels)]
    other_labels: Vec<String>,
    #[neo(rename = "fullName")]
    name: String,
    #[neo(default)]
    salary: f64,
    manager: Option<String>,
}

#[derive(Node)]
struct Anything {
    #[neo(id)]
    id: Option<i64>,
}

fn assert_traits<T: FromRecord + FromValue>() {}

fn main() {
    assert_traits::<Employee>();
    assert_traits::<Anything>();
}
