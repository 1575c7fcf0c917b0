//! The command line of the `neo-schema` binary (a module of `main.rs`, not
//! of the library).

use std::path::PathBuf;

use neo_schema::{ExportError, ExportOptions};

/// The `--help` text.
pub(crate) const USAGE: &str = "\
neo-schema: writes the labels, relationship types and property types of a
Neo4j database to neo-schema.toml, the file checked queries read at compile time.

usage: neo-schema [--uri URI] [--user USER] [--password PASSWORD]
                  [--database NAME] [--output FILE]

  --uri URI            the server (default bolt://localhost:7687, or NEO4J_URI)
  --user USER          the user name (default neo4j, or NEO4J_USER)
  --password PASSWORD  the password (or NEO4J_PASSWORD, which keeps it out of
                       the process list)
  --database NAME      the database to read (default neo4j)
  --output FILE        where to write the file (default: standard output)
  -h, --help           this text

exit codes: 0 done, 1 the export failed, 2 bad arguments or URI,
            3 the server cannot be reached, 4 authentication failed
";

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Command {
    /// Print [`USAGE`].
    Help,
    /// Export the schema.
    Export {
        /// Where to read it from.
        options: ExportOptions,
        /// Where to write it; standard output when `None`.
        output: Option<PathBuf>,
    },
}

/// Parses the arguments (without the program name); `env` looks up
/// `NEO4J_URI`, `NEO4J_USER` and `NEO4J_PASSWORD`, which the options
/// override. Options take their value as the next argument or after `=`.
pub(crate) fn parse_args(
    args: impl IntoIterator<Item = String>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Command, ExportError> {
    let mut uri = None;
    let mut user = None;
    let mut password = None;
    let mut database = None;
    let mut output = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" {
            return Ok(Command::Help);
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg, None),
        };
        let slot = match flag.as_str() {
            "--uri" => &mut uri,
            "--user" => &mut user,
            "--password" => &mut password,
            "--database" => &mut database,
            "--output" => &mut output,
            // A stray value is not echoed: it may be a misplaced password.
            other if !other.starts_with('-') => {
                return Err(ExportError::Usage(
                    "unexpected argument that is not an option; see --help".to_owned(),
                ));
            }
            other => {
                return Err(ExportError::Usage(format!(
                    "unknown option `{other}`; see --help"
                )));
            }
        };
        match inline.or_else(|| args.next()) {
            Some(value) if !value.is_empty() => *slot = Some(value),
            _ => return Err(ExportError::Usage(format!("{flag} needs a value"))),
        }
    }
    let uri = uri
        .or_else(|| env("NEO4J_URI"))
        .unwrap_or_else(|| "bolt://localhost:7687".to_owned());
    let user = user.or_else(|| env("NEO4J_USER"));
    let password = password.or_else(|| env("NEO4J_PASSWORD"));
    let mut options = ExportOptions::new(uri);
    if let Some(user) = user {
        options = options.with_user(user);
    }
    if let Some(password) = password {
        options = options.with_password(password);
    }
    if let Some(database) = database {
        options = options.with_database(database);
    }
    Ok(Command::Export {
        options,
        output: output.map(PathBuf::from),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, ExportError> {
        parse_args(args.iter().map(|a| (*a).to_owned()), |_| None)
    }

    #[test]
    fn every_option_is_read() {
        let command = parse(&[
            "--uri",
            "bolt://h:1",
            "--user=ann",
            "--password",
            "pw",
            "--database",
            "movies",
            "--output",
            "out.toml",
        ])
        .unwrap();
        let expected = ExportOptions::new("bolt://h:1")
            .with_auth("ann", "pw")
            .with_database("movies");
        assert_eq!(
            command,
            Command::Export {
                options: expected,
                output: Some(PathBuf::from("out.toml"))
            }
        );
    }

    #[test]
    fn values_come_after_an_equals_sign_or_as_the_next_argument() {
        let args = ["--uri", "bolt://db:7687", "--output=schema.toml"].map(String::from);
        let env = |name: &str| (name == "NEO4J_PASSWORD").then(|| "secret".to_owned());
        let command = parse_args(args, env).unwrap();
        let expected = ExportOptions::new("bolt://db:7687").with_password("secret");
        assert_eq!(
            command,
            Command::Export {
                options: expected,
                output: Some(PathBuf::from("schema.toml"))
            }
        );
    }

    #[test]
    fn the_environment_fills_what_the_options_leave_out() {
        let env = |name: &str| match name {
            "NEO4J_USER" => Some("env-user".to_owned()),
            "NEO4J_PASSWORD" => Some("env-pw".to_owned()),
            "NEO4J_URI" => Some("bolt://env:2".to_owned()),
            _ => None,
        };
        let command = parse_args(["--user".to_owned(), "cli-user".to_owned()], env).unwrap();
        let expected = ExportOptions::new("bolt://env:2").with_auth("cli-user", "env-pw");
        assert_eq!(
            command,
            Command::Export {
                options: expected,
                output: None
            }
        );
    }

    #[test]
    fn help_and_mistakes() {
        assert_eq!(parse(&["--uri", "x", "--help"]).unwrap(), Command::Help);
        for wrong in [
            &["--uri"][..],
            &["--database="],
            &["--frobnicate", "1"],
            &["stray"],
        ] {
            let err = parse(wrong).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{wrong:?}: {err}");
        }
    }
}
