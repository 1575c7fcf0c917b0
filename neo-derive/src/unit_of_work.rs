//! `#[unit_of_work]`: parse the options and the function, check them, expand
//! into a session-taking function plus a module holding the transaction body
//! and the configuration.

use std::collections::BTreeSet;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::parse::Parser;
use syn::spanned::Spanned;
use syn::{Expr, FnArg, ItemFn, Lit, Pat, Type, Visibility};

use crate::ctxt::Ctxt;
use crate::work::{Access, Field, work_struct};

const OPTIONS: &str =
    "`read`, `write`, `timeout`, `metadata`, `database`, `max_retry_time`, `crate`";

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Read,
    Write,
}

#[derive(Default)]
struct Options {
    mode: Option<Mode>,
    timeout: Option<u64>,
    metadata: Vec<(String, TokenStream)>,
    database: Option<String>,
    max_retry_time: Option<u64>,
    krate: Option<syn::Path>,
}

/// The whole macro: on any error, the function is emitted unchanged next to
/// the errors, so the rest of the crate still type-checks.
pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let function: ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(error) => {
            let error = error.to_compile_error();
            return quote!(#item #error);
        }
    };
    let mut cx = Ctxt::default();
    let options = parse_options(&mut cx, attr);
    let args = check_function(&mut cx, &function);
    match cx.check() {
        Ok(()) => generate(&options, &function, &args),
        Err(error) => {
            let error = error.to_compile_error();
            quote!(#function #error)
        }
    }
}

fn parse_options(cx: &mut Ctxt, attr: TokenStream) -> Options {
    let mut options = Options::default();
    let mut seen = BTreeSet::new();
    let mut mode_span: Option<Span> = None;
    let parser = syn::meta::parser(|meta| {
        let path = &meta.path;
        let name = quote!(#path).to_string().replace(' ', "");
        if !seen.insert(name.clone()) {
            cx.error_spanned_by(&meta.path, format!("duplicate option `{name}`"));
            return skip_value(&meta);
        }
        match name.as_str() {
            "read" | "write" => {
                let mode = if name == "read" {
                    Mode::Read
                } else {
                    Mode::Write
                };
                if mode_span.is_some() {
                    cx.error_spanned_by(
                        &meta.path,
                        "a unit of work is either `read` or `write`, not both",
                    );
                } else {
                    options.mode = Some(mode);
                    mode_span = Some(meta.path.span());
                }
                if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
                    cx.error_spanned_by(&meta.path, format!("`{name}` takes no value"));
                    return skip_value(&meta);
                }
                Ok(())
            }
            "timeout" | "max_retry_time" => {
                let expr: Expr = meta.value()?.parse()?;
                match duration_nanos(&expr) {
                    Ok(nanos) if name == "timeout" => options.timeout = Some(nanos),
                    Ok(nanos) => options.max_retry_time = Some(nanos),
                    Err(message) => cx.error_spanned_by(&expr, message),
                }
                Ok(())
            }
            "database" => {
                let expr: Expr = meta.value()?.parse()?;
                match &expr {
                    Expr::Lit(syn::ExprLit {
                        lit: Lit::Str(s), ..
                    }) => options.database = Some(s.value()),
                    _ => cx.error_spanned_by(
                        &expr,
                        "expected a string literal: `database = \"neo4j\"`",
                    ),
                }
                Ok(())
            }
            "crate" => {
                let expr: Expr = meta.value()?.parse()?;
                match &expr {
                    Expr::Lit(syn::ExprLit {
                        lit: Lit::Str(s), ..
                    }) => match s.parse::<syn::Path>() {
                        Ok(path) => options.krate = Some(path),
                        Err(error) => cx.syn_error(error),
                    },
                    _ => cx.error_spanned_by(
                        &expr,
                        "expected a path as a string: `crate = \"my::neo_runtime\"`",
                    ),
                }
                Ok(())
            }
            "metadata" => {
                if !meta.input.peek(syn::token::Paren) {
                    cx.error_spanned_by(&meta.path, "expected `metadata(key = literal, …)`");
                    return skip_value(&meta);
                }
                let mut keys = BTreeSet::new();
                meta.parse_nested_meta(|entry| {
                    let key = entry
                        .path
                        .get_ident()
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    let expr: Expr = entry.value()?.parse()?;
                    if !keys.insert(key.clone()) {
                        cx.error_spanned_by(&entry.path, format!("duplicate metadata key `{key}`"));
                        return Ok(());
                    }
                    match metadata_value(&expr) {
                        Some(value) => options.metadata.push((key, value)),
                        None => cx.error_spanned_by(
                            &expr,
                            "expected a string, integer, float or boolean literal",
                        ),
                    }
                    Ok(())
                })
            }
            _ => {
                cx.error_spanned_by(
                    &meta.path,
                    format!("unknown option `{name}`; expected one of {OPTIONS}"),
                );
                skip_value(&meta)
            }
        }
    });
    if let Err(error) = parser.parse2(attr) {
        cx.syn_error(error);
        return options;
    }
    if options.mode.is_none() && mode_span.is_none() {
        cx.syn_error(syn::Error::new(
            Span::call_site(),
            "a unit of work needs an access mode: `#[unit_of_work(read)]` or `#[unit_of_work(write)]`",
        ));
    }
    options
}

/// Consumes whatever follows an option that was rejected.
fn skip_value(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        content.parse::<TokenStream>()?;
    }
    Ok(())
}

/// A duration option in nanoseconds: seconds as an integer or float, or a
/// string such as `"1500ms"`, `"2s"` or `"1m"`.
fn duration_nanos(expr: &Expr) -> Result<u64, String> {
    const EXPECTED: &str = "expected a duration: seconds as `1` or `0.5`, or a string such as \"1500ms\", \"2s\" or \"1m\"";
    let Expr::Lit(syn::ExprLit { lit, .. }) = expr else {
        return Err(EXPECTED.to_owned());
    };
    let (number, unit_nanos) = match lit {
        Lit::Int(int) => (int.base10_digits().to_owned(), 1e9),
        Lit::Float(float) => (float.base10_digits().to_owned(), 1e9),
        Lit::Str(s) => {
            let text = s.value();
            let text = text.trim();
            let (number, unit) = if let Some(n) = text.strip_suffix("ms") {
                (n, 1e6)
            } else if let Some(n) = text.strip_suffix('s') {
                (n, 1e9)
            } else if let Some(n) = text.strip_suffix('m') {
                (n, 60e9)
            } else {
                return Err(format!(
                    "{EXPECTED}: `{text}` has no unit (`ms`, `s` or `m`)"
                ));
            };
            (number.trim().to_owned(), unit)
        }
        _ => return Err(EXPECTED.to_owned()),
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{EXPECTED}: `{number}` is not a number"))?;
    let nanos = value * unit_nanos;
    if !nanos.is_finite() || nanos < 0.0 || nanos > u64::MAX as f64 {
        return Err(format!("{EXPECTED}: `{number}` is out of range"));
    }
    Ok(nanos.round() as u64)
}

fn metadata_value(expr: &Expr) -> Option<TokenStream> {
    let (negative, lit) = match expr {
        Expr::Lit(syn::ExprLit { lit, .. }) => (false, lit),
        Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr,
            ..
        }) => match &**expr {
            Expr::Lit(syn::ExprLit { lit, .. }) => (true, lit),
            _ => return None,
        },
        _ => return None,
    };
    let minus = negative.then(|| quote!(-));
    Some(match lit {
        Lit::Str(s) if !negative => quote!(String(#s)),
        Lit::Bool(b) if !negative => quote!(Boolean(#b)),
        Lit::Int(i) => {
            let digits: i64 = i.base10_parse().ok()?;
            quote!(Integer(#minus #digits))
        }
        Lit::Float(f) => {
            let digits: f64 = f.base10_parse().ok()?;
            quote!(Float(#minus #digits))
        }
        _ => return None,
    })
}

/// One argument after the transaction.
struct Argument {
    name: syn::Ident,
    ty: Type,
}

fn check_function(cx: &mut Ctxt, function: &ItemFn) -> Vec<Argument> {
    let sig = &function.sig;
    if sig.asyncness.is_none() {
        cx.error_spanned_by(sig.fn_token, "a unit of work must be an `async fn`");
    }
    let mut inputs = sig.inputs.iter();
    match inputs.next() {
        Some(FnArg::Receiver(receiver)) => cx.error_spanned_by(
            receiver,
            "a unit of work cannot take `self`; make it a free function",
        ),
        Some(FnArg::Typed(pat_type)) => {
            if !is_transaction(&pat_type.ty) {
                cx.error_spanned_by(
                    &pat_type.ty,
                    "the first parameter of a unit of work is its transaction: `&mut ManagedTransaction<'_>`",
                );
            }
        }
        None => cx.syn_error(syn::Error::new(
            sig.paren_token.span.join(),
            "a unit of work takes its transaction as first parameter: `tx: &mut ManagedTransaction<'_>`",
        )),
    }
    let mut arguments = Vec::new();
    for input in inputs {
        match input {
            FnArg::Receiver(receiver) => {
                cx.error_spanned_by(receiver, "a unit of work cannot take `self`")
            }
            FnArg::Typed(pat_type) => match &*pat_type.pat {
                Pat::Ident(ident) if ident.by_ref.is_none() && ident.subpat.is_none() => {
                    if ident.ident == "session" {
                        cx.error_spanned_by(
                            &ident.ident,
                            "`session` names the session parameter of the generated function; rename this argument",
                        );
                    }
                    arguments.push(Argument {
                        name: ident.ident.clone(),
                        ty: (*pat_type.ty).clone(),
                    });
                }
                other => cx.error_spanned_by(
                    other,
                    "unit-of-work arguments must be plain names (`name: Type`)",
                ),
            },
        }
    }
    arguments
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

fn generate(options: &Options, function: &ItemFn, args: &[Argument]) -> TokenStream {
    let krate = options
        .krate
        .clone()
        .unwrap_or_else(|| syn::parse_quote!(::neo_runtime));
    let private = quote!(#krate::__private);
    let vis = &function.vis;
    let inner_vis = inner_visibility(vis);
    let name = &function.sig.ident;
    let body_name = format_ident!("__{}_unit_of_work_body", name, span = name.span());
    let (doc_attrs, other_attrs): (Vec<_>, Vec<_>) = function
        .attrs
        .iter()
        .partition(|attr| attr.path().is_ident("doc"));

    let mut body_fn = function.clone();
    body_fn.sig.ident = body_name.clone();
    body_fn.attrs = other_attrs.iter().map(|a| (*a).clone()).collect();
    let mut wrapper_sig = function.sig.clone();
    let inputs = args.iter().map(|arg| {
        let name = &arg.name;
        let ty = &arg.ty;
        quote!(#name: #ty)
    });
    wrapper_sig.inputs = syn::parse_quote!(session: &mut #private::Session, #(#inputs),*);

    let fields: Vec<Field> = args
        .iter()
        .map(|arg| Field {
            name: arg.name.clone(),
            ty: arg.ty.clone(),
        })
        .collect();
    let output: Type = match &function.sig.output {
        syn::ReturnType::Type(_, ty) => (**ty).clone(),
        syn::ReturnType::Default => syn::parse_quote!(()),
    };
    let names = args.iter().map(|arg| &arg.name);
    let work = work_struct(
        &private,
        &function.sig.generics,
        &fields,
        Access::PerAttempt,
        &output,
        quote!(#body_name(tx, #(#names),*)),
    );
    let (work_items, work_value) = (work.items, work.value);

    let mode = match options.mode {
        Some(Mode::Read) => quote!(Read),
        _ => quote!(Write),
    };
    let mut config = quote!(#private::UnitOfWorkConfig::new(#private::AccessMode::#mode));
    if let Some(nanos) = options.timeout {
        config = quote!(#config.with_timeout(#private::Duration::from_nanos(#nanos)));
    }
    if !options.metadata.is_empty() {
        let entries = options
            .metadata
            .iter()
            .map(|(key, value)| quote!((#key, #private::MetadataValue::#value)));
        config = quote!(#config.with_metadata(&[#(#entries),*]));
    }
    if let Some(database) = &options.database {
        config = quote!(#config.with_database(#database));
    }
    if let Some(nanos) = options.max_retry_time {
        config = quote!(#config.with_max_retry_time(#private::Duration::from_nanos(#nanos)));
    }

    let has_type_generics = function
        .sig
        .generics
        .params
        .iter()
        .any(|param| !matches!(param, syn::GenericParam::Lifetime(_)))
        || args.iter().any(|arg| mentions_impl_trait(&arg.ty));
    let send_check = if !has_type_generics {
        let span = name.span();
        let diverging = function.sig.inputs.iter().map(|_| quote!(::core::panic!()));
        quote_spanned! {span=>
            #[allow(warnings, clippy::all, unreachable_code)]
            const _: () = {
                fn __unit_of_work_is_send() {
                    #private::assert_send(#body_name(#(#diverging),*));
                }
            };
        }
    } else {
        TokenStream::new()
    };

    let cfg_attrs: Vec<_> = other_attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"))
        .collect();
    let send_check = quote!(#(#cfg_attrs)* #send_check);
    let doc = format!(" The transaction body and configuration of the unit of work `{name}`.");
    quote! {
        #(#doc_attrs)*
        #(#other_attrs)*
        #vis #wrapper_sig {
            #work_items
            #name::CONFIG.run_work(session, #work_value).await
        }

        #[doc(hidden)]
        #body_fn

        #send_check

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
            #inner_vis const CONFIG: #private::UnitOfWorkConfig = #config;
        }
    }
}
