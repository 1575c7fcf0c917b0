//! The macros of `neo-derive`, documented where users find them.

/// Turns an async function over a `&mut ManagedTransaction<'_>` into a
/// *unit of work*: a function taking a [`Session`](crate::Session) that runs
/// the body in a managed transaction of the declared access mode, timeout
/// and metadata, retried on transient failures like
/// [`Session::execute`](crate::Session::execute).
///
/// A unit of work may run more than once, so it must be idempotent, and it
/// should return values derived from its results, not the results
/// themselves (a [`RecordStream`](crate::RecordStream) borrows its
/// transaction and cannot be returned: that does not compile).
///
/// ```no_run
/// use neo_runtime::{ManagedTransaction, Query, Result, unit_of_work};
///
/// /// Creates a person and returns its id.
/// #[unit_of_work(write, timeout = 1, metadata(app = "hr", purpose = "onboarding"))]
/// async fn create_person(tx: &mut ManagedTransaction<'_>, name: &str) -> Result<i64> {
///     let record = tx
///         .run(Query::new("CREATE (a:Person {name: $name}) RETURN id(a) AS id").param("name", name))
///         .await?
///         .single()
///         .await?;
///     record.get_as("id")
/// }
///
/// # async fn example(session: &mut neo_runtime::Session) -> Result<()> {
/// // Runs in its own write transaction, retried:
/// let id = create_person(session, "Alice").await?;
/// // Runs inside a transaction the caller already has (composition):
/// session
///     .execute_write(async |tx| create_person::body(tx, "Bob").await)
///     .await?;
/// // The configuration is a constant:
/// assert_eq!(create_person::CONFIG.timeout(), Some(std::time::Duration::from_secs(1)));
/// # Ok(())
/// # }
/// # fn main() {}
/// ```
///
/// The function `create_person(session, args…)` is generated next to a
/// module of the same name holding `body` (the original function, to call
/// with a transaction) and `CONFIG` (a
/// [`UnitOfWorkConfig`](crate::UnitOfWorkConfig)).
///
/// # Options
///
/// | option | meaning |
/// |---|---|
/// | `read` / `write` | the access mode (exactly one is required) |
/// | `timeout = 1`, `timeout = 0.5`, `timeout = "1500ms"`, `"2s"`, `"1m"`, `timeout = Duration::from_millis(1500)` | the transaction timeout: seconds, a string with a unit, or any constant `Duration` (what [`Query::with_timeout`](crate::Query::with_timeout) takes) |
/// | `metadata(key = "text", n = -1, ratio = 0.5, flag = true, "dotted.key" = 1)` | transaction metadata |
/// | `database = "neo4j"` | the database, instead of the session's |
/// | `max_retry_time = "5s"` | the retry budget, instead of the driver's (a duration as for `timeout`) |
/// | `crate = "my::reexport"` | the path of `neo_runtime`, for crates that re-export it |
///
/// ```
/// use neo_runtime::{AccessMode, ManagedTransaction, Result, unit_of_work};
///
/// #[unit_of_work(read, timeout = "1500ms", database = "hr", max_retry_time = 5)]
/// async fn count(tx: &mut ManagedTransaction<'_>, label: String) -> Result<i64> {
///     let query = format!("MATCH (n:{label}) RETURN count(n) AS n");
///     tx.run(query).await?.single().await?.get_as("n")
/// }
///
/// fn main() {
///     assert_eq!(count::CONFIG.mode(), AccessMode::Read);
///     assert_eq!(count::CONFIG.database(), Some("hr"));
/// }
/// ```
///
/// # Rules checked at compile time
///
/// - the function is `async`, has no `self`, and takes the transaction
///   first;
/// - every other argument is borrowed or `Clone` (each attempt reuses it);
/// - its future is `Send`, so it runs on a multi-threaded runtime.
///
/// Declare units of work at module level: the generated module refers to
/// the function's body through `super`, which cannot name items declared
/// inside a function body.
pub use neo_derive::unit_of_work;

/// Derives [`FromRecord`](crate::FromRecord) (columns by name) and
/// [`FromValue`](crate::FromValue) (keys of a map value) for a struct.
///
/// Fields are any [`FromValue`](crate::FromValue) type: scalars, `String`,
/// `Option<T>` (null or missing), `Vec<T>`, maps, nodes, relationships,
/// paths, temporal and spatial values, and other derived structs.
///
/// | attribute | meaning |
/// |---|---|
/// | `#[neo(rename = "name")]` on a field | the column's name |
/// | `#[neo(default)]` on a field | `Default::default()` when missing or null |
/// | `#[neo(serde)]` on a field | decoded through the field type's `serde::Deserialize` (enums from strings, `chrono` types…) |
/// | `#[neo(crate = "path")]` on the struct | the path of `neo_runtime` |
///
/// Columns without a field are ignored.
///
/// ```
/// use neo_runtime::{FromValue, Node, Record, Value};
///
/// #[derive(Node)]
/// #[neo(label = "Person")]
/// struct Person {
///     name: String,
/// }
///
/// #[derive(serde::Deserialize)]
/// #[serde(rename_all = "lowercase")]
/// enum Mood {
///     Happy,
///     Sad,
/// }
///
/// #[derive(Record)]
/// struct Row {
///     person: Person,
///     #[neo(serde)]
///     mood: Mood,
///     #[neo(rename = "friendCount")]
///     friends: i64,
///     #[neo(default)]
///     tags: Vec<String>,
///     nickname: Option<String>,
/// }
///
/// let map = Value::Map(
///     [
///         ("person".to_owned(), Value::from(neo_bolt::packstream::Node {
///             id: 1,
///             labels: vec!["Person".to_owned()],
///             properties: [("name".to_owned(), Value::from("Ann"))].into(),
///             element_id: "4:x:1".to_owned(),
///         })),
///         ("friendCount".to_owned(), Value::from(3)),
///         ("mood".to_owned(), Value::from("happy")),
///     ]
///     .into(),
/// );
/// let row = Row::from_value(map)?;
/// assert_eq!((row.person.name.as_str(), row.friends, row.nickname), ("Ann", 3, None));
/// assert!(matches!(row.mood, Mood::Happy));
/// # Ok::<(), neo_runtime::Error>(())
/// ```
///
/// A value of the wrong type is an error naming the struct, the field, the
/// column and the type found: ``cannot decode `Row.friends` from column
/// `friendCount`: expected Integer, found String``.
pub use neo_derive::Record;

/// Derives [`FromValue`](crate::FromValue) for a struct read from a node
/// (its properties by name), and [`FromRecord`](crate::FromRecord) for a
/// record of one node column.
///
/// | attribute | meaning |
/// |---|---|
/// | `#[neo(label = "Person")]` on the struct (repeatable) | a label the node must have, checked when decoding |
/// | `#[neo(id)]` on a field | the node's id |
/// | `#[neo(element_id)]` on a field | the node's element id |
/// | `#[neo(labels)]` on a `Vec<String>` field | the node's other labels |
/// | `#[neo(rename = "…")]`, `#[neo(default)]`, `#[neo(serde)]` on a field | as for [`Record`](macro@Record) |
/// | `#[neo(crate = "path")]` on the struct | the path of `neo_runtime` |
///
/// ```
/// use neo_runtime::{FromValue, Node, Value};
///
/// #[derive(Node)]
/// #[neo(label = "Person")]
/// struct Person {
///     #[neo(id)]
///     id: i64,
///     #[neo(element_id)]
///     element_id: String,
///     #[neo(labels)]
///     roles: Vec<String>,
///     name: String,
///     born: Option<i64>,
/// }
///
/// let node = neo_bolt::packstream::Node {
///     id: 7,
///     labels: vec!["Person".to_owned(), "Admin".to_owned()],
///     properties: [("name".to_owned(), Value::from("Ann"))].into(),
///     element_id: "4:x:7".to_owned(),
/// };
/// let person = Person::from_value(Value::from(node))?;
/// assert_eq!((person.id, person.roles, person.born), (7, vec!["Admin".to_owned()], None));
/// # Ok::<(), neo_runtime::Error>(())
/// ```
pub use neo_derive::Node;

/// Derives [`FromValue`](crate::FromValue) for a struct read from a
/// relationship (its properties by name), and
/// [`FromRecord`](crate::FromRecord) for a record of one relationship
/// column.
///
/// | attribute | meaning |
/// |---|---|
/// | `#[neo(rel_type = "KNOWS")]` on the struct | the type the relationship must have |
/// | `#[neo(rel_type)]` on a field | the relationship's type |
/// | `#[neo(id)]`, `#[neo(element_id)]` on a field | its id, element id |
/// | `#[neo(start_id)]`, `#[neo(end_id)]` on a field | its start and end node ids |
/// | `#[neo(start_element_id)]`, `#[neo(end_element_id)]` on a field | their element ids |
/// | `#[neo(rename = "…")]`, `#[neo(default)]`, `#[neo(serde)]` on a field | as for [`Record`](macro@Record) |
///
/// ```
/// use neo_runtime::{FromValue, Relationship, Value};
///
/// #[derive(Relationship)]
/// #[neo(rel_type = "KNOWS")]
/// struct Knows {
///     #[neo(start_id)]
///     from: i64,
///     #[neo(end_id)]
///     to: i64,
///     since: i64,
/// }
///
/// let relationship = neo_bolt::packstream::Relationship {
///     id: 1,
///     start_node_id: 2,
///     end_node_id: 3,
///     rel_type: "KNOWS".to_owned(),
///     properties: [("since".to_owned(), Value::from(2010))].into(),
///     element_id: "5:x:1".to_owned(),
///     start_node_element_id: "4:x:2".to_owned(),
///     end_node_element_id: "4:x:3".to_owned(),
/// };
/// let knows = Knows::from_value(Value::from(relationship))?;
/// assert_eq!((knows.from, knows.to, knows.since), (2, 3, 2010));
/// # Ok::<(), neo_runtime::Error>(())
/// ```
pub use neo_derive::Relationship;

pub use neo_derive::queries;

/// Makes an `async fn` a test with a fresh database of its own (feature
/// `testing`): an embedded server started in-process for this test alone
/// (no Java, Docker or network), with the test's fixtures applied, and a
/// connected [`Driver`](crate::Driver) or an open
/// [`Session`](crate::Session) as its argument. Tests share nothing, so
/// `cargo test` runs them in parallel.
///
#[cfg_attr(feature = "testing", doc = "```")]
#[cfg_attr(not(feature = "testing"), doc = "```ignore")]
/// use neo_runtime::{Driver, QueryConfig, Session};
///
/// #[neo_runtime::test]
/// async fn counts_nobody_at_first(driver: Driver) -> neo_runtime::Result<()> {
///     let result = driver
///         .execute_query("MATCH (p:Person) RETURN count(p) AS n", QueryConfig::default())
///         .await?;
///     assert_eq!(result.records[0].get_as::<i64>("n")?, 0);
///     Ok(())
/// }
///
/// #[neo_runtime::test]
/// async fn writes_in_its_own_database(mut session: Session) {
///     session.run("CREATE (:Person {name: 'Ann'})").await.unwrap();
/// }
/// # fn main() {}
/// ```
///
/// The function takes a `Driver`, a `Session` or nothing, and returns `()`
/// or a `Result` whose error is `Debug` (an `Err` fails the test).
/// Attributes such as `#[ignore]` and `#[should_panic]` apply as to any
/// test. It runs on a current-thread tokio runtime of its own, which also
/// serves the embedded server.
///
/// # Fixtures
///
/// `fixtures("people", "movies")` applies `fixtures/people.cypher`, then
/// `fixtures/movies.cypher`, from a `fixtures` folder beside the test's
/// file, before the body runs:
///
/// ```text
/// tests/
///   people.rs            #[neo_runtime::test(fixtures("people"))] …
///   fixtures/
///     people.cypher      CREATE (:Person {name: 'Ann'});
///                        CREATE (:Person {name: 'Bob'});
/// ```
///
/// A file holds statements separated by `;` (a `;` in a string or a
/// comment does not count). Each runs as an auto-commit query, in order,
/// so schema commands (`CREATE INDEX … IF NOT EXISTS`) and writes can
/// follow each other; the `Session` argument, and `execute_query`, see
/// what they wrote. The files are read while the test compiles: a missing
/// file, a statement that does not parse, or no statement at all is a
/// compile error at the fixture's name, and editing a file rebuilds the
/// test. A statement the server refuses fails the test, naming the file
/// and line.
///
/// # Options
///
/// | option | meaning |
/// |---|---|
/// | `fixtures("people", …)` | the files `fixtures/<name>.cypher` beside the test, applied in order |
/// | `schema = "db/neo-schema.toml"` | the schema file the fixtures are checked against, relative to `Cargo.toml` (by default `neo-schema.toml` beside it, when there is one), as [`queries`](macro@queries) checks queries |
/// | `crate = "my::neo_runtime"` | the path of `neo_runtime`, for crates that re-export it |
///
/// # Against a server of your own
///
/// With `NEO4J_URI` set (and `NEO4J_USER`, default `neo4j`, and
/// `NEO4J_PASSWORD`), the same tests run on that server instead, each in a
/// database created for it and dropped afterwards; the `Driver` argument's
/// sessions use that database when they name none. This needs a server
/// that can create databases (Neo4j Enterprise Edition); otherwise, name
/// an empty database the tests may use with `NEO4J_TEST_DATABASE`: tests
/// then take turns in it, each refuses to start unless it is empty, and
/// each deletes what it created. The rules are on `testing::TestServer`
/// (feature `testing`).
///
/// # Without the `testing` feature
///
/// The test does not compile, and the error says to enable the feature:
///
/// ```toml
/// [dev-dependencies]
/// neo-runtime = { version = "0.1", features = ["testing"] }
/// ```
pub use neo_derive::test;
