//! A query function's arguments against its query's `$parameters`: each
//! parameter has an argument of its name, each argument is a parameter.

use proc_macro2::Span;
use syn::{FnArg, Pat, Signature, Type};

use crate::ctxt::Ctxt;

/// An argument, sent as the parameter of its name.
pub(super) struct Argument {
    pub(super) name: syn::Ident,
    pub(super) ty: Type,
}

/// The declaration's arguments: plain `name: Type` pairs (anything else is
/// recorded as an error).
pub(super) fn arguments(cx: &Ctxt, sig: &Signature) -> Vec<Argument> {
    let mut arguments = Vec::new();
    for input in &sig.inputs {
        match input {
            FnArg::Typed(typed) => match typed.pat.as_ref() {
                Pat::Ident(ident) if ident.by_ref.is_none() && ident.subpat.is_none() => {
                    if ident.ident == "session" {
                        cx.error_spanned_by(
                            &ident.ident,
                            "`session` names the session parameter of the generated function; rename this argument",
                        );
                    }
                    arguments.push(Argument {
                        name: ident.ident.clone(),
                        ty: (*typed.ty).clone(),
                    });
                }
                other => {
                    cx.error_spanned_by(other, "a query argument is a plain name: `name: Type`")
                }
            },
            FnArg::Receiver(receiver) => {
                cx.error_spanned_by(receiver, "a query function takes no `self`")
            }
        }
    }
    arguments
}

/// Records every parameter without an argument (at the query, `span`) and
/// every argument that is no parameter (at the argument), with "did you
/// mean" hints.
pub(super) fn check(
    cx: &Ctxt,
    function: &syn::Ident,
    arguments: &[Argument],
    parameters: &[String],
    span: Span,
) {
    let names: Vec<String> = arguments.iter().map(|a| a.name.to_string()).collect();
    for parameter in parameters {
        if !names.contains(parameter) {
            let hint = neo_cypher::suggest(parameter, names.iter().map(String::as_str))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            cx.error_at(
                span,
                format!(
                    "the query uses `${parameter}`, but `{function}` has no argument named `{parameter}`{hint}"
                ),
            );
        }
    }
    for (argument, name) in arguments.iter().zip(&names) {
        if !parameters.contains(name) {
            let hint = neo_cypher::suggest(name, parameters.iter().map(String::as_str))
                .map(|s| format!("; did you mean `${s}`?"))
                .unwrap_or_default();
            cx.error_spanned_by(
                &argument.name,
                format!("argument `{name}` is not a parameter of the query{hint}"),
            );
        }
    }
}
