//! Administration commands on the `system` database: `CREATE DATABASE`,
//! `DROP DATABASE` and `SHOW DATABASES`.

use neo_bolt::ServerError;
use neo_bolt::packstream::{Map, Value};

use super::results::ResultStream;
use crate::engine::{DEFAULT_DATABASE, GraphEngine, SYSTEM_DATABASE};

/// An administration command, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Command {
    Create { name: String, if_not_exists: bool },
    Drop { name: String, if_exists: bool },
    Show { name: Option<String> },
}

impl Command {
    /// Whether the command changes the catalogue (and so needs a leader).
    pub(crate) fn writes(&self) -> bool {
        !matches!(self, Command::Show { .. })
    }
}

/// Recognises an administration command; anything else is `None` and runs
/// as Cypher.
pub(crate) fn parse(query: &str) -> Option<Command> {
    let query = query.trim().trim_end_matches(';');
    let words: Vec<&str> = query.split_whitespace().collect();
    let upper: Vec<String> = words.iter().map(|w| w.to_ascii_uppercase()).collect();
    let upper: Vec<&str> = upper.iter().map(String::as_str).collect();
    let has = |tail: &[&str], phrase: &[&str]| tail.windows(phrase.len()).any(|w| w == phrase);
    match upper.as_slice() {
        ["CREATE", "DATABASE", _, tail @ ..] => Some(Command::Create {
            name: unquote(words[2]),
            if_not_exists: has(tail, &["IF", "NOT", "EXISTS"]),
        }),
        ["CREATE", "OR", "REPLACE", "DATABASE", _, ..] => Some(Command::Create {
            name: unquote(words[4]),
            if_not_exists: true,
        }),
        ["DROP", "DATABASE", _, tail @ ..] => Some(Command::Drop {
            name: unquote(words[2]),
            if_exists: has(tail, &["IF", "EXISTS"]),
        }),
        ["SHOW", "DATABASES", ..] => Some(Command::Show { name: None }),
        ["SHOW", "DATABASE", _, ..] => Some(Command::Show {
            name: Some(unquote(words[2])),
        }),
        ["SHOW", "DEFAULT" | "HOME", "DATABASE", ..] => Some(Command::Show {
            name: Some(DEFAULT_DATABASE.to_owned()),
        }),
        _ => None,
    }
}

fn unquote(name: &str) -> String {
    name.trim_matches('`').to_owned()
}

/// Runs a command against the engine's catalogue. `advertised` is the
/// server's `host:port`, shown in `SHOW DATABASES`.
pub(crate) fn run(
    engine: &dyn GraphEngine,
    command: &Command,
    advertised: &str,
) -> Result<ResultStream, ServerError> {
    let exists = |name: &str| {
        engine
            .databases()
            .iter()
            .any(|db| db.eq_ignore_ascii_case(name))
    };
    match command {
        Command::Create {
            name,
            if_not_exists,
        } => {
            if *if_not_exists && exists(name) {
                return Ok(ResultStream::system(0));
            }
            engine
                .create_database(name)
                .map_err(|e| ServerError::new(e.code, e.message))?;
            Ok(ResultStream::system(1))
        }
        Command::Drop { name, if_exists } => {
            if *if_exists && !exists(name) {
                return Ok(ResultStream::system(0));
            }
            engine
                .drop_database(name)
                .map_err(|e| ServerError::new(e.code, e.message))?;
            Ok(ResultStream::system(1))
        }
        Command::Show { name } => {
            let fields = [
                "name",
                "type",
                "aliases",
                "access",
                "address",
                "role",
                "writer",
                "requestedStatus",
                "currentStatus",
                "statusMessage",
                "default",
                "home",
                "constituents",
            ];
            let rows = engine
                .databases()
                .into_iter()
                .filter(|db| name.as_deref().is_none_or(|n| db.eq_ignore_ascii_case(n)))
                .map(|db| {
                    let default = db == DEFAULT_DATABASE;
                    let kind = if db == SYSTEM_DATABASE {
                        "system"
                    } else {
                        "standard"
                    };
                    vec![
                        Value::from(db.as_str()),
                        Value::from(kind),
                        Value::List(Vec::new()),
                        Value::from("read-write"),
                        Value::from(advertised),
                        Value::from("primary"),
                        Value::Boolean(true),
                        Value::from("online"),
                        Value::from("online"),
                        Value::from(""),
                        Value::Boolean(default),
                        Value::Boolean(default),
                        Value::List(Vec::new()),
                    ]
                })
                .collect();
            Ok(ResultStream::new(
                fields.iter().map(|f| (*f).to_owned()).collect(),
                rows,
                Map::new(),
                "r",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_database_commands() {
        assert_eq!(
            parse("CREATE DATABASE sales IF NOT EXISTS;"),
            Some(Command::Create {
                name: "sales".into(),
                if_not_exists: true
            })
        );
        assert_eq!(
            parse("drop database `sales` if exists wait"),
            Some(Command::Drop {
                name: "sales".into(),
                if_exists: true
            })
        );
        assert_eq!(parse("SHOW DATABASES"), Some(Command::Show { name: None }));
        assert_eq!(parse("MATCH (n) RETURN n"), None);
        assert_eq!(parse("CREATE (n:DATABASE)"), None);
    }
}
