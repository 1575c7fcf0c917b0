//! What makes a test valid: an `async fn`, not generic, taking one
//! argument at most, and not marked `#[test]` a second time. The type of
//! the argument is checked by the compiler (`TestArgument`), at the type.

use syn::FnArg;

use super::parse::Test;
use crate::ctxt::Ctxt;

/// Checks the test, recording every problem in `cx`.
pub(super) fn check(cx: &Ctxt, test: &Test) {
    let sig = &test.function.sig;
    if sig.asyncness.is_none() {
        cx.error_spanned_by(sig.fn_token, "`#[neo_runtime::test]` goes on an `async fn`");
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        cx.error_spanned_by(&sig.generics, "a test cannot be generic");
    }
    for (position, input) in sig.inputs.iter().enumerate() {
        match input {
            FnArg::Receiver(receiver) => {
                cx.error_spanned_by(receiver, "a test cannot take `self`");
            }
            FnArg::Typed(typed) if position > 0 => cx.error_spanned_by(
                typed,
                "a test takes one argument at most: a `Driver` or a `Session`",
            ),
            FnArg::Typed(_) => {}
        }
    }
    for attr in &test.function.attrs {
        if attr.path().is_ident("test") {
            cx.error_spanned_by(
                attr,
                "`#[neo_runtime::test]` makes this a test already; remove `#[test]`",
            );
        }
    }
}
