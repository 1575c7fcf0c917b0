use neo_runtime::Record;

#[derive(Record)]
struct Row {
    #[neo(rename = 1)]
    name: String,
    #[neo(default = true)]
    age: i64,
    #[neo(rename)]
    city: String,
}

fn main() {}
