use neo_runtime::Session;

#[neo_runtime::test(fixtures("broken"))]
async fn does_not_parse(_session: Session) {}

#[neo_runtime::test(fixtures("empty"))]
async fn holds_nothing(_session: Session) {}

fn main() {}
