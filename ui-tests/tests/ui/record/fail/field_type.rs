use neo_runtime::Record;

struct Opaque;

#[derive(Record)]
struct Row {
    name: String,
    handle: Opaque,
}

fn main() {}
