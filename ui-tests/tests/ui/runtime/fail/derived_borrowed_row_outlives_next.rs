use neo_runtime::RecordStream;

#[derive(neo_runtime::Record)]
struct Person<'a> {
    name: &'a str,
}

/// A derived row borrowed from the received batch cannot be kept across
/// the next read either.
async fn first_two(result: &mut RecordStream<'_>) -> neo_runtime::Result<()> {
    let first = result.next_borrowed_into::<Person<'_>>().await.transpose()?;
    let second = result.next_borrowed_into::<Person<'_>>().await.transpose()?;
    println!("{:?} {:?}", first.map(|p| p.name), second.map(|p| p.name));
    Ok(())
}

fn main() {
    let _ = first_two;
}
