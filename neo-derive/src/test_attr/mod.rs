//! `#[neo_runtime::test]`: an `async fn` test with a fresh database of its
//! own. Parse ([`parse`]): the options and the function. Check ([`check`],
//! [`fixtures`]): the function's shape; each fixture file found beside the
//! test, split into statements, parsed, and compared with the schema file.
//! Expand ([`expand`]): a `#[test]` function that hands the original to
//! the runtime with the fixtures' statements.
//!
//! On any error the original function is emitted unchanged next to the
//! errors, so that nothing else of the file reports errors because of it.

mod check;
mod expand;
mod fixtures;
mod parse;

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ctxt::Ctxt;
use crate::queries::schema;

/// The whole macro; `test_file` is the file the test is in, as the
/// compiler names it (`None` when it is not a file on disk).
pub(crate) fn expand(
    attr: TokenStream,
    item: TokenStream,
    test_file: Option<PathBuf>,
) -> TokenStream {
    let cx = Ctxt::new();
    let expanded = match syn::parse2::<syn::ItemFn>(item.clone()) {
        Ok(function) => {
            let test = parse::Test::parse(&cx, attr, function);
            check::check(&cx, &test);
            let schema = schema::module_schema(&cx, test.options.schema.as_ref());
            let fixtures = fixtures::read(&cx, &test.options.fixtures, test_file, schema.as_ref());
            if cx.has_errors() {
                expand::original(&test)
            } else {
                expand::expand(&test, &fixtures, schema.as_ref())
            }
        }
        Err(error) => {
            cx.syn_error(error);
            item
        }
    };
    let errors = cx.check().err().map(|error| error.to_compile_error());
    quote!(#expanded #errors)
}
