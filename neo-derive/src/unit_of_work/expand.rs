//! The expansion of a checked unit of work: the function callers use
//! (taking a session), the transaction body under a hidden name, a `Send`
//! check, and the module `name::{body, CONFIG}`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::{Attribute, Type, Visibility};

use super::parse::UnitOfWork;
use crate::config::unit_of_work_config;
use crate::options::Mode;
use crate::work::{Access, Field, work_struct};

/// The names and attributes both expansions share.
struct Parts<'a> {
    private: TokenStream,
    body_name: syn::Ident,
    config_name: syn::Ident,
    doc_attrs: Vec<&'a Attribute>,
    other_attrs: Vec<&'a Attribute>,
    cfg_attrs: Vec<&'a Attribute>,
}

impl<'a> Parts<'a> {
    fn new(unit_of_work: &'a UnitOfWork) -> Self {
        let krate = unit_of_work.options.crate_path();
        let function = &unit_of_work.function;
        let name = &function.sig.ident;
        let (doc_attrs, other_attrs): (Vec<_>, Vec<_>) = function
            .attrs
            .iter()
            .partition(|attr| attr.path().is_ident("doc"));
        let cfg_attrs = other_attrs
            .iter()
            .copied()
            .filter(|attr| attr.path().is_ident("cfg"))
            .collect();
        Parts {
            private: quote!(#krate::__private),
            body_name: format_ident!("__{}_unit_of_work_body", name, span = name.span()),
            config_name: format_ident!("__{}_unit_of_work_config", name, span = name.span()),
            doc_attrs,
            other_attrs,
            cfg_attrs,
        }
    }

    /// The function under its hidden name, with its attributes except its
    /// docs.
    fn body(&self, unit_of_work: &UnitOfWork) -> TokenStream {
        let mut body = unit_of_work.function.clone();
        body.sig.ident = self.body_name.clone();
        body.attrs = self.other_attrs.iter().map(|a| (*a).clone()).collect();
        quote!(#[doc(hidden)] #body)
    }

    /// The module `name` with `body` and `CONFIG`. `CONFIG` copies a hidden
    /// constant defined beside the function, where the options were
    /// written, so that a `Duration` expression names what is in scope
    /// there (not what is in scope inside the module).
    fn module(&self, unit_of_work: &UnitOfWork, config: &TokenStream) -> TokenStream {
        let Parts {
            private,
            body_name,
            config_name,
            cfg_attrs,
            ..
        } = self;
        let function = &unit_of_work.function;
        let vis = &function.vis;
        let inner_vis = inner_visibility(vis);
        let name = &function.sig.ident;
        let doc = format!(" The transaction body and configuration of the unit of work `{name}`.");
        quote! {
            #(#cfg_attrs)*
            #[allow(non_upper_case_globals, dead_code)]
            const #config_name: #private::UnitOfWorkConfig = #config;

            #[doc = #doc]
            #(#cfg_attrs)*
            #vis mod #name {
                /// Runs the unit of work inside a transaction the caller already
                /// has (composition): no retry, no configuration of its own.
                #[allow(unused_imports)]
                #inner_vis use super::#body_name as body;

                /// The access mode, timeout, metadata and overrides of the unit
                /// of work.
                #[allow(dead_code)]
                #inner_vis const CONFIG: #private::UnitOfWorkConfig = super::#config_name;
            }
        }
    }
}

/// The expansion of a unit of work that passed every check.
pub(super) fn expand(unit_of_work: &UnitOfWork) -> TokenStream {
    let parts = Parts::new(unit_of_work);
    let Parts {
        private,
        body_name,
        doc_attrs,
        other_attrs,
        ..
    } = &parts;
    let function = &unit_of_work.function;
    let name = &function.sig.ident;
    let arguments: Vec<_> = unit_of_work.named_arguments().collect();

    let mut wrapper_sig = function.sig.clone();
    let inputs = arguments.iter().map(|argument| {
        let (name, ty) = (&argument.name, &argument.ty);
        quote!(#name: #ty)
    });
    wrapper_sig.inputs = syn::parse_quote!(session: &mut #private::Session, #(#inputs),*);

    let fields: Vec<Field> = arguments
        .iter()
        .map(|argument| Field {
            name: argument.name.clone(),
            ty: argument.ty.clone(),
        })
        .collect();
    let output: Type = match &function.sig.output {
        syn::ReturnType::Type(_, ty) => (**ty).clone(),
        syn::ReturnType::Default => syn::parse_quote!(()),
    };
    let names = arguments.iter().map(|argument| &argument.name);
    let work = work_struct(
        private,
        &function.sig.generics,
        &fields,
        Access::PerAttempt,
        &output,
        quote!(#body_name(tx, #(#names),*)),
    );
    let (work_items, work_value) = (work.items, work.value);

    let send_check = send_check(unit_of_work, &parts);
    let body = parts.body(unit_of_work);
    let config = unit_of_work_config(private, &unit_of_work.options, Mode::Write);
    let module = parts.module(unit_of_work, &config);
    let vis = &function.vis;
    quote! {
        #(#doc_attrs)*
        #(#other_attrs)*
        #vis #wrapper_sig {
            #work_items
            #name::CONFIG.run_work(session, #work_value).await
        }

        #body

        #send_check

        #module
    }
}

/// What is emitted next to the errors: the function with the signature
/// callers expect and no working body, the transaction body (so that its
/// own errors are reported too) and the module, so that uses of any of
/// them type-check. A method is emitted unchanged (a module cannot go
/// inside an `impl`).
pub(super) fn stub(unit_of_work: &UnitOfWork) -> TokenStream {
    let function = &unit_of_work.function;
    if unit_of_work.has_receiver() {
        return quote!(#function);
    }
    let parts = Parts::new(unit_of_work);
    let Parts {
        private,
        doc_attrs,
        other_attrs,
        ..
    } = &parts;
    let mut stub_sig = function.sig.clone();
    stub_sig.asyncness = Some(Default::default());
    let inputs = function.sig.inputs.iter().skip(1);
    // Not `session`, which may be the name of an argument in error.
    stub_sig.inputs = syn::parse_quote!(__session: &mut #private::Session, #(#inputs),*);
    let body = parts.body(unit_of_work);
    let config = quote!(#private::UnitOfWorkConfig::new(#private::AccessMode::Write));
    let module = parts.module(unit_of_work, &config);
    let vis = &function.vis;
    quote! {
        #(#doc_attrs)*
        #(#other_attrs)*
        #[allow(unused_variables, clippy::unused_async)]
        #vis #stub_sig {
            ::core::unimplemented!()
        }

        #[allow(dead_code)]
        #body

        #module
    }
}

/// A constant that fails to compile, at the function's name, when the
/// body's future is not `Send`. Left out for generic functions, whose
/// futures are `Send` or not depending on their type arguments.
fn send_check(unit_of_work: &UnitOfWork, parts: &Parts<'_>) -> TokenStream {
    let function = &unit_of_work.function;
    let has_type_generics = function
        .sig
        .generics
        .params
        .iter()
        .any(|param| !matches!(param, syn::GenericParam::Lifetime(_)))
        || unit_of_work
            .named_arguments()
            .any(|argument| mentions_impl_trait(&argument.ty));
    if has_type_generics {
        return TokenStream::new();
    }
    let Parts {
        private,
        body_name,
        cfg_attrs,
        ..
    } = parts;
    let span = function.sig.ident.span();
    let diverging = function.sig.inputs.iter().map(|_| quote!(::core::panic!()));
    quote_spanned! {span=>
        #(#cfg_attrs)*
        #[allow(warnings, clippy::all, unreachable_code)]
        const _: () = {
            fn __unit_of_work_is_send() {
                #private::assert_send(#body_name(#(#diverging),*));
            }
        };
    }
}

/// Whether a type contains `impl Trait` (an anonymous type parameter).
fn mentions_impl_trait(ty: &Type) -> bool {
    match ty {
        Type::ImplTrait(_) => true,
        Type::Reference(reference) => mentions_impl_trait(&reference.elem),
        Type::Paren(paren) => mentions_impl_trait(&paren.elem),
        Type::Slice(slice) => mentions_impl_trait(&slice.elem),
        Type::Array(array) => mentions_impl_trait(&array.elem),
        Type::Tuple(tuple) => tuple.elems.iter().any(mentions_impl_trait),
        Type::Path(path) => path
            .path
            .segments
            .iter()
            .any(|segment| match &segment.arguments {
                syn::PathArguments::AngleBracketed(args) => args.args.iter().any(
                    |arg| matches!(arg, syn::GenericArgument::Type(ty) if mentions_impl_trait(ty)),
                ),
                _ => false,
            }),
        _ => false,
    }
}

/// The visibility of the module's items, seen from inside the module: as
/// visible as the function.
fn inner_visibility(vis: &Visibility) -> TokenStream {
    match vis {
        Visibility::Public(_) => quote!(pub),
        Visibility::Inherited => quote!(pub(super)),
        Visibility::Restricted(restricted) => {
            let path = &restricted.path;
            let first = path.segments.first().map(|s| s.ident.to_string());
            match first.as_deref() {
                Some("crate") if path.segments.len() == 1 => quote!(pub(crate)),
                Some("self") if path.segments.len() == 1 => quote!(pub(super)),
                Some("super") => quote!(pub(in super::#path)),
                Some("self") => {
                    let rest = path.segments.iter().skip(1);
                    quote!(pub(in super #(::#rest)*))
                }
                _ => quote!(pub(in #path)),
            }
        }
    }
}
