use std::collections::{BTreeMap, HashMap};

use neo_runtime::{FromRecord, FromValue, Node, Record, Value};

#[derive(Node)]
#[neo(label = "Person")]
struct Person {
    name: String,
}

#[derive(Record)]
struct Inner {
    total: i64,
}

#[derive(Record)]
struct Row {
    person: Person,
    people: Vec<Person>,
    #[neo(rename = "friendCount")]
    friends: i64,
    #[neo(default)]
    tags: Vec<String>,
    nickname: Option<String>,
    scores: BTreeMap<String, f64>,
    counts: HashMap<String, u32>,
    inner: Inner,
    anything: Value,
    #[neo(serde)]
    mood: Mood,
    #[neo(serde, default, rename = "pastMoods")]
    past: Vec<Mood>,
}

#[derive(serde::Deserialize)]
enum Mood {
    Happy,
}

#[derive(Record)]
struct Generic<T> {
    value: T,
}

mod reexport {
    pub use neo_runtime::*;
}

#[derive(Record)]
#[neo(crate = "crate::reexport")]
struct Renamed {
    x: i64,
}

fn assert_traits<T: FromRecord + FromValue>() {}

fn main() {
    assert_traits::<Row>();
    assert_traits::<Generic<i64>>();
    assert_traits::<Renamed>();
    let inner = Inner::from_value(Value::Map([("total".to_owned(), Value::from(2))].into()));
    assert_eq!(inner.map(|i| i.total).ok(), Some(2));
}
