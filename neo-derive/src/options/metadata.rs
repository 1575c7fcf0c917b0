//! `metadata(key = literal, …)`: transaction metadata written as literals.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Expr, Ident, Lit, LitStr, Token, UnOp};

use crate::ctxt::Ctxt;

/// One metadata entry.
pub(crate) struct MetadataEntry {
    /// The key.
    pub(crate) key: String,
    /// The value.
    pub(crate) value: MetadataValue,
}

/// A metadata value: the literals `MetadataValue` can hold.
pub(crate) enum MetadataValue {
    String(LitStr),
    Integer(i64),
    Float(f64),
    Boolean(bool),
}

/// `key = value` as written; the key a name or a string.
struct RawEntry {
    key: String,
    key_span: Span,
    value: Expr,
}

impl Parse for RawEntry {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let (key, key_span) = if input.peek(LitStr) {
            let key: LitStr = input.parse()?;
            (key.value(), key.span())
        } else if input.peek(Ident::peek_any) {
            let key = input.call(Ident::parse_any)?;
            (key.to_string(), key.span())
        } else {
            return Err(input.error(
                "expected a metadata key, a name or a string: `metadata(app = \"hr\", \"app.version\" = 2)`",
            ));
        };
        input.parse::<Token![=]>()?;
        Ok(RawEntry {
            key,
            key_span,
            value: input.parse()?,
        })
    }
}

/// The entries inside `metadata(…)`, each mistake recorded in `cx`.
pub(crate) fn parse(cx: &Ctxt, tokens: TokenStream) -> Vec<MetadataEntry> {
    let raw = match syn::parse::Parser::parse2(
        Punctuated::<RawEntry, Token![,]>::parse_terminated,
        tokens,
    ) {
        Ok(raw) => raw,
        Err(error) => {
            cx.syn_error(error);
            return Vec::new();
        }
    };
    let mut entries: Vec<MetadataEntry> = Vec::new();
    for entry in raw {
        if entries.iter().any(|e| e.key == entry.key) {
            cx.error_at(
                entry.key_span,
                format!("metadata key `{}` set multiple times", entry.key),
            );
            continue;
        }
        match value(&entry.value) {
            Ok(value) => entries.push(MetadataEntry {
                key: entry.key,
                value,
            }),
            Err(message) => cx.error_spanned_by(&entry.value, message),
        }
    }
    entries
}

/// A literal, or a negated number.
fn value(expr: &Expr) -> Result<MetadataValue, String> {
    const EXPECTED: &str = "a metadata value is a string, integer, float or boolean literal";
    let (negative, lit) = match expr {
        Expr::Lit(literal) => (false, &literal.lit),
        Expr::Unary(unary) if matches!(unary.op, UnOp::Neg(_)) => match &*unary.expr {
            Expr::Lit(literal) => (true, &literal.lit),
            _ => return Err(EXPECTED.to_owned()),
        },
        _ => return Err(EXPECTED.to_owned()),
    };
    let out_of_range = || {
        let sign = if negative { "-" } else { "" };
        format!(
            "`{sign}{}` is out of range for a 64-bit number",
            lit.to_token_stream()
        )
    };
    match lit {
        Lit::Str(s) if !negative => Ok(MetadataValue::String(s.clone())),
        Lit::Bool(b) if !negative => Ok(MetadataValue::Boolean(b.value)),
        Lit::Int(int) => {
            // Read with its sign, so that `-9223372036854775808` fits.
            let digits = format!("{}{}", if negative { "-" } else { "" }, int.base10_digits());
            digits
                .parse()
                .map(MetadataValue::Integer)
                .map_err(|_| out_of_range())
        }
        Lit::Float(float) => {
            let value: f64 = float.base10_parse().map_err(|_| out_of_range())?;
            if !value.is_finite() {
                return Err(out_of_range());
            }
            Ok(MetadataValue::Float(if negative { -value } else { value }))
        }
        _ => Err(EXPECTED.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn parsed(tokens: TokenStream) -> (Vec<String>, Vec<String>) {
        let cx = Ctxt::new();
        let entries = parse(&cx, tokens)
            .into_iter()
            .map(|entry| {
                let value = match entry.value {
                    MetadataValue::String(s) => format!("{:?}", s.value()),
                    MetadataValue::Integer(i) => i.to_string(),
                    MetadataValue::Float(f) => format!("{f:?}"),
                    MetadataValue::Boolean(b) => b.to_string(),
                };
                format!("{}={value}", entry.key)
            })
            .collect();
        let errors = match cx.check() {
            Ok(()) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| e.to_string()).collect(),
        };
        (entries, errors)
    }

    #[test]
    fn literals_of_every_kind() {
        let (entries, errors) = parsed(quote!(
            app = "hr",
            "app.version" = 2,
            delta = -3,
            ratio = -0.5,
            urgent = true,
            min = -9223372036854775808,
        ));
        assert_eq!(
            entries,
            [
                "app=\"hr\"",
                "app.version=2",
                "delta=-3",
                "ratio=-0.5",
                "urgent=true",
                "min=-9223372036854775808"
            ]
        );
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn every_mistake_is_reported() {
        let (entries, errors) = parsed(quote!(
            a = 1,
            a = 2,
            b = ["x"],
            c = -"x",
            d = 9223372036854775808,
            e = 1e999
        ));
        assert_eq!(entries, ["a=1"]);
        assert_eq!(
            errors,
            [
                "metadata key `a` set multiple times",
                "a metadata value is a string, integer, float or boolean literal",
                "a metadata value is a string, integer, float or boolean literal",
                "`9223372036854775808` is out of range for a 64-bit number",
                "`1e999` is out of range for a 64-bit number",
            ]
        );
    }
}
