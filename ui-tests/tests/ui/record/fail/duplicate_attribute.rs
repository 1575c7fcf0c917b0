use neo_runtime::Record;

#[derive(Record)]
#[neo(crate = "neo_runtime", crate = "neo_runtime")]
struct Row {
    #[neo(rename = "a", rename = "b")]
    name: String,
    #[neo(default)]
    #[neo(default)]
    age: i64,
}

fn main() {}
