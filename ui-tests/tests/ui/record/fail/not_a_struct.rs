use neo_runtime::Record;

#[derive(Record)]
struct Pair(i64, i64);

#[derive(Record)]
enum Shape {
    Circle,
}

fn main() {
    let _ = (Pair(1, 2), Shape::Circle);
}
