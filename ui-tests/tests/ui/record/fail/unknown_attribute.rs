use neo_runtime::Record;

#[derive(Record)]
#[neo(label = "Person")]
struct Row {
    #[neo(renam = "x")]
    name: String,
    #[neo(id)]
    id: i64,
}

fn main() {}
