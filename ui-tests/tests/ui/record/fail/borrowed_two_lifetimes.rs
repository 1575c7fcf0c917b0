/// A borrowed row borrows from one batch.
#[derive(neo_runtime::Record)]
struct Row<'a, 'b> {
    name: &'a str,
    city: &'b str,
}

fn main() {}
