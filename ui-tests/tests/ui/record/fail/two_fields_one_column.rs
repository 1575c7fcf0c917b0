use neo_runtime::Record;

#[derive(Record)]
struct Person {
    name: String,
    #[neo(rename = "name")]
    also_name: String,
}

fn main() {}
