//! `#[queries]`: modules of Cypher queries checked while the crate compiles.
//!
//! Parse ([`input`], [`cypher`], [`args`]): the module's bodiless `fn`
//! declarations, their `#[query(…)]` options, the Cypher text and its
//! `$parameters`. Check ([`args`], [`output`], [`run`], [`schema`]): the
//! parameters against the arguments, the return type against the query,
//! the options against how the query runs, and with a schema file
//! (`neo-schema.toml` beside `Cargo.toml`, or `#[queries(schema = "…")]`)
//! the labels, relationship types and property keys. Expand ([`expand`]):
//! one async function per query, passing the arguments as parameters, with
//! constants in which the compiler checks the returned columns (and their
//! declared types) against the row type.
//!
//! Each query's errors are collected on their own, so that a query in error
//! becomes a stub with its declared signature while the others expand, and
//! every error of the module is reported at once.

mod args;
mod cypher;
mod expand;
mod input;
mod output;
mod run;
pub(crate) mod schema;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::ItemMod;

use self::args::Argument;
use self::cypher::Cypher;
use self::input::{ModuleItem, QueryDecl, Text};
use self::schema::SchemaFile;
use crate::ctxt::Ctxt;
use crate::options::{Attribute, Options};

/// Expands `#[queries]` on a module.
pub(crate) fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let cx = Ctxt::new();
    let options = Options::parse(&cx, Attribute::Queries, args);
    let module = module(&cx, &options, input);
    let errors = cx.check().err().map(|error| error.to_compile_error());
    quote!(#module #errors)
}

/// The module with every declaration expanded (or stubbed).
fn module(cx: &Ctxt, options: &Options, input: TokenStream) -> TokenStream {
    let mut module: ItemMod = match syn::parse2(input.clone()) {
        Ok(module) => module,
        Err(error) => {
            cx.syn_error(error);
            return input;
        }
    };
    let Some((_, items)) = module.content.take() else {
        cx.error_spanned_by(
            &module.ident,
            "`#[queries]` goes on a module with a body: `mod people { … }`",
        );
        return module.into_token_stream();
    };
    let schema = schema::module_schema(cx, options.schema.as_ref());
    let krate = options.crate_path();
    let items: Vec<TokenStream> = input::module_items(items)
        .into_iter()
        .map(|item| match item {
            ModuleItem::Other(tokens) => tokens,
            ModuleItem::Query(decl) => query(cx, &decl, schema.as_ref(), &krate),
        })
        .collect();
    let schema_dependency = schema.as_ref().map(SchemaFile::dependency);
    let ItemMod {
        attrs,
        vis,
        mod_token,
        ident,
        ..
    } = module;
    quote! {
        #(#attrs)*
        #vis #mod_token #ident {
            #schema_dependency
            #(#items)*
        }
    }
}

/// One declaration, read, checked and expanded; or, if it has errors
/// (recorded in the module's context), its stub.
fn query(
    module_cx: &Ctxt,
    decl: &QueryDecl,
    schema: Option<&SchemaFile>,
    krate: &syn::Path,
) -> TokenStream {
    let cx = Ctxt::new();
    let query = Query::read(&cx, decl);
    if let Some(query) = &query {
        query.check(&cx, schema);
    }
    match (cx.check(), query) {
        (Ok(()), Some(query)) => expand::query(&query, schema, krate),
        // `Query::read` gives nothing only after recording why.
        (result, _) => {
            if let Err(error) = result {
                module_cx.syn_error(error);
            }
            expand::stub(decl, krate)
        }
    }
}

/// A declaration, read: what the checks and the expansion work from.
struct Query<'a> {
    decl: &'a QueryDecl,
    options: Options,
    text: Text,
    cypher: Cypher,
    arguments: Vec<Argument>,
}

impl<'a> Query<'a> {
    /// Reads the declaration; `None` (with the reasons recorded) when its
    /// text cannot be had or analysed.
    fn read(cx: &Ctxt, decl: &'a QueryDecl) -> Option<Query<'a>> {
        let arguments = args::arguments(cx, &decl.sig);
        let options = input::query_options(cx, decl)?;
        let source = options.source.as_ref()?;
        let text = input::text(cx, source)?;
        let unchecked = options.unchecked.is_some();
        let cypher = Cypher::analyse(cx, &text.text, unchecked, source.literal().span())?;
        Some(Query {
            decl,
            options,
            text,
            cypher,
            arguments,
        })
    }

    /// Where errors about the text go: the text, or its file name.
    fn span(&self) -> Span {
        self.options
            .source
            .as_ref()
            .map_or_else(Span::call_site, |source| source.literal().span())
    }

    /// Records every problem of the query.
    fn check(&self, cx: &Ctxt, schema: Option<&SchemaFile>) {
        let span = self.span();
        if let (Some(parsed), Some(schema)) = (&self.cypher.parsed, schema) {
            for problem in parsed.check_schema(&schema.schema) {
                let rendered = problem.render(&self.text.text, &schema.name);
                cx.error_at(span, rendered.strip_prefix("error: ").unwrap_or(&rendered));
            }
        }
        let sig = &self.decl.sig;
        args::check(
            cx,
            &sig.ident,
            &self.arguments,
            &self.cypher.parameters,
            span,
        );
        output::check(cx, sig, &self.cypher);
        run::check(cx, &self.options, &self.cypher);
    }
}
