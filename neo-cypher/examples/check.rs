//! Parses each argument (or each blank-line-separated entry of stdin) and
//! prints the analyses or the rendered error.

use std::io::Read;

fn main() {
    let mut inputs: Vec<String> = std::env::args().skip(1).collect();
    if inputs.is_empty() {
        let mut text = String::new();
        if std::io::stdin().read_to_string(&mut text).is_ok() {
            inputs = text.split("\n\n").map(str::to_owned).collect();
        }
    }
    for input in inputs.iter().filter(|i| !i.trim().is_empty()) {
        match neo_cypher::parse(input) {
            Ok(query) => {
                let parameters: Vec<&str> =
                    query.parameters().iter().map(|p| p.name.as_str()).collect();
                println!(
                    "ok: columns={:?} params={parameters:?} read_only={}",
                    query
                        .returned_columns()
                        .map(|c| c.names().map(|n| n.join(","))),
                    query.is_read_only()
                );
            }
            Err(error) => println!("{}\n", error.render(input)),
        }
    }
}
