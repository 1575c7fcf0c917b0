//! Procedural macros re-exported by `neo-runtime`.
//!
//! Users depend on `neo-runtime`, never on this crate directly; generated code
//! names `::neo_runtime::…` paths only (or the path given with
//! `crate = "…"`). The macros are documented where they are re-exported.

mod attr;
mod ctxt;
mod derive;
mod unit_of_work;

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
