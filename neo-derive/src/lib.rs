//! Procedural macros re-exported by `neo-runtime`.
//!
//! Users depend on `neo-runtime`, never on this crate directly; generated code
//! names `::neo_runtime::…` paths only.
