//! `#[queries]`: modules of Cypher queries checked while the crate compiles.
//!
//! Parse: the module's bodiless `fn` declarations and their `#[query]`
//! attributes. Check: the Cypher text (syntax, with a caret excerpt), its
//! `$parameters` against the arguments, and its returned columns against the
//! row type (through a generated constant, so rustc reports a mismatch at
//! the query). With a schema file (`neo-schema.toml` beside `Cargo.toml`, or
//! `#[queries(schema = "…")]`), also the labels, relationship types and
//! property keys, and the declared types of returned properties against the
//! row type's fields (again in constants). Expand: one async function per
//! query that runs it as a retried transaction function, passing the
//! arguments as parameters.

use neo_cypher::schema::{PropertyType, Schema};
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{
    Attribute, FnArg, GenericArgument, Item, ItemMod, LitStr, Pat, PathArguments, ReturnType,
    Signature, Token, Type, Visibility,
};

use crate::work::{Access, Field, work_struct};

/// A query function as declared: `#[query(…)] pub fn name(args) -> Ret;`
struct QueryDecl {
    attrs: Vec<Attribute>,
    vis: Visibility,
    sig: Signature,
}

impl Parse for QueryDecl {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let sig = input.parse()?;
        input.parse::<Token![;]>()?;
        Ok(QueryDecl { attrs, vis, sig })
    }
}

/// Where the Cypher text comes from.
enum Source {
    Inline(LitStr),
    File { path: LitStr, absolute: String },
}

/// The options of one `#[query(…)]`.
struct QueryOptions {
    source: Source,
    text: String,
    unchecked: bool,
    mode: Option<(bool, Span)>,
    timeout: Option<f64>,
    metadata: Vec<(String, syn::Lit)>,
}

impl QueryOptions {
    fn span(&self) -> Span {
        match &self.source {
            Source::Inline(lit) => lit.span(),
            Source::File { path, .. } => path.span(),
        }
    }
}

fn parse_options(attr: &Attribute) -> syn::Result<QueryOptions> {
    let mut source = None;
    let mut unchecked = false;
    let mut mode: Option<(bool, Span)> = None;
    let mut timeout = None;
    let mut metadata: Vec<(String, syn::Lit)> = Vec::new();
    attr.parse_args_with(|input: ParseStream<'_>| {
        while !input.is_empty() {
            if input.peek(LitStr) {
                let lit: LitStr = input.parse()?;
                if source.is_some() {
                    return Err(syn::Error::new(lit.span(), "the query text is given twice"));
                }
                source = Some(Source::Inline(lit));
            } else {
                let key: syn::Ident = input.parse()?;
                match key.to_string().as_str() {
                    "unchecked" => unchecked = true,
                    "read" | "write" => {
                        if mode.is_some() {
                            return Err(syn::Error::new(
                                key.span(),
                                "`read` or `write` is given twice",
                            ));
                        }
                        mode = Some((key == "write", key.span()));
                    }
                    "file" => {
                        input.parse::<Token![=]>()?;
                        let path: LitStr = input.parse()?;
                        if source.is_some() {
                            return Err(syn::Error::new(path.span(), "the query text is given twice"));
                        }
                        let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
                        let absolute = std::path::Path::new(&dir).join(path.value());
                        source = Some(Source::File {
                            absolute: absolute.to_string_lossy().into_owned(),
                            path,
                        });
                    }
                    "timeout" => {
                        input.parse::<Token![=]>()?;
                        let lit: syn::Lit = input.parse()?;
                        let seconds = match &lit {
                            syn::Lit::Int(i) => i.base10_parse::<u64>().map(|s| s as f64),
                            syn::Lit::Float(f) => f.base10_parse::<f64>(),
                            _ => Err(syn::Error::new(lit.span(), "")),
                        };
                        match seconds {
                            Ok(s) if s.is_finite() && s >= 0.0 => timeout = Some(s),
                            _ => {
                                return Err(syn::Error::new(
                                    lit.span(),
                                    "`timeout` is a number of seconds, such as `1` or `0.5`",
                                ));
                            }
                        }
                    }
                    "metadata" => {
                        let content;
                        syn::parenthesized!(content in input);
                        while !content.is_empty() {
                            let name: syn::Ident = content.parse()?;
                            content.parse::<Token![=]>()?;
                            let value: syn::Lit = content.parse()?;
                            if !matches!(
                                value,
                                syn::Lit::Str(_) | syn::Lit::Int(_) | syn::Lit::Float(_) | syn::Lit::Bool(_)
                            ) {
                                return Err(syn::Error::new(
                                    value.span(),
                                    "a metadata value is a string, number or boolean literal",
                                ));
                            }
                            let name_text = name.to_string();
                            if metadata.iter().any(|(k, _)| *k == name_text) {
                                return Err(syn::Error::new(
                                    name.span(),
                                    format!("metadata key `{name_text}` is given twice"),
                                ));
                            }
                            metadata.push((name_text, value));
                            if !content.is_empty() {
                                content.parse::<Token![,]>()?;
                            }
                        }
                    }
                    other => {
                        return Err(syn::Error::new(
                            key.span(),
                            format!(
                                "unknown option `{other}`; expected the query text, `file = \"…\"`, `unchecked`, `read`, `write`, `timeout = …` or `metadata(…)`"
                            ),
                        ));
                    }
                }
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(())
    })?;
    let Some(source) = source else {
        return Err(syn::Error::new(
            attr.span(),
            "`#[query]` needs the query text, as `#[query(\"MATCH …\")]` or `#[query(file = \"queries/q.cypher\")]`",
        ));
    };
    let text = match &source {
        Source::Inline(lit) => lit.value(),
        Source::File { path, absolute } => std::fs::read_to_string(absolute)
            .map_err(|e| syn::Error::new(path.span(), format!("cannot read `{absolute}`: {e}")))?,
    };
    Ok(QueryOptions {
        source,
        text,
        unchecked,
        mode,
        timeout,
        metadata,
    })
}

/// What a query function returns, by the shape of its declared type.
enum Output<'a> {
    Rows(&'a Type),
    Optional(&'a Type),
    Single(&'a Type),
    Summary(&'a Type),
    Nothing,
}

fn output(ret: &ReturnType) -> Output<'_> {
    let ty = match ret {
        ReturnType::Default => return Output::Nothing,
        ReturnType::Type(_, ty) => ty.as_ref(),
    };
    if let Type::Tuple(tuple) = ty
        && tuple.elems.is_empty()
    {
        return Output::Nothing;
    }
    if let Type::Path(path) = ty
        && let Some(last) = path.path.segments.last()
    {
        if last.ident == "ResultSummary" {
            return Output::Summary(ty);
        }
        if let PathArguments::AngleBracketed(args) = &last.arguments
            && let [GenericArgument::Type(inner)] = args.args.iter().collect::<Vec<_>>()[..]
        {
            if last.ident == "Vec" {
                return Output::Rows(inner);
            }
            if last.ident == "Option" {
                return Output::Optional(inner);
            }
        }
    }
    Output::Single(ty)
}

/// Expands `#[queries]` on a module.
pub(crate) fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let schema = match module_schema(args) {
        Ok(schema) => schema,
        Err(error) => return error.to_compile_error(),
    };
    let mut module: ItemMod = match syn::parse2(input) {
        Ok(module) => module,
        Err(error) => return error.to_compile_error(),
    };
    let Some((_, items)) = module.content.take() else {
        return syn::Error::new(
            module.ident.span(),
            "`#[queries]` goes on a module with a body: `mod people { … }`",
        )
        .to_compile_error();
    };
    let mut errors: Option<syn::Error> = None;
    let mut expanded = Vec::with_capacity(items.len());
    for item in items {
        let Item::Verbatim(tokens) = &item else {
            if let Item::Fn(function) = &item
                && function.attrs.iter().any(|a| a.path().is_ident("query"))
            {
                combine(
                    &mut errors,
                    syn::Error::new_spanned(
                        &function.block,
                        "a query function has no body: end its signature with `;`",
                    ),
                );
                continue;
            }
            expanded.push(item.into_token_stream());
            continue;
        };
        let decl: QueryDecl = match syn::parse2(tokens.clone()) {
            Ok(decl) => decl,
            Err(_) => {
                expanded.push(item.into_token_stream());
                continue;
            }
        };
        match expand_query(&decl, schema.as_ref()) {
            Ok(tokens) => expanded.push(tokens),
            Err(error) => {
                expanded.push(stub(&decl));
                combine(&mut errors, error);
            }
        }
    }
    let ItemMod {
        attrs,
        vis,
        mod_token,
        ident,
        ..
    } = module;
    let errors = errors.map(|e| e.to_compile_error());
    let schema_dependency = schema.map(|schema| {
        let absolute = schema.absolute;
        quote!(
            const _: &str = ::core::include_str!(#absolute);
        )
    });
    quote! {
        #(#attrs)*
        #vis #mod_token #ident {
            #schema_dependency
            #(#expanded)*
        }
        #errors
    }
}

/// The schema file queries are checked against.
struct SchemaFile {
    schema: Schema,
    /// The file name, for messages.
    name: String,
    /// The absolute path, for `include_str!`.
    absolute: String,
}

/// The schema file of a `#[queries]` module: `schema = "…"` relative to
/// the crate's `Cargo.toml`, else `neo-schema.toml` beside it if present.
fn module_schema(args: TokenStream) -> syn::Result<Option<SchemaFile>> {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    schema_in(args, std::path::Path::new(&dir))
}

/// [`module_schema`] for a crate whose `Cargo.toml` is in `dir`.
fn schema_in(args: TokenStream, dir: &std::path::Path) -> syn::Result<Option<SchemaFile>> {
    if args.is_empty() {
        let path = dir.join("neo-schema.toml");
        if !path.is_file() {
            return Ok(None);
        }
        return load_schema(&path, "neo-schema.toml", Span::call_site()).map(Some);
    }
    let path = syn::parse::Parser::parse2(
        |input: ParseStream<'_>| {
            let key: syn::Ident = input.parse()?;
            if key != "schema" {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "unknown option `{key}`; `#[queries]` takes only `schema = \"path/to/neo-schema.toml\"`"
                    ),
                ));
            }
            input.parse::<Token![=]>()?;
            let path: LitStr = input.parse()?;
            if !input.is_empty() {
                return Err(input.error("`#[queries]` takes only `schema = \"…\"`"));
            }
            Ok(path)
        },
        args,
    )?;
    let absolute = dir.join(path.value());
    load_schema(&absolute, &path.value(), path.span()).map(Some)
}

fn load_schema(path: &std::path::Path, written: &str, span: Span) -> syn::Result<SchemaFile> {
    let absolute = path.to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).map_err(|e| {
        syn::Error::new(
            span,
            format!("cannot read the schema file `{absolute}`: {e}"),
        )
    })?;
    let schema = Schema::parse(&text).map_err(|e| {
        syn::Error::new(
            span,
            format!(
                "invalid schema file `{written}`, line {}, column {}: {}",
                e.line, e.column, e.message
            ),
        )
    })?;
    let name = path
        .file_name()
        .map_or_else(|| written.to_owned(), |n| n.to_string_lossy().into_owned());
    Ok(SchemaFile {
        schema,
        name,
        absolute,
    })
}

/// The value kinds a declared property type may hold, as a `ValueKinds`
/// expression; `None` for `ANY` (nothing to check).
fn required_kinds(ty: &PropertyType) -> Option<TokenStream> {
    let kinds = quote!(::neo_runtime::__private::ValueKinds);
    let constant = match ty {
        PropertyType::Any => return None,
        PropertyType::Boolean => quote!(BOOLEAN),
        PropertyType::String => quote!(STRING),
        PropertyType::Integer => quote!(INTEGER),
        PropertyType::Float => quote!(FLOAT),
        PropertyType::Date => quote!(DATE),
        PropertyType::LocalTime => quote!(LOCAL_TIME),
        PropertyType::ZonedTime => quote!(ZONED_TIME),
        PropertyType::LocalDateTime => quote!(LOCAL_DATETIME),
        PropertyType::ZonedDateTime => quote!(ZONED_DATETIME),
        PropertyType::Duration => quote!(DURATION),
        PropertyType::Point => quote!(POINT),
        PropertyType::List(element) => {
            let element = required_kinds(element).unwrap_or_else(|| quote!(#kinds::NONE));
            return Some(quote!(#kinds::list_of(#element)));
        }
        PropertyType::Union(alternatives) => {
            let mut all = alternatives.iter().map(required_kinds);
            let first = all.next()??;
            let mut union = first;
            for alternative in all {
                let alternative = alternative?;
                union = quote!(#union.union(#alternative));
            }
            return Some(union);
        }
    };
    Some(quote!(#kinds::#constant))
}

fn combine(errors: &mut Option<syn::Error>, error: syn::Error) {
    match errors {
        Some(all) => all.combine(error),
        None => *errors = Some(error),
    }
}

/// Checks that the row type's fields accept the declared types of the
/// returned properties, in constants (reported at the query).
fn kind_checks(
    decl: &QueryDecl,
    query: &neo_cypher::Query,
    schema: &SchemaFile,
    row: &Type,
    span: Span,
) -> TokenStream {
    let mut checks = TokenStream::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    for column in query.column_types(&schema.schema) {
        let Some(kinds) = required_kinds(&column.ty) else {
            continue;
        };
        let ty = column.ty.to_string();
        if seen.contains(&(column.column.clone(), ty.clone())) {
            continue;
        }
        let message = format!(
            "`{}`: column `{}` is {ty} in {}, but the field of `{}` that reads it does not accept {ty}",
            decl.sig.ident,
            column.column,
            schema.name,
            row.to_token_stream(),
        );
        let name = &column.column;
        checks.extend(quote_spanned! {span=>
            const _: () = ::core::assert!(
                ::neo_runtime::__private::column_accepts::<#row>(#name, #kinds),
                #message
            );
        });
        seen.push((column.column, ty));
    }
    checks
}

/// The function with its declared signature and no working body, emitted
/// next to an error so that uses of it do not cascade into more errors.
fn stub(decl: &QueryDecl) -> TokenStream {
    let QueryDecl { vis, sig, .. } = decl;
    let ident = &sig.ident;
    let inputs = sig.inputs.iter();
    let ret = match &sig.output {
        ReturnType::Default => quote!(()),
        ReturnType::Type(_, ty) => ty.to_token_stream(),
    };
    quote! {
        #[allow(unused_variables, clippy::unused_async)]
        #vis async fn #ident(session: &mut ::neo_runtime::Session, #(#inputs),*) -> ::neo_runtime::Result<#ret> {
            ::core::unimplemented!()
        }
    }
}

fn expand_query(decl: &QueryDecl, schema: Option<&SchemaFile>) -> syn::Result<TokenStream> {
    let mut query_attrs = decl.attrs.iter().filter(|a| a.path().is_ident("query"));
    let Some(attr) = query_attrs.next() else {
        return Err(syn::Error::new(
            decl.sig.ident.span(),
            "a function in a `#[queries]` module needs a `#[query(\"…\")]` attribute",
        ));
    };
    if let Some(second) = query_attrs.next() {
        return Err(syn::Error::new(second.span(), "`#[query]` is given twice"));
    }
    if let Some(asyncness) = &decl.sig.asyncness {
        return Err(syn::Error::new(
            asyncness.span(),
            "leave out `async`: the generated function is async already",
        ));
    }
    let options = parse_options(attr)?;
    let span = options.span();
    let mut errors: Option<syn::Error> = None;

    // The arguments: simple `name: Type` pairs.
    let mut arguments = Vec::new();
    for input in &decl.sig.inputs {
        match input {
            FnArg::Typed(typed) => match typed.pat.as_ref() {
                Pat::Ident(ident) => arguments.push((ident.ident.clone(), typed.ty.as_ref())),
                other => combine(
                    &mut errors,
                    syn::Error::new(
                        other.span(),
                        "a query argument is a plain name: `name: Type`",
                    ),
                ),
            },
            FnArg::Receiver(receiver) => combine(
                &mut errors,
                syn::Error::new(receiver.span(), "a query function takes no `self`"),
            ),
        }
    }

    // The text: parsed (or, unchecked, scanned for its parameters).
    let parsed = if options.unchecked {
        None
    } else {
        match neo_cypher::parse(&options.text) {
            Ok(query) => Some(query),
            Err(error) => {
                return Err(syn::Error::new(
                    span,
                    format!("invalid Cypher: {}", error.render(&options.text)),
                ));
            }
        }
    };
    let parameters: Vec<String> = match &parsed {
        Some(query) => query.parameters().iter().map(|p| p.name.clone()).collect(),
        None => match neo_cypher::scan_parameters(&options.text) {
            Ok(names) => names.into_iter().map(|n| n.name).collect(),
            Err(error) => {
                return Err(syn::Error::new(
                    span,
                    format!("invalid Cypher: {}", error.render(&options.text)),
                ));
            }
        },
    };
    if let (Some(query), Some(schema)) = (&parsed, schema) {
        for problem in query.check_schema(&schema.schema) {
            let rendered = problem.render(&options.text, &schema.name);
            let rendered = rendered.strip_prefix("error: ").unwrap_or(&rendered);
            combine(&mut errors, syn::Error::new(span, rendered));
        }
    }
    let argument_names: Vec<String> = arguments.iter().map(|(i, _)| i.to_string()).collect();
    for parameter in &parameters {
        if !argument_names.iter().any(|a| a == parameter) {
            let hint = neo_cypher::suggest(parameter, argument_names.iter().map(String::as_str))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            combine(
                &mut errors,
                syn::Error::new(
                    span,
                    format!(
                        "the query uses `${parameter}`, but `{}` has no argument named `{parameter}`{hint}",
                        decl.sig.ident
                    ),
                ),
            );
        }
    }
    for (ident, _) in &arguments {
        let name = ident.to_string();
        if !parameters.contains(&name) {
            let hint = neo_cypher::suggest(&name, parameters.iter().map(String::as_str))
                .map(|s| format!("; did you mean `${s}`?"))
                .unwrap_or_default();
            combine(
                &mut errors,
                syn::Error::new(
                    ident.span(),
                    format!("argument `{name}` is not a parameter of the query{hint}"),
                ),
            );
        }
    }

    // The columns against the declared output.
    let output = output(&decl.sig.output);
    let columns = parsed.as_ref().map(|q| q.returned_columns());
    let row = match &output {
        Output::Rows(row) | Output::Optional(row) | Output::Single(row) => Some(*row),
        Output::Summary(_) | Output::Nothing => None,
    };
    let mut column_check = TokenStream::new();
    if let (Some(row), Some(columns)) = (row, &columns) {
        match columns {
            None => combine(
                &mut errors,
                syn::Error::new_spanned(
                    &decl.sig.output,
                    "the query returns no rows (it has no RETURN): declare `-> ResultSummary` or no return type",
                ),
            ),
            Some(columns) => {
                if let Some(names) = columns.names() {
                    let message = format!(
                        "`{}`: the query returns the columns [{}], which are not the columns `{}` reads",
                        decl.sig.ident,
                        names.join(", "),
                        row.to_token_stream()
                    );
                    column_check = quote_spanned! {span=>
                        const _: () = ::core::assert!(
                            ::neo_runtime::__private::columns_match::<#row>(&[#(#names),*]),
                            #message
                        );
                    };
                    if let (Some(query), Some(schema)) = (&parsed, schema) {
                        column_check.extend(kind_checks(decl, query, schema, row, span));
                    }
                }
            }
        }
    }
    if let Some(error) = errors {
        return Err(error);
    }

    // The expansion.
    let QueryDecl { attrs, vis, sig } = decl;
    let docs = attrs.iter().filter(|a| !a.path().is_ident("query"));
    let ident = &sig.ident;
    let inputs = sig.inputs.iter();
    let text = &options.text;
    let params = arguments.iter().map(|(ident, _)| {
        let name = ident.to_string();
        quote!(.param(#name, #ident))
    });
    let write = match options.mode {
        Some((write, _)) => write,
        None => parsed.as_ref().is_none_or(|q| !q.is_read_only()),
    };
    let mode = if write {
        quote!(::neo_runtime::AccessMode::Write)
    } else {
        quote!(::neo_runtime::AccessMode::Read)
    };
    let timeout = options
        .timeout
        .map(|seconds| quote!(.with_timeout(::std::time::Duration::from_secs_f64(#seconds))));
    let metadata = options
        .metadata
        .iter()
        .map(|(key, value)| quote!(.with_metadata(#key, #value)));
    let file_dependency = match &options.source {
        Source::File { absolute, .. } => quote!(
            const _: &str = ::core::include_str!(#absolute);
        ),
        Source::Inline(_) => TokenStream::new(),
    };
    let (ret, collect) = match output {
        Output::Rows(row) => (
            quote!(::std::vec::Vec<#row>),
            quote!(::neo_runtime::__private::all_rows::<#row>(result).await),
        ),
        Output::Optional(row) => (
            quote!(::core::option::Option<#row>),
            quote!(::neo_runtime::__private::optional_row::<#row>(result).await),
        ),
        Output::Single(row) => (
            quote!(#row),
            quote!(::neo_runtime::__private::single_row::<#row>(result).await),
        ),
        Output::Summary(summary) => (
            quote!(#summary),
            quote!(::neo_runtime::__private::summary(result).await),
        ),
        Output::Nothing => (
            quote!(()),
            quote!(::neo_runtime::__private::summary(result).await.map(|_| ())),
        ),
    };
    let fields: Vec<Field> = arguments
        .iter()
        .map(|(ident, ty)| Field {
            name: ident.clone(),
            ty: (*ty).clone(),
        })
        .collect();
    let private = quote!(::neo_runtime::__private);
    let work = work_struct(
        &private,
        &sig.generics,
        &fields,
        Access::Borrowed,
        &syn::parse_quote!(::neo_runtime::Result<#ret>),
        quote! {
            async move {
                let result = tx
                    .run(::neo_runtime::Query::new(#text) #(#params)*)
                    .await?;
                #collect
            }
        },
    );
    let (work_items, work_value) = (work.items, work.value);
    Ok(quote! {
        #(#docs)*
        #vis async fn #ident(session: &mut ::neo_runtime::Session, #(#inputs),*) -> ::neo_runtime::Result<#ret> {
            #column_check
            #file_dependency
            #work_items
            session
                .execute_work(
                    #mode,
                    ::neo_runtime::TransactionConfig::default() #timeout #(#metadata)*,
                    #work_value,
                )
                .await
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory standing for a crate's manifest directory,
    /// removed when dropped.
    struct CrateDir(std::path::PathBuf);

    impl std::ops::Deref for CrateDir {
        type Target = std::path::Path;
        fn deref(&self) -> &std::path::Path {
            &self.0
        }
    }

    impl Drop for CrateDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn crate_dir(name: &str) -> CrateDir {
        let dir = std::env::temp_dir().join(format!("neo-derive-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        CrateDir(dir)
    }

    #[test]
    fn without_a_schema_file_nothing_is_checked() {
        let dir = crate_dir("no-schema");
        assert!(schema_in(TokenStream::new(), &dir).unwrap().is_none());
    }

    #[test]
    fn the_schema_file_beside_the_manifest_is_found() {
        let dir = crate_dir("default-schema");
        std::fs::write(
            dir.join("neo-schema.toml"),
            "[nodes.Person]\nname = \"STRING\"\n",
        )
        .unwrap();
        let file = schema_in(TokenStream::new(), &dir).unwrap().unwrap();
        assert_eq!(file.name, "neo-schema.toml");
        assert!(file.schema.label("Person").is_some());
        assert!(file.absolute.ends_with("neo-schema.toml"));
    }

    #[test]
    fn a_named_schema_file_is_relative_to_the_manifest() {
        let dir = crate_dir("named-schema");
        std::fs::create_dir_all(dir.join("db")).unwrap();
        std::fs::write(dir.join("db/graph.toml"), "[relationships.KNOWS]\n").unwrap();
        std::fs::write(dir.join("neo-schema.toml"), "[nodes.Ignored]\n").unwrap();
        let file = schema_in(quote!(schema = "db/graph.toml"), &dir)
            .unwrap()
            .unwrap();
        assert_eq!(file.name, "graph.toml");
        assert!(file.schema.relationship_type("KNOWS").is_some());
        assert!(file.schema.label("Ignored").is_none());
    }

    #[test]
    fn schema_file_errors_name_the_file_and_line() {
        let dir = crate_dir("bad-schema");
        std::fs::write(
            dir.join("neo-schema.toml"),
            "[nodes.Person]\nname = \"TEXT\"\n",
        )
        .unwrap();
        let error = schema_in(TokenStream::new(), &dir).err().unwrap();
        assert_eq!(
            error.to_string(),
            "invalid schema file `neo-schema.toml`, line 2, column 8: `nodes.Person.name`: \
             unknown type `TEXT`; expected a property type such as `STRING`, `INTEGER` or `LIST<STRING>`"
        );
        let missing = schema_in(quote!(schema = "nowhere.toml"), &dir)
            .err()
            .unwrap();
        assert!(
            missing
                .to_string()
                .starts_with("cannot read the schema file `")
        );
        let unknown = schema_in(quote!(path = "x.toml"), &dir).err().unwrap();
        assert!(unknown.to_string().starts_with("unknown option `path`"));
    }

    #[test]
    fn declared_types_become_value_kinds() {
        let render = |ty: &PropertyType| required_kinds(ty).map(|t| t.to_string());
        assert_eq!(render(&PropertyType::Any), None);
        assert_eq!(
            render(&PropertyType::Integer).unwrap(),
            ":: neo_runtime :: __private :: ValueKinds :: INTEGER"
        );
        let list = PropertyType::List(Box::new(PropertyType::String));
        assert!(render(&list).unwrap().contains("list_of"));
        let union = PropertyType::Union(vec![PropertyType::Integer, PropertyType::Any]);
        assert_eq!(render(&union), None);
    }
}
