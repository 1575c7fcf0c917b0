use neo_runtime::Session;

#[neo_runtime::test(fixtures("people", "movies"))]
async fn missing(_session: Session) {}

fn main() {}
