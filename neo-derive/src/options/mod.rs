//! The one parser of the macros' options: `#[unit_of_work(…)]`,
//! `#[query(…)]` inside a `#[queries]` module, and `#[queries(…)]` itself.
//!
//! Each option has one setter; each setter records its mistakes in the
//! context at the offending tokens and goes on, so that every mistake of a
//! list is reported at once. An attribute accepts the options that make
//! sense for it ([`Attribute::keys`]); the values mean the same everywhere.

mod duration;
mod keys;
mod metadata;
mod syntax;

use proc_macro2::{Span, TokenStream};
use syn::{Expr, Lit, LitStr};

pub(crate) use self::duration::DurationValue;
pub(crate) use self::keys::Attribute;
use self::keys::Key;
pub(crate) use self::metadata::{MetadataEntry, MetadataValue};
use self::syntax::{Entry, Item, Value};
use crate::ctxt::Ctxt;

/// An access mode.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Mode {
    Read,
    Write,
}

/// A value and the span of the option that set it.
pub(crate) struct Spanned<T> {
    pub(crate) value: T,
    /// The option's name.
    pub(crate) span: Span,
}

/// Where a query's text comes from.
pub(crate) enum Source {
    /// The string literal.
    Inline(LitStr),
    /// `file = "…"`, relative to the crate's `Cargo.toml`.
    File(LitStr),
}

impl Source {
    /// The literal that gives the text or its file.
    pub(crate) fn literal(&self) -> &LitStr {
        match self {
            Source::Inline(lit) | Source::File(lit) => lit,
        }
    }
}

/// The options of one attribute, as given.
#[derive(Default)]
pub(crate) struct Options {
    /// `#[query]`: the text or its file.
    pub(crate) source: Option<Source>,
    /// `#[query]`: `unchecked`.
    pub(crate) unchecked: Option<Span>,
    /// `#[query]`: `auto_commit`.
    pub(crate) auto_commit: Option<Span>,
    /// `read` or `write`.
    pub(crate) mode: Option<Spanned<Mode>>,
    /// `timeout = …`.
    pub(crate) timeout: Option<Spanned<DurationValue>>,
    /// `metadata(…)`.
    pub(crate) metadata: Option<Spanned<Vec<MetadataEntry>>>,
    /// `database = "…"`.
    pub(crate) database: Option<Spanned<LitStr>>,
    /// `max_retry_time = …`.
    pub(crate) max_retry_time: Option<Spanned<DurationValue>>,
    /// `crate = "…"`.
    pub(crate) krate: Option<syn::Path>,
    /// `#[queries]`, `#[test]`: `schema = "…"`.
    pub(crate) schema: Option<LitStr>,
    /// `#[test]`: `fixtures("…", …)`, the names in order.
    pub(crate) fixtures: Vec<LitStr>,
    /// False when a syntax error stopped the reading: an option that seems
    /// missing may have been written after it.
    pub(crate) complete: bool,
}

impl Options {
    /// Reads the options of `attribute`, recording every mistake in `cx`.
    pub(crate) fn parse(cx: &Ctxt, attribute: Attribute, tokens: TokenStream) -> Options {
        let (items, syntax_error) = syntax::items(tokens);
        let mut options = Options {
            complete: syntax_error.is_none(),
            ..Options::default()
        };
        let mut seen = Vec::new();
        for item in items {
            match item {
                Item::Text(text) => options.set_text(cx, attribute, text),
                Item::Entry(entry) => options.set(cx, attribute, entry, &mut seen),
            }
        }
        if let Some(error) = syntax_error {
            cx.syn_error(error);
        }
        options
    }

    /// The crate path generated code names: `crate = "…"` or
    /// `::neo_runtime`.
    pub(crate) fn crate_path(&self) -> syn::Path {
        self.krate
            .clone()
            .unwrap_or_else(|| syn::parse_quote!(::neo_runtime))
    }

    fn set(&mut self, cx: &Ctxt, attribute: Attribute, entry: Entry, seen: &mut Vec<Key>) {
        let name = entry.name.to_string();
        let Some(key) = Key::from_name(&name).filter(|key| attribute.keys().contains(key)) else {
            cx.error_spanned_by(&entry.name, attribute.unknown(&name));
            return;
        };
        if seen.contains(&key) {
            cx.error_spanned_by(&entry.name, format!("`{name}` set multiple times"));
            return;
        }
        seen.push(key);
        match key {
            Key::Read => self.set_mode(cx, attribute, Mode::Read, entry),
            Key::Write => self.set_mode(cx, attribute, Mode::Write, entry),
            Key::Timeout => self.timeout = duration(cx, key, entry),
            Key::MaxRetryTime => self.max_retry_time = duration(cx, key, entry),
            Key::Metadata => self.set_metadata(cx, entry),
            Key::Database => self.set_database(cx, entry),
            Key::Crate => self.set_crate(cx, entry),
            Key::File => self.set_file(cx, entry),
            Key::Unchecked => {
                flag(cx, &entry);
                self.unchecked = Some(entry.name.span());
            }
            Key::AutoCommit => {
                flag(cx, &entry);
                self.auto_commit = Some(entry.name.span());
            }
            Key::Schema => self.schema = string(cx, key, entry).map(|s| s.value),
            Key::Fixtures => self.set_fixtures(cx, entry),
        }
    }

    fn set_text(&mut self, cx: &Ctxt, attribute: Attribute, text: LitStr) {
        if attribute != Attribute::Query {
            cx.error_spanned_by(
                &text,
                format!("unexpected string, {}", attribute.expected()),
            );
        } else if self.source.is_some() {
            cx.error_spanned_by(&text, TEXT_TWICE);
        } else {
            self.source = Some(Source::Inline(text));
        }
    }

    fn set_file(&mut self, cx: &Ctxt, entry: Entry) {
        let Some(path) = string(cx, Key::File, entry) else {
            return;
        };
        if self.source.is_some() {
            cx.error_at(path.span, TEXT_TWICE);
        } else {
            self.source = Some(Source::File(path.value));
        }
    }

    fn set_mode(&mut self, cx: &Ctxt, attribute: Attribute, mode: Mode, entry: Entry) {
        // A value given by mistake is reported, and the mode still taken:
        // its absence would be a second, misleading error.
        flag(cx, &entry);
        if self.mode.is_some() {
            cx.error_spanned_by(
                &entry.name,
                format!(
                    "{} is either `read` or `write`, not both",
                    attribute.subject()
                ),
            );
            return;
        }
        self.mode = Some(Spanned {
            value: mode,
            span: entry.name.span(),
        });
    }

    fn set_metadata(&mut self, cx: &Ctxt, entry: Entry) {
        let Value::List(tokens) = entry.value else {
            cx.error_spanned_by(&entry.name, format!("expected `{}`", Key::Metadata.usage()));
            return;
        };
        self.metadata = Some(Spanned {
            value: metadata::parse(cx, tokens),
            span: entry.name.span(),
        });
    }

    fn set_database(&mut self, cx: &Ctxt, entry: Entry) {
        self.database = string(cx, Key::Database, entry);
    }

    fn set_fixtures(&mut self, cx: &Ctxt, entry: Entry) {
        let Value::List(tokens) = entry.value else {
            cx.error_spanned_by(&entry.name, format!("expected `{}`", Key::Fixtures.usage()));
            return;
        };
        let parser = syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated;
        let names = match syn::parse::Parser::parse2(parser, tokens) {
            Ok(names) => names,
            Err(error) => {
                cx.syn_error(error);
                return;
            }
        };
        if names.is_empty() {
            cx.error_spanned_by(
                &entry.name,
                format!(
                    "`fixtures` names at least one file: `{}`",
                    Key::Fixtures.usage()
                ),
            );
        }
        for name in names {
            match name {
                Expr::Lit(syn::ExprLit {
                    lit: Lit::Str(name),
                    ..
                }) => {
                    if self
                        .fixtures
                        .iter()
                        .any(|seen| seen.value() == name.value())
                    {
                        cx.error_spanned_by(
                            &name,
                            format!("the fixture `{}` is named twice", name.value()),
                        );
                    } else {
                        self.fixtures.push(name);
                    }
                }
                other => cx.error_spanned_by(
                    &other,
                    format!(
                        "expected a fixture's name as a string: `{}`",
                        Key::Fixtures.usage()
                    ),
                ),
            }
        }
    }

    fn set_crate(&mut self, cx: &Ctxt, entry: Entry) {
        let Some(path) = string(cx, Key::Crate, entry) else {
            return;
        };
        match path.value.parse::<syn::Path>() {
            Ok(parsed) => self.krate = Some(parsed),
            Err(_) => cx.error_spanned_by(
                &path.value,
                format!("`{}` is not a path", path.value.value()),
            ),
        }
    }
}

const TEXT_TWICE: &str =
    "the query text is given twice: a query has one text, a string or `file = \"…\"`";

/// Whether `entry` is a flag, as its option must be.
fn flag(cx: &Ctxt, entry: &Entry) -> bool {
    if matches!(entry.value, Value::Flag) {
        return true;
    }
    let name = &entry.name;
    cx.error_spanned_by(name, format!("`{name}` takes no value"));
    false
}

/// The value of `key = value`.
fn assigned(cx: &Ctxt, key: Key, entry: Entry) -> Option<(Span, Expr)> {
    match entry.value {
        Value::Assign(expr) => Some((entry.name.span(), expr)),
        _ => {
            let mut message = format!("expected `{}`", key.usage());
            if matches!(key, Key::Timeout | Key::MaxRetryTime) {
                message = format!("{message}; {}", duration::ACCEPTED);
            }
            cx.error_spanned_by(&entry.name, message);
            None
        }
    }
}

/// The string of `key = "…"`.
fn string(cx: &Ctxt, key: Key, entry: Entry) -> Option<Spanned<LitStr>> {
    let (span, expr) = assigned(cx, key, entry)?;
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(value),
            ..
        }) => Some(Spanned { value, span }),
        other => {
            let message = match key {
                Key::Crate => format!("expected a path as a string: `{}`", key.usage()),
                _ => format!("expected a string literal: `{}`", key.usage()),
            };
            cx.error_spanned_by(&other, message);
            None
        }
    }
}

/// The duration of `key = …`.
fn duration(cx: &Ctxt, key: Key, entry: Entry) -> Option<Spanned<DurationValue>> {
    let (span, expr) = assigned(cx, key, entry)?;
    match duration::parse(key.name(), &expr) {
        Ok(value) => Some(Spanned { value, span }),
        Err(message) => {
            cx.error_spanned_by(&expr, message);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use quote::quote;

    use super::*;

    fn parse(attribute: Attribute, tokens: TokenStream) -> (Options, Vec<String>) {
        let cx = Ctxt::new();
        let options = Options::parse(&cx, attribute, tokens);
        let errors = match cx.check() {
            Ok(()) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| e.to_string()).collect(),
        };
        (options, errors)
    }

    fn literal(value: Option<&Spanned<DurationValue>>) -> Option<Duration> {
        match value.map(|set| &set.value) {
            Some(DurationValue::Literal(duration)) => Some(*duration),
            _ => None,
        }
    }

    #[test]
    fn every_option_of_a_unit_of_work() {
        let (options, errors) = parse(
            Attribute::UnitOfWork,
            quote!(
                write,
                timeout = "2s",
                metadata(a = 1),
                database = "hr",
                max_retry_time = 0.5,
                crate = "a::b"
            ),
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(options.mode.map(|m| m.value), Some(Mode::Write));
        assert_eq!(
            literal(options.timeout.as_ref()),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            literal(options.max_retry_time.as_ref()),
            Some(Duration::from_millis(500))
        );
        assert_eq!(options.metadata.map(|m| m.value.len()), Some(1));
        assert_eq!(
            options.database.map(|d| d.value.value()).as_deref(),
            Some("hr")
        );
        let krate = options.krate.unwrap();
        assert_eq!(quote!(#krate).to_string(), "a :: b");
        assert!(options.complete);
    }

    #[test]
    fn every_option_of_a_query() {
        let (options, errors) = parse(
            Attribute::Query,
            quote!(unchecked, auto_commit, read, timeout = TIMEOUT, "RETURN 1"),
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert!(options.unchecked.is_some() && options.auto_commit.is_some());
        assert!(matches!(
            options.timeout.map(|t| t.value),
            Some(DurationValue::Expr(_))
        ));
        assert!(matches!(options.source, Some(Source::Inline(_))));
        let (options, _) = parse(Attribute::Query, quote!(file = "q.cypher"));
        assert!(matches!(options.source, Some(Source::File(_))));
    }

    #[test]
    fn options_of_another_attribute_say_where_they_go() {
        let (_, errors) = parse(Attribute::Query, quote!(crate = "x", retries = 1));
        assert_eq!(
            errors,
            [
                "`crate` is an option of the module: `#[queries(crate = \"my::neo_runtime\")]`",
                "unknown option `retries`, expected the query text or one of `file`, `unchecked`, \
                 `auto_commit`, `read`, `write`, `timeout`, `metadata`, `database`, `max_retry_time`",
            ]
        );
        let (_, errors) = parse(Attribute::Queries, quote!(metadata(a = 1), "text"));
        assert_eq!(
            errors,
            [
                "`metadata` is an option of each query: `#[query(metadata(key = literal, …), \"…\")]`",
                "unexpected string, expected one of `schema`, `crate`",
            ]
        );
    }

    #[test]
    fn a_syntax_error_leaves_the_list_incomplete() {
        let (options, errors) = parse(Attribute::UnitOfWork, quote!(read read));
        assert_eq!(errors, ["expected `,`"]);
        assert!(!options.complete);
        assert_eq!(options.mode.map(|m| m.value), Some(Mode::Read));
    }
}
