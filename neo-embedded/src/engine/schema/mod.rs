//! The schema: indexes and constraints of a database (kept in the store
//! beside the graph, so they are transactional and durable with it), the
//! index entries the engine maintains on every write and seeks with, the
//! checks constraints make, and the commands that create, drop and list
//! them (`SHOW INDEXES`, `SHOW PROCEDURES`, …).

mod catalog;
mod commands;
mod index;
mod show;

pub(crate) use catalog::{Catalog, EntityKind, IndexDef, IndexKind};
pub(crate) use commands::SchemaCommand;
pub(crate) use index::{
    IndexSeek, SeekKind, all_entries as all_entity_ids, update_node_entries, update_rel_entries,
    validate_commit, validate_statement, words,
};
