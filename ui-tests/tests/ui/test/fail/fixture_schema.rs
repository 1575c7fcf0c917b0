use neo_runtime::Session;

#[neo_runtime::test(
    fixtures("people"),
    schema = "../../../../ui-tests/tests/ui/queries_schema/schemas/neo-schema.toml"
)]
async fn unknown_label(_session: Session) {}

fn main() {}
