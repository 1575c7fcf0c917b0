//! What a query function returns: the shape of its declared type, the
//! returned columns against the row type, and (with a schema file) the
//! declared types of returned properties against the row type's fields.
//! The last two are checked by the compiler, in constants spanned at the
//! query, because only the row type's implementation knows its columns.

use neo_cypher::schema::PropertyType;
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::{GenericArgument, PathArguments, ReturnType, Signature, Type};

use super::cypher::Cypher;
use super::schema::SchemaFile;
use crate::ctxt::Ctxt;

/// The declared return type, by shape.
pub(super) enum Output<'a> {
    /// `Vec<Row>`: every row.
    Rows(&'a Type),
    /// `Option<Row>`: at most one row.
    Optional(&'a Type),
    /// `Row`: exactly one row.
    Single(&'a Type),
    /// `ResultSummary`.
    Summary(&'a Type),
    /// Nothing (or `()`).
    Nothing,
}

impl<'a> Output<'a> {
    /// The shape of `ret`.
    pub(super) fn of(ret: &'a ReturnType) -> Self {
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

    /// The row type, if the function returns rows.
    pub(super) fn row(&self) -> Option<&'a Type> {
        match self {
            Output::Rows(row) | Output::Optional(row) | Output::Single(row) => Some(row),
            Output::Summary(_) | Output::Nothing => None,
        }
    }

    /// The success type, and the expression turning the result stream
    /// `result` into it.
    pub(super) fn collect(&self, private: &TokenStream) -> (TokenStream, TokenStream) {
        match self {
            Output::Rows(row) => (
                quote!(#private::Vec<#row>),
                quote!(#private::all_rows::<#row>(result).await),
            ),
            Output::Optional(row) => (
                quote!(#private::Option<#row>),
                quote!(#private::optional_row::<#row>(result).await),
            ),
            Output::Single(row) => (
                quote!(#row),
                quote!(#private::single_row::<#row>(result).await),
            ),
            Output::Summary(summary) => (quote!(#summary), quote!(#private::summary(result).await)),
            Output::Nothing => (
                quote!(()),
                quote!(#private::summary(result).await.map(|_| ())),
            ),
        }
    }
}

/// Records rows declared for a query that returns none.
pub(super) fn check(cx: &Ctxt, sig: &Signature, cypher: &Cypher) {
    let Some(query) = &cypher.parsed else {
        return;
    };
    if Output::of(&sig.output).row().is_some() && query.returned_columns().is_none() {
        cx.error_spanned_by(
            &sig.output,
            "the query returns no rows (it has no RETURN): declare `-> ResultSummary` or no return type",
        );
    }
}

/// The constants that check the returned columns against the row type,
/// and the declared property types against its fields.
pub(super) fn column_checks(
    sig: &Signature,
    cypher: &Cypher,
    schema: Option<&SchemaFile>,
    private: &TokenStream,
    span: Span,
) -> TokenStream {
    let (Some(row), Some(query)) = (Output::of(&sig.output).row(), &cypher.parsed) else {
        return TokenStream::new();
    };
    let Some(columns) = query.returned_columns() else {
        return TokenStream::new();
    };
    let Some(names) = columns.names() else {
        return TokenStream::new();
    };
    let message = format!(
        "`{}`: the query returns the columns [{}], which are not the columns `{}` reads",
        sig.ident,
        names.join(", "),
        row.to_token_stream()
    );
    let mut checks = quote_spanned! {span=>
        const _: () = ::core::assert!(
            #private::columns_match::<#row>(&[#(#names),*]),
            #message
        );
    };
    if let Some(schema) = schema {
        checks.extend(kind_checks(sig, query, schema, row, private, span));
    }
    checks
}

/// Checks that the row type's fields accept the declared types of the
/// returned properties.
fn kind_checks(
    sig: &Signature,
    query: &neo_cypher::Query,
    schema: &SchemaFile,
    row: &Type,
    private: &TokenStream,
    span: Span,
) -> TokenStream {
    let mut checks = TokenStream::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    for column in query.column_types(&schema.schema) {
        let Some(kinds) = required_kinds(private, &column.ty) else {
            continue;
        };
        let ty = column.ty.to_string();
        if seen.contains(&(column.column.clone(), ty.clone())) {
            continue;
        }
        let message = format!(
            "`{}`: column `{}` is {ty} in {}, but the field of `{}` that reads it does not accept {ty}",
            sig.ident,
            column.column,
            schema.name,
            row.to_token_stream(),
        );
        let name = &column.column;
        checks.extend(quote_spanned! {span=>
            const _: () = ::core::assert!(
                #private::column_accepts::<#row>(#name, #kinds),
                #message
            );
        });
        seen.push((column.column, ty));
    }
    checks
}

/// The value kinds a declared property type may hold, as a `ValueKinds`
/// expression; `None` for `ANY` (nothing to check).
fn required_kinds(private: &TokenStream, ty: &PropertyType) -> Option<TokenStream> {
    let kinds = quote!(#private::ValueKinds);
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
            let element = required_kinds(private, element).unwrap_or_else(|| quote!(#kinds::NONE));
            return Some(quote!(#kinds::list_of(#element)));
        }
        PropertyType::Union(alternatives) => {
            let mut all = alternatives.iter().map(|ty| required_kinds(private, ty));
            let mut union = all.next()??;
            for alternative in all {
                let alternative = alternative?;
                union = quote!(#union.union(#alternative));
            }
            return Some(union);
        }
    };
    Some(quote!(#kinds::#constant))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_types_become_value_kinds() {
        let private = quote!(::neo_runtime::__private);
        let render = |ty: &PropertyType| required_kinds(&private, ty).map(|t| t.to_string());
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

    #[test]
    fn return_types_by_shape() {
        let shape = |ret: &str| {
            let sig: Signature = syn::parse_str(&format!("fn f() {ret}")).unwrap();
            match Output::of(&sig.output) {
                Output::Rows(_) => "rows",
                Output::Optional(_) => "optional",
                Output::Single(_) => "single",
                Output::Summary(_) => "summary",
                Output::Nothing => "nothing",
            }
        };
        assert_eq!(shape("-> Vec<Person>"), "rows");
        assert_eq!(shape("-> std::option::Option<Person>"), "optional");
        assert_eq!(shape("-> Person"), "single");
        assert_eq!(shape("-> neo_runtime::ResultSummary"), "summary");
        assert_eq!(shape("-> ()"), "nothing");
        assert_eq!(shape(""), "nothing");
    }
}
