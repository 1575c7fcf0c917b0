//! The expansion: a `#[test]` function of the same name that runs the
//! original, kept inside it, through `neo_runtime`'s test runner.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::FnArg;
use syn::spanned::Spanned;

use super::fixtures::Fixture;
use super::parse::Test;
use crate::queries::schema::SchemaFile;

/// ```ignore
/// #[test]
/// fn name() -> Output {
///     async fn name(argument: Type) -> Output { … }
///     const _: &str = include_str!("…/fixtures/people.cypher");
///     run_test::<Type, _, _>(TestSetup { name, fixtures: &[…] }, name)
/// }
/// ```
pub(super) fn expand(
    test: &Test,
    fixtures: &[Fixture],
    schema: Option<&SchemaFile>,
) -> TokenStream {
    let krate = test.options.crate_path();
    let function = &test.function;
    let attrs = &function.attrs;
    let vis = &function.vis;
    let name = &function.sig.ident;
    let name_text = name.to_string();
    let output = &function.sig.output;
    let mut inner = function.clone();
    inner.attrs.clear();
    inner.vis = syn::Visibility::Inherited;

    // The argument's type is checked where it is written: a type the runner
    // cannot give (or any, without the `testing` feature) is reported there.
    let argument_type = match test.argument() {
        Some(FnArg::Typed(typed)) => typed.ty.to_token_stream(),
        _ => quote!(()),
    };
    let runner =
        quote_spanned!(argument_type.span()=> #krate::__private::run_test::<#argument_type, _, _>);
    // A `#[test]` function is compiled in test builds only; this constant
    // makes the check in the others too (examples, `cargo check`), with the
    // test's own `cfg`.
    let cfgs = attrs.iter().filter(|attr| attr.path().is_ident("cfg"));
    let checked = quote_spanned!(argument_type.span()=>
        #krate::__private::test_argument::<#argument_type>()
    );
    let call = match test.argument() {
        Some(_) => quote!(#name),
        None => quote!(|()| #name()),
    };
    let dependencies = fixtures.iter().map(|fixture| {
        let absolute = &fixture.absolute;
        quote!(
            const _: &str = ::core::include_str!(#absolute);
        )
    });
    let schema_dependency = schema.map(SchemaFile::dependency);
    let fixtures = fixtures.iter().map(|fixture| {
        let Fixture {
            name,
            path,
            statements,
            ..
        } = fixture;
        let statements = statements.iter().map(|(line, text)| quote!((#line, #text)));
        quote! {
            #krate::__private::FixtureFile {
                name: #name,
                path: #path,
                statements: &[#(#statements),*],
            }
        }
    });
    quote! {
        #(#cfgs)*
        #[cfg(not(test))]
        const _: () = #checked;

        #(#attrs)*
        #[::core::prelude::v1::test]
        #vis fn #name() #output {
            #inner
            #(#dependencies)*
            #schema_dependency
            #runner(
                #krate::__private::TestSetup {
                    name: ::core::concat!(::core::module_path!(), "::", #name_text),
                    fixtures: &[#(#fixtures),*],
                },
                #call,
            )
        }
    }
}

/// The function as written, for when the test has errors: they are
/// reported, and nothing else fails because the function is missing.
pub(super) fn original(test: &Test) -> TokenStream {
    let function = &test.function;
    quote! {
        #[allow(dead_code)]
        #function
    }
}
