//! Procedural macros re-exported by `neo-runtime`.
//!
//! Users depend on `neo-runtime`, never on this crate directly; generated code
//! names `::neo_runtime::…` paths only (or the path given with
//! `crate = "…"`). The macros are documented where they are re-exported.

mod attr;
mod config;
mod ctxt;
mod derive;
mod options;
mod queries;
mod test_attr;
mod unit_of_work;
mod work;

use proc_macro::TokenStream;

/// Turns an async function taking a `&mut ManagedTransaction<'_>` into a
/// unit of work; see `neo_runtime::unit_of_work`.
#[proc_macro_attribute]
pub fn unit_of_work(attr: TokenStream, item: TokenStream) -> TokenStream {
    unit_of_work::expand(attr.into(), item.into()).into()
}

/// Derives `FromRecord` and `FromValue` for a struct read from a record's
/// columns; see `neo_runtime::Record`.
#[proc_macro_derive(Record, attributes(neo))]
pub fn derive_record(input: TokenStream) -> TokenStream {
    derive::expand(input.into(), derive::Kind::Record).into()
}

/// Derives `FromValue` and `FromRecord` for a struct read from a node.
#[proc_macro_derive(Node, attributes(neo))]
pub fn derive_node(input: TokenStream) -> TokenStream {
    derive::expand(input.into(), derive::Kind::Node).into()
}

/// Derives `FromValue` and `FromRecord` for a struct read from a
/// relationship.
#[proc_macro_derive(Relationship, attributes(neo))]
pub fn derive_relationship(input: TokenStream) -> TokenStream {
    derive::expand(input.into(), derive::Kind::Relationship).into()
}

/// Checks a module of Cypher queries while the crate compiles and turns each
/// declaration into an async function that runs it.
///
/// Each bodiless `fn` in the module carries `#[query("…")]` (or
/// `#[query(file = "queries/q.cypher")]`, relative to the crate's
/// `Cargo.toml`). The macro checks, with no database:
///
/// - the Cypher syntax (the error shows the line, the column and a caret);
/// - that every `$parameter` has an argument of that name and every argument
///   is used (with "did you mean" suggestions);
/// - that the returned columns are the ones the row type reads (for types
///   with `RowColumns`, such as `#[derive(Record)]` structs).
///
/// # Schema file
///
/// When the crate has a `neo-schema.toml` next to its `Cargo.toml` (or
/// names another file with `#[queries(schema = "path/to/schema.toml")]`,
/// relative to `Cargo.toml`), every checked query is also compared with
/// the database it describes:
///
/// - labels and relationship types, including those `CREATE` and `MERGE`
///   would create, must be declared ("did you mean" included);
/// - a property of a variable bound by a pattern (`p.name`, `p {.name}`,
///   `{name: …}` in a pattern, `SET p.name`, `SET p += {…}`, `REMOVE`)
///   must be declared for one of the variable's labels or types, or for
///   any label or type when the pattern names none. Variables bound any
///   other way (`UNWIND`, `WITH` of an expression, procedure and subquery
///   results), dynamic labels and names under `!` are not checked;
/// - a returned column that is such a property (`RETURN p.born AS born`)
///   must go into a field that reads the declared type, checked through
///   `FromValue` in a constant, so a mismatch is reported at the query. A
///   property declared without `NOT NULL` may go into a field that is not
///   an `Option`: a null is then a runtime mapping error.
///
/// The file lists labels under `nodes` and relationship types under
/// `relationships`, each a table of property types (the Cypher 5
/// type-predicate names: `ANY`, `BOOLEAN`, `STRING`, `INTEGER`, `FLOAT`,
/// `DATE`, `LOCAL TIME`, `ZONED TIME`, `LOCAL DATETIME`, `ZONED DATETIME`,
/// `DURATION`, `POINT`, `LIST<T>`, unions `A | B`, with an optional
/// ` NOT NULL`):
///
/// ```toml
/// [nodes.Person]
/// name = "STRING NOT NULL"
/// born = "INTEGER"
///
/// [nodes.Movie]          # a label with no properties is an empty table
/// [relationships.ACTED_IN]
/// roles = "LIST<STRING>"
/// ```
///
/// A malformed file is one error at `#[queries]` naming the line and the
/// problem; editing the file rebuilds the module. `unchecked` queries are
/// not compared with the schema.
///
/// The generated function takes `&mut Session` first, then the arguments,
/// which travel as parameters (never spliced into the text). Declare
/// `-> Vec<Row>`, `-> Option<Row>`, `-> Row`, `-> ResultSummary` or
/// nothing.
///
/// # How a query runs
///
/// As a transaction function, retried like `Session::execute`: a read
/// one when the query cannot write, else a write one, through a
/// `UnitOfWorkConfig` built from the options exactly as `#[unit_of_work]`
/// builds its own.
///
/// As one auto-commit query (`Session::run`), in the session's access mode
/// and database and never retried, when the query has
/// `CALL { … } IN TRANSACTIONS` (which the server runs only in an
/// auto-commit transaction) or is marked `auto_commit`. An `unchecked`
/// query is not parsed, so its text is scanned for `} IN TRANSACTIONS` and
/// `CONCURRENT TRANSACTIONS` instead. `read`, `write`, `database` and
/// `max_retry_time` cannot apply to an auto-commit query and are errors
/// there; its `timeout` and `metadata` go with its `RUN`.
///
/// # Options
///
/// `#[query(…)]` takes the text, as a string or `file = "…"`, and:
///
/// | option | meaning |
/// |---|---|
/// | `read` / `write` | the access mode, instead of the one the query implies |
/// | `timeout = 1`, `0.5`, `"1500ms"`, `"2s"`, `"1m"`, `Duration::from_millis(1500)` | the transaction timeout: seconds, a string with a unit, or any constant `Duration` |
/// | `metadata(app = "hr", attempt = 2, ratio = -0.5, urgent = true, "app.version" = "1.2")` | transaction metadata |
/// | `database = "neo4j"` | the database, instead of the session's |
/// | `max_retry_time = "5s"` | the retry budget, instead of the driver's (a duration as for `timeout`) |
/// | `auto_commit` | run as one auto-commit query, not retried |
/// | `unchecked` | skip the syntax, column and schema checks (parameters are still checked) |
///
/// These mean the same as in `#[unit_of_work]`. `#[queries(…)]` itself takes
/// `schema = "path/to/neo-schema.toml"` and `crate = "my::neo_runtime"`
/// (the path generated code names the driver by).
///
/// ```ignore
/// #[neo_runtime::queries]
/// mod people {
///     use neo_runtime::Record;
///
///     /// People with this name.
///     #[query("MATCH (p:Person {name: $name}) RETURN p.name AS name, p.born AS born")]
///     pub fn by_name(name: &str) -> Vec<Record>;
/// }
/// // let rows = people::by_name(&mut session, "Alice").await?;
/// ```
#[proc_macro_attribute]
pub fn queries(args: TokenStream, input: TokenStream) -> TokenStream {
    queries::expand(args.into(), input.into()).into()
}

/// Makes an `async fn` a test with a fresh database of its own; see
/// `neo_runtime::test`.
#[proc_macro_attribute]
pub fn test(args: TokenStream, input: TokenStream) -> TokenStream {
    let test_file = proc_macro::Span::call_site().local_file();
    test_attr::expand(args.into(), input.into(), test_file).into()
}

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
