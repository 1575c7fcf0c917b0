//! The option list of an attribute as written, before any option is
//! understood: `"text"`, `flag`, `key = value` and `key(…)` entries
//! separated by commas.

use proc_macro2::TokenStream;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{Expr, Ident, LitStr, Token};

/// One entry of the list.
pub(crate) enum Item {
    /// A string literal on its own (the text of a `#[query]`).
    Text(LitStr),
    /// A named option.
    Entry(Entry),
}

/// `name`, `name = value` or `name(…)`.
pub(crate) struct Entry {
    /// The option's name (keywords such as `crate` included).
    pub(crate) name: Ident,
    /// What follows the name.
    pub(crate) value: Value,
}

/// What follows an option's name.
pub(crate) enum Value {
    /// Nothing: a flag.
    Flag,
    /// `= value`.
    Assign(Expr),
    /// `(…)`.
    List(TokenStream),
}

impl Parse for Item {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(LitStr) {
            return input.parse().map(Item::Text);
        }
        let name = input.call(Ident::parse_any)?;
        let value = if input.peek(Token![=]) {
            let eq = input.parse::<Token![=]>()?;
            if input.is_empty() || input.peek(Token![,]) {
                return Err(syn::Error::new(
                    eq.span,
                    format!("expected a value after `{name} =`"),
                ));
            }
            Value::Assign(input.parse()?)
        } else if input.peek(syn::token::Paren) {
            let content;
            syn::parenthesized!(content in input);
            Value::List(content.parse()?)
        } else {
            Value::Flag
        };
        Ok(Item::Entry(Entry { name, value }))
    }
}

/// The entries of a list, up to the first that cannot be read; the error
/// about that one, if any, comes second.
pub(crate) fn items(tokens: TokenStream) -> (Vec<Item>, Option<syn::Error>) {
    let mut items = Vec::new();
    let parser = |input: ParseStream<'_>| {
        while !input.is_empty() {
            items.push(input.parse()?);
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
        }
        Ok(())
    };
    let error = syn::parse::Parser::parse2(parser, tokens).err();
    (items, error)
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn shapes_of(tokens: TokenStream) -> (Vec<String>, Option<String>) {
        let (items, error) = items(tokens);
        let shapes = items
            .iter()
            .map(|item| match item {
                Item::Text(text) => format!("text {}", text.value()),
                Item::Entry(entry) => match &entry.value {
                    Value::Flag => format!("flag {}", entry.name),
                    Value::Assign(_) => format!("assign {}", entry.name),
                    Value::List(tokens) => format!("list {} ({tokens})", entry.name),
                },
            })
            .collect();
        (shapes, error.map(|e| e.to_string()))
    }

    #[test]
    fn every_shape_of_entry_is_read() {
        let (shapes, error) = shapes_of(quote!(write, "RETURN 1", crate = "x", metadata(a = 1),));
        assert_eq!(
            shapes,
            [
                "flag write",
                "text RETURN 1",
                "assign crate",
                "list metadata (a = 1)"
            ]
        );
        assert_eq!(error, None);
    }

    #[test]
    fn entries_before_a_syntax_error_are_kept() {
        let (shapes, error) = shapes_of(quote!(read, timeout = 1 2, write));
        assert_eq!(shapes, ["flag read", "assign timeout"]);
        assert_eq!(error.as_deref(), Some("expected `,`"));
        let (shapes, error) = shapes_of(quote!(write, timeout = , read));
        assert_eq!(shapes, ["flag write"]);
        assert_eq!(error.as_deref(), Some("expected a value after `timeout =`"));
    }
}
