//! The input of `#[queries]`: the module, its query declarations, their
//! `#[query(…)]` attribute and the text it gives.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Item, Meta, Signature, Token, Visibility};

use crate::ctxt::Ctxt;
use crate::options::{self, Options, Source};

/// A query function as declared: `#[query(…)] pub fn name(args) -> Ret;`
pub(super) struct QueryDecl {
    pub(super) attrs: Vec<Attribute>,
    pub(super) vis: Visibility,
    pub(super) sig: Signature,
    /// The body, when one was written by mistake.
    pub(super) body: Option<syn::Block>,
}

impl Parse for QueryDecl {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let sig = input.parse()?;
        input.parse::<Token![;]>()?;
        Ok(QueryDecl {
            attrs,
            vis,
            sig,
            body: None,
        })
    }
}

impl QueryDecl {
    /// The attributes that carry over to the generated function (all but
    /// `#[query]`).
    pub(super) fn kept_attrs(&self) -> impl Iterator<Item = &Attribute> {
        self.attrs
            .iter()
            .filter(|attr| !attr.path().is_ident("query"))
    }
}

/// An item of the module.
pub(super) enum ModuleItem {
    /// A query declaration.
    Query(Box<QueryDecl>),
    /// Anything else, kept as written.
    Other(TokenStream),
}

/// The module's items, with query declarations recognised: bodiless `fn`s
/// (which syn leaves as verbatim tokens), and `fn`s with a body that carry
/// `#[query]` (an error reported with the query).
pub(super) fn module_items(items: Vec<Item>) -> Vec<ModuleItem> {
    items
        .into_iter()
        .map(|item| match item {
            Item::Verbatim(tokens) => match syn::parse2::<QueryDecl>(tokens.clone()) {
                Ok(decl) => ModuleItem::Query(Box::new(decl)),
                Err(_) => ModuleItem::Other(tokens),
            },
            Item::Fn(function) if function.attrs.iter().any(|a| a.path().is_ident("query")) => {
                ModuleItem::Query(Box::new(QueryDecl {
                    attrs: function.attrs,
                    vis: function.vis,
                    sig: function.sig,
                    body: Some(*function.block),
                }))
            }
            other => ModuleItem::Other(other.into_token_stream()),
        })
        .collect()
}

/// The options of the declaration's one `#[query(…)]`; `None` when it has
/// none (recorded).
pub(super) fn query_options(cx: &Ctxt, decl: &QueryDecl) -> Option<Options> {
    if let Some(body) = &decl.body {
        cx.error_spanned_by(
            body,
            "a query function has no body: end its signature with `;`",
        );
    }
    if let Some(asyncness) = &decl.sig.asyncness {
        cx.error_spanned_by(
            asyncness,
            "leave out `async`: the generated function is async already",
        );
    }
    let mut attrs = decl.attrs.iter().filter(|a| a.path().is_ident("query"));
    let Some(attr) = attrs.next() else {
        cx.error_spanned_by(
            &decl.sig.ident,
            "a function in a `#[queries]` module needs a `#[query(\"…\")]` attribute",
        );
        return None;
    };
    for second in attrs {
        cx.error_spanned_by(second, "`#[query]` is given twice");
    }
    let tokens = match &attr.meta {
        Meta::List(list) => list.tokens.clone(),
        _ => TokenStream::new(),
    };
    let options = Options::parse(cx, options::Attribute::Query, tokens);
    if options.source.is_none() && options.complete {
        cx.error_spanned_by(
            attr,
            "`#[query]` needs the query text, as `#[query(\"MATCH …\")]` or `#[query(file = \"queries/q.cypher\")]`",
        );
    }
    Some(options)
}

/// A query's text, and the file it was read from.
pub(super) struct Text {
    pub(super) text: String,
    /// The absolute path of the file, for `include_str!` (so that editing
    /// it rebuilds the crate).
    pub(super) file: Option<String>,
}

/// The text the source gives, read from its file if it names one.
pub(super) fn text(cx: &Ctxt, source: &Source) -> Option<Text> {
    match source {
        Source::Inline(lit) => Some(Text {
            text: lit.value(),
            file: None,
        }),
        Source::File(path) => {
            let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
            let absolute = std::path::Path::new(&dir).join(path.value());
            let absolute = absolute.to_string_lossy().into_owned();
            match std::fs::read_to_string(&absolute) {
                Ok(text) => Some(Text {
                    text,
                    file: Some(absolute),
                }),
                Err(error) => {
                    cx.error_spanned_by(path, format!("cannot read `{absolute}`: {error}"));
                    None
                }
            }
        }
    }
}
