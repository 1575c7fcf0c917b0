//! What makes a unit of work valid: an access mode, an `async fn` taking
//! its transaction first, and arguments the generated function can pass
//! on. Every violation is recorded; nothing stops at the first.

use proc_macro2::Span;
use syn::{FnArg, Type};

use super::parse::{Parameter, UnitOfWork};
use crate::ctxt::Ctxt;

/// Checks the unit of work, recording every problem in `cx`.
pub(super) fn check(cx: &Ctxt, unit_of_work: &UnitOfWork) {
    access_mode(cx, unit_of_work);
    signature(cx, unit_of_work);
    arguments(cx, unit_of_work);
}

fn access_mode(cx: &Ctxt, unit_of_work: &UnitOfWork) {
    let options = &unit_of_work.options;
    if options.mode.is_none() && options.complete {
        cx.error_at(
            Span::call_site(),
            "a unit of work needs an access mode: `#[unit_of_work(read)]` or `#[unit_of_work(write)]`",
        );
    }
}

fn signature(cx: &Ctxt, unit_of_work: &UnitOfWork) {
    let sig = &unit_of_work.function.sig;
    if sig.asyncness.is_none() {
        cx.error_spanned_by(sig.fn_token, "a unit of work must be an `async fn`");
    }
    match unit_of_work.transaction() {
        Some(FnArg::Receiver(receiver)) => cx.error_spanned_by(
            receiver,
            "a unit of work cannot take `self`; make it a free function",
        ),
        Some(FnArg::Typed(typed)) if !is_transaction(&typed.ty) => cx.error_spanned_by(
            &typed.ty,
            "the first parameter of a unit of work is its transaction: `&mut ManagedTransaction<'_>`",
        ),
        Some(FnArg::Typed(_)) => {}
        None => cx.error_at(
            sig.paren_token.span.join(),
            "a unit of work takes its transaction as first parameter: `tx: &mut ManagedTransaction<'_>`",
        ),
    }
}

fn arguments(cx: &Ctxt, unit_of_work: &UnitOfWork) {
    for parameter in &unit_of_work.arguments {
        match parameter {
            Parameter::Named(argument) if argument.name == "session" => cx.error_spanned_by(
                &argument.name,
                "`session` names the session parameter of the generated function; rename this argument",
            ),
            Parameter::Named(_) => {}
            Parameter::Other(FnArg::Receiver(receiver)) => {
                cx.error_spanned_by(receiver, "a unit of work cannot take `self`")
            }
            Parameter::Other(FnArg::Typed(typed)) => cx.error_spanned_by(
                &typed.pat,
                "unit-of-work arguments must be plain names (`name: Type`)",
            ),
        }
    }
}

/// Whether a type is `&mut …ManagedTransaction<…>`.
fn is_transaction(ty: &Type) -> bool {
    let Type::Reference(reference) = ty else {
        return false;
    };
    if reference.mutability.is_none() {
        return false;
    }
    match &*reference.elem {
        Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|segment| segment.ident == "ManagedTransaction"),
        _ => false,
    }
}
