//! `neo-runtime`: the async Neo4j driver.
//!
//! This crate is the one applications depend on. It speaks Bolt through
//! [`neo_bolt`], whose value model it re-exports, and re-exports the macros of
//! `neo-derive`.
//!
//! ```
//! let value = neo_runtime::Value::from("Alice");
//! assert_eq!(value.as_str(), Some("Alice"));
//! ```

pub use neo_bolt::Value;
