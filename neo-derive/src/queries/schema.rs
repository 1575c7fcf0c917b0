//! The schema file a `#[queries]` module is checked against:
//! `#[queries(schema = "…")]` relative to the crate's `Cargo.toml`, else
//! `neo-schema.toml` beside it if there is one.

use std::path::Path;

use neo_cypher::schema::Schema;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::LitStr;

use crate::ctxt::Ctxt;

/// A schema file, read.
pub(crate) struct SchemaFile {
    pub(crate) schema: Schema,
    /// The file name, for messages.
    pub(crate) name: String,
    /// The absolute path, for `include_str!`.
    pub(crate) absolute: String,
}

impl SchemaFile {
    /// An item that makes the crate depend on the file, so that editing it
    /// rebuilds the module.
    pub(crate) fn dependency(&self) -> TokenStream {
        let absolute = &self.absolute;
        quote!(
            const _: &str = ::core::include_str!(#absolute);
        )
    }
}

/// The module's schema file, if any; a file that cannot be read is
/// recorded.
pub(crate) fn module_schema(cx: &Ctxt, named: Option<&LitStr>) -> Option<SchemaFile> {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    schema_in(named, Path::new(&dir)).unwrap_or_else(|error| {
        cx.syn_error(error);
        None
    })
}

/// [`module_schema`] for a crate whose `Cargo.toml` is in `dir`.
fn schema_in(named: Option<&LitStr>, dir: &Path) -> syn::Result<Option<SchemaFile>> {
    match named {
        Some(path) => load(&dir.join(path.value()), &path.value(), path.span()).map(Some),
        None => {
            let path = dir.join("neo-schema.toml");
            if !path.is_file() {
                return Ok(None);
            }
            load(&path, "neo-schema.toml", Span::call_site()).map(Some)
        }
    }
}

fn load(path: &Path, written: &str, span: Span) -> syn::Result<SchemaFile> {
    let absolute = path.to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).map_err(|e| {
        syn::Error::new(
            span,
            format!("cannot read the schema file `{absolute}`: {e}"),
        )
    })?;
    let schema = Schema::parse(&text).map_err(|e| {
        syn::Error::new(
            span,
            format!(
                "invalid schema file `{written}`, line {}, column {}: {}",
                e.line, e.column, e.message
            ),
        )
    })?;
    let name = path
        .file_name()
        .map_or_else(|| written.to_owned(), |n| n.to_string_lossy().into_owned());
    Ok(SchemaFile {
        schema,
        name,
        absolute,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory standing for a crate's manifest directory,
    /// removed when dropped.
    struct CrateDir(std::path::PathBuf);

    impl std::ops::Deref for CrateDir {
        type Target = Path;
        fn deref(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for CrateDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn crate_dir(name: &str) -> CrateDir {
        let dir = std::env::temp_dir().join(format!("neo-derive-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        CrateDir(dir)
    }

    fn named(path: &str) -> LitStr {
        LitStr::new(path, Span::call_site())
    }

    #[test]
    fn without_a_schema_file_nothing_is_checked() {
        let dir = crate_dir("no-schema");
        assert!(schema_in(None, &dir).unwrap().is_none());
    }

    #[test]
    fn the_schema_file_beside_the_manifest_is_found() {
        let dir = crate_dir("default-schema");
        std::fs::write(
            dir.join("neo-schema.toml"),
            "[nodes.Person]\nname = \"STRING\"\n",
        )
        .unwrap();
        let file = schema_in(None, &dir).unwrap().unwrap();
        assert_eq!(file.name, "neo-schema.toml");
        assert!(file.schema.label("Person").is_some());
        assert!(file.absolute.ends_with("neo-schema.toml"));
    }

    #[test]
    fn a_named_schema_file_is_relative_to_the_manifest() {
        let dir = crate_dir("named-schema");
        std::fs::create_dir_all(dir.join("db")).unwrap();
        std::fs::write(dir.join("db/graph.toml"), "[relationships.KNOWS]\n").unwrap();
        std::fs::write(dir.join("neo-schema.toml"), "[nodes.Ignored]\n").unwrap();
        let file = schema_in(Some(&named("db/graph.toml")), &dir)
            .unwrap()
            .unwrap();
        assert_eq!(file.name, "graph.toml");
        assert!(file.schema.relationship_type("KNOWS").is_some());
        assert!(file.schema.label("Ignored").is_none());
    }

    #[test]
    fn schema_file_errors_name_the_file_and_line() {
        let dir = crate_dir("bad-schema");
        std::fs::write(
            dir.join("neo-schema.toml"),
            "[nodes.Person]\nname = \"TEXT\"\n",
        )
        .unwrap();
        let error = schema_in(None, &dir).err().unwrap();
        assert_eq!(
            error.to_string(),
            "invalid schema file `neo-schema.toml`, line 2, column 8: `nodes.Person.name`: \
             unknown type `TEXT`; expected a property type such as `STRING`, `INTEGER` or `LIST<STRING>`"
        );
        let missing = schema_in(Some(&named("nowhere.toml")), &dir).err().unwrap();
        assert!(
            missing
                .to_string()
                .starts_with("cannot read the schema file `")
        );
    }
}
