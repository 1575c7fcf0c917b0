//! A unit of work as declared: its options, and the function's transaction
//! parameter and arguments.

use proc_macro2::TokenStream;
use syn::{FnArg, ItemFn, Pat, Type};

use crate::ctxt::Ctxt;
use crate::options::{Attribute, Options};

/// `#[unit_of_work(…)] async fn name(tx: &mut ManagedTransaction<'_>, …)`.
pub(super) struct UnitOfWork {
    pub(super) options: Options,
    pub(super) function: ItemFn,
    /// The parameters after the transaction, in order.
    pub(super) arguments: Vec<Parameter>,
}

/// A parameter after the transaction.
pub(super) enum Parameter {
    /// `name: Type`, what a unit of work takes.
    Named(Argument),
    /// Anything else (`self`, a pattern), an error.
    Other(FnArg),
}

/// An argument of the unit of work, passed on by the generated function.
pub(super) struct Argument {
    pub(super) name: syn::Ident,
    pub(super) ty: Type,
}

impl UnitOfWork {
    /// Reads the options and the function's parameters.
    pub(super) fn parse(cx: &Ctxt, attr: TokenStream, function: ItemFn) -> UnitOfWork {
        let options = Options::parse(cx, Attribute::UnitOfWork, attr);
        let arguments = function
            .sig
            .inputs
            .iter()
            .skip(1)
            .map(|input| match input {
                FnArg::Typed(typed) => match &*typed.pat {
                    Pat::Ident(ident) if ident.by_ref.is_none() && ident.subpat.is_none() => {
                        Parameter::Named(Argument {
                            name: ident.ident.clone(),
                            ty: (*typed.ty).clone(),
                        })
                    }
                    _ => Parameter::Other(input.clone()),
                },
                FnArg::Receiver(_) => Parameter::Other(input.clone()),
            })
            .collect();
        UnitOfWork {
            options,
            function,
            arguments,
        }
    }

    /// The first parameter: the transaction, if the function is well formed.
    pub(super) fn transaction(&self) -> Option<&FnArg> {
        self.function.sig.inputs.first()
    }

    /// Whether the function takes `self` (a method, which cannot become a
    /// unit of work).
    pub(super) fn has_receiver(&self) -> bool {
        self.function
            .sig
            .inputs
            .iter()
            .any(|input| matches!(input, FnArg::Receiver(_)))
    }

    /// The arguments, once checked to be all `name: Type`.
    pub(super) fn named_arguments(&self) -> impl Iterator<Item = &Argument> {
        self.arguments
            .iter()
            .filter_map(|parameter| match parameter {
                Parameter::Named(argument) => Some(argument),
                Parameter::Other(_) => None,
            })
    }
}
