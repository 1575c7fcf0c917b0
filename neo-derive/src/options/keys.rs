//! The options each attribute takes, by name, and the messages about
//! options given to the wrong attribute or not at all.

/// The attribute whose options are read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Attribute {
    /// `#[unit_of_work(…)]`.
    UnitOfWork,
    /// `#[query(…)]` on a declaration of a `#[queries]` module.
    Query,
    /// `#[queries(…)]` on the module.
    Queries,
    /// `#[neo_runtime::test(…)]` on a test.
    Test,
}

impl Attribute {
    /// The options the attribute accepts, in the order errors list them.
    pub(super) fn keys(self) -> &'static [Key] {
        use Key::*;
        match self {
            Attribute::UnitOfWork => &[
                Read,
                Write,
                Timeout,
                Metadata,
                Database,
                MaxRetryTime,
                Crate,
            ],
            Attribute::Query => &[
                File,
                Unchecked,
                AutoCommit,
                Read,
                Write,
                Timeout,
                Metadata,
                Database,
                MaxRetryTime,
            ],
            Attribute::Queries => &[Schema, Crate],
            Attribute::Test => &[Fixtures, Schema, Crate],
        }
    }

    /// What the attribute declares, for messages.
    pub(crate) fn subject(self) -> &'static str {
        match self {
            Attribute::UnitOfWork => "a unit of work",
            Attribute::Query | Attribute::Queries => "a query",
            Attribute::Test => "a test",
        }
    }

    /// The error for an option the attribute does not take: where it goes
    /// if it belongs to the other attribute of a `#[queries]` module, else
    /// the list of what is accepted.
    pub(super) fn unknown(self, name: &str) -> String {
        match (self, Key::from_name(name)) {
            (Attribute::Query, Some(key @ (Key::Crate | Key::Schema))) => format!(
                "`{name}` is an option of the module: `#[queries({})]`",
                key.usage()
            ),
            (Attribute::Queries, Some(key)) if Attribute::Query.keys().contains(&key) => format!(
                "`{name}` is an option of each query: `#[query({}, \"…\")]`",
                key.usage()
            ),
            _ => format!("unknown option `{name}`, {}", self.expected()),
        }
    }

    /// "expected one of …", the options the attribute takes.
    pub(super) fn expected(self) -> String {
        let keys = self
            .keys()
            .iter()
            .map(|key| format!("`{}`", key.name()))
            .collect::<Vec<_>>()
            .join(", ");
        match self {
            Attribute::Query => format!("expected the query text or one of {keys}"),
            _ => format!("expected one of {keys}"),
        }
    }
}

/// The options by name.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    Read,
    Write,
    Timeout,
    Metadata,
    Database,
    MaxRetryTime,
    Crate,
    File,
    Unchecked,
    AutoCommit,
    Schema,
    Fixtures,
}

impl Key {
    const ALL: [Key; 12] = [
        Key::Read,
        Key::Write,
        Key::Timeout,
        Key::Metadata,
        Key::Database,
        Key::MaxRetryTime,
        Key::Crate,
        Key::File,
        Key::Unchecked,
        Key::AutoCommit,
        Key::Schema,
        Key::Fixtures,
    ];

    pub(super) fn name(self) -> &'static str {
        match self {
            Key::Read => "read",
            Key::Write => "write",
            Key::Timeout => "timeout",
            Key::Metadata => "metadata",
            Key::Database => "database",
            Key::MaxRetryTime => "max_retry_time",
            Key::Crate => "crate",
            Key::File => "file",
            Key::Unchecked => "unchecked",
            Key::AutoCommit => "auto_commit",
            Key::Schema => "schema",
            Key::Fixtures => "fixtures",
        }
    }

    pub(super) fn from_name(name: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|key| key.name() == name)
    }

    /// How the option is written.
    pub(super) fn usage(self) -> &'static str {
        match self {
            Key::Read => "read",
            Key::Write => "write",
            Key::Unchecked => "unchecked",
            Key::AutoCommit => "auto_commit",
            Key::Timeout => "timeout = 1",
            Key::MaxRetryTime => "max_retry_time = \"30s\"",
            Key::Metadata => "metadata(key = literal, …)",
            Key::Database => "database = \"neo4j\"",
            Key::Crate => "crate = \"my::neo_runtime\"",
            Key::File => "file = \"queries/q.cypher\"",
            Key::Schema => "schema = \"path/to/neo-schema.toml\"",
            Key::Fixtures => "fixtures(\"people\", \"movies\")",
        }
    }
}
