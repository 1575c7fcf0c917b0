//! `neo-schema`: writes a database's schema to `neo-schema.toml` (see
//! `neo-schema --help`).

mod cli;

use std::io::Write;
use std::process::ExitCode;

use neo_schema::ExportError;

use crate::cli::{Command, USAGE, parse_args};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "neo-schema: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}

fn run() -> Result<(), ExportError> {
    let (options, output) =
        match parse_args(std::env::args().skip(1), |name| std::env::var(name).ok())? {
            Command::Help => {
                let _ = std::io::stdout().write_all(USAGE.as_bytes());
                return Ok(());
            }
            Command::Export { options, output } => (options, output),
        };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ExportError::Usage(format!("cannot start the async runtime: {e}")))?;
    let exported = runtime.block_on(neo_schema::export(&options))?;
    let text = exported.to_toml();
    match output {
        Some(path) => {
            std::fs::write(&path, text).map_err(|source| ExportError::Write {
                path: path.clone(),
                source,
            })?;
            let _ = writeln!(
                std::io::stderr(),
                "neo-schema: wrote {} labels and {} relationship types to {}",
                exported.schema.nodes.len(),
                exported.schema.relationships.len(),
                path.display()
            );
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|source| ExportError::Write {
                    path: "standard output".into(),
                    source,
                })?;
        }
    }
    Ok(())
}
