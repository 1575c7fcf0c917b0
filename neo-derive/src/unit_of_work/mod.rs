//! `#[unit_of_work]`: parse the options and the function, check them, then
//! expand into a session-taking function plus a module holding the
//! transaction body and the configuration.
//!
//! On any error the function is still emitted (with the signature callers
//! expect and no working body, see [`expand::stub`]), next to the errors,
//! so that the rest of the crate type-checks and errors do not cascade.

mod check;
mod expand;
mod parse;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ctxt::Ctxt;

/// The whole macro.
pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let function: syn::ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(error) => {
            let error = error.to_compile_error();
            return quote!(#item #error);
        }
    };
    let cx = Ctxt::new();
    let unit_of_work = parse::UnitOfWork::parse(&cx, attr, function);
    check::check(&cx, &unit_of_work);
    match cx.check() {
        Ok(()) => expand::expand(&unit_of_work),
        Err(error) => {
            let error = error.to_compile_error();
            let stub = expand::stub(&unit_of_work);
            quote!(#stub #error)
        }
    }
}
