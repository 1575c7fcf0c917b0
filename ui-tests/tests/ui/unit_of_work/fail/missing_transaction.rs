use neo_runtime::{Result, unit_of_work};

#[unit_of_work(read)]
async fn f() -> Result<()> {
    Ok(())
}

fn main() {}
