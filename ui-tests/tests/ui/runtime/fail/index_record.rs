use neo_runtime::Record;

/// A record is read with `get`, which returns a `Result`, not with `[…]`.
fn name(record: &Record) -> String {
    record["a.name"].to_string()
}

fn main() {
    let _ = name;
}
