use neo_runtime::{FromValue, RecordStream, Value};

struct Person {
    name: String,
}

/// Neither trait is implemented: the errors say what to derive.
async fn read(mut result: RecordStream<'_>) -> neo_runtime::Result<()> {
    let person = <Person as FromValue>::from_value(Value::Null)?;
    let _ = person.name;
    let _row = result.next_into::<Person>().await;
    Ok(())
}

fn main() {
    let _ = read;
}
