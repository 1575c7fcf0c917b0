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
    let cx = Ctxt::new();
    let expanded = match syn::parse2::<syn::ItemFn>(item.clone()) {
        Ok(function) => {
            let unit_of_work = parse::UnitOfWork::parse(&cx, attr, function);
            check::check(&cx, &unit_of_work);
            if cx.has_errors() {
                expand::stub(&unit_of_work)
            } else {
                expand::expand(&unit_of_work)
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
