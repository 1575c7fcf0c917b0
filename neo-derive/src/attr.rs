//! `#[neo(…)]` attributes of the derives, parsed with every mistake
//! recorded in the context.

use std::collections::BTreeSet;

use proc_macro2::Span;
use quote::quote;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Expr, Lit};

use crate::ctxt::Ctxt;
use crate::derive::Kind;

/// Where a field's value comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A column, map key or property, by name.
    Named,
    /// The node's or relationship's legacy id.
    Id,
    /// The node's or relationship's element id.
    ElementId,
    /// The node's labels beyond the declared ones.
    Labels,
    /// The relationship's type.
    RelType,
    /// The relationship's start node id.
    StartId,
    /// The relationship's end node id.
    EndId,
    /// The relationship's start node element id.
    StartElementId,
    /// The relationship's end node element id.
    EndElementId,
}

impl Role {
    fn from_key(key: &str, kind: Kind) -> Option<Role> {
        let role = match key {
            "id" => Role::Id,
            "element_id" => Role::ElementId,
            "labels" => Role::Labels,
            "rel_type" => Role::RelType,
            "start_id" => Role::StartId,
            "end_id" => Role::EndId,
            "start_element_id" => Role::StartElementId,
            "end_element_id" => Role::EndElementId,
            _ => return None,
        };
        field_roles(kind).contains(&key).then_some(role)
    }

    /// The attribute key of the role.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Role::Named => "rename",
            Role::Id => "id",
            Role::ElementId => "element_id",
            Role::Labels => "labels",
            Role::RelType => "rel_type",
            Role::StartId => "start_id",
            Role::EndId => "end_id",
            Role::StartElementId => "start_element_id",
            Role::EndElementId => "end_element_id",
        }
    }
}

fn field_roles(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Record => &[],
        Kind::Node => &["id", "element_id", "labels"],
        Kind::Relationship => &[
            "id",
            "element_id",
            "rel_type",
            "start_id",
            "end_id",
            "start_element_id",
            "end_element_id",
        ],
    }
}

fn container_keys(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Record => &["crate"],
        Kind::Node => &["crate", "label"],
        Kind::Relationship => &["crate", "rel_type"],
    }
}

fn expected(keys: impl IntoIterator<Item = &'static str>) -> String {
    keys.into_iter()
        .map(|key| format!("`{key}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The attributes of the struct.
pub(crate) struct Container {
    pub(crate) krate: Option<syn::Path>,
    pub(crate) labels: Vec<String>,
    pub(crate) rel_type: Option<String>,
}

/// The attributes of one field.
pub(crate) struct Field {
    pub(crate) rename: Option<String>,
    pub(crate) default: bool,
    /// Decoded through the field type's `serde::Deserialize`.
    pub(crate) serde: bool,
    pub(crate) role: Role,
    /// Where the role was given, for errors about it.
    pub(crate) role_span: Span,
}

fn key_of(meta: &ParseNestedMeta<'_>) -> String {
    let path = &meta.path;
    quote!(#path).to_string().replace(' ', "")
}

/// Consumes whatever follows a rejected key.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        content.parse::<proc_macro2::TokenStream>()?;
    }
    Ok(())
}

/// A `key = "string"` value, or an error at the value.
fn string_value(cx: &Ctxt, meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<Option<String>> {
    if !meta.input.peek(syn::Token![=]) {
        cx.error_spanned_by(&meta.path, format!("expected `{key} = \"…\"`"));
        skip_value(meta)?;
        return Ok(None);
    }
    let expr: Expr = meta.value()?.parse()?;
    match &expr {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok(Some(s.value())),
        _ => {
            cx.error_spanned_by(&expr, format!("expected a string literal for `{key}`"));
            Ok(None)
        }
    }
}

/// A flag key, which takes no value.
fn flag(cx: &Ctxt, meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<()> {
    if meta.input.is_empty() || meta.input.peek(syn::Token![,]) {
        return Ok(());
    }
    cx.error_spanned_by(&meta.path, format!("`{key}` takes no value"));
    skip_value(meta)
}

fn for_each_neo_meta(
    cx: &Ctxt,
    attrs: &[Attribute],
    mut f: impl FnMut(ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("neo")) {
        if let Err(error) = attr.parse_nested_meta(&mut f) {
            cx.syn_error(error);
        }
    }
}

/// Parses the struct's `#[neo(…)]` attributes.
pub(crate) fn container(cx: &Ctxt, attrs: &[Attribute], kind: Kind) -> Container {
    let mut container = Container {
        krate: None,
        labels: Vec::new(),
        rel_type: None,
    };
    let mut seen = BTreeSet::new();
    for_each_neo_meta(cx, attrs, |meta| {
        let key = key_of(&meta);
        if !container_keys(kind).contains(&key.as_str()) {
            cx.error_spanned_by(
                &meta.path,
                format!(
                    "unknown attribute `{key}` on a `{}` struct; expected {}",
                    kind.name(),
                    expected(container_keys(kind).iter().copied())
                ),
            );
            return skip_value(&meta);
        }
        // `label` may be given several times: each is required.
        if key != "label" && !seen.insert(key.clone()) {
            cx.error_spanned_by(&meta.path, format!("duplicate attribute `{key}`"));
            return skip_value(&meta);
        }
        let Some(value) = string_value(cx, &meta, &key)? else {
            return Ok(());
        };
        match key.as_str() {
            "crate" => match syn::parse_str::<syn::Path>(&value) {
                Ok(path) => container.krate = Some(path),
                Err(_) => cx.error_spanned_by(&meta.path, format!("`{value}` is not a path")),
            },
            "label" => container.labels.push(value),
            _ => container.rel_type = Some(value),
        }
        Ok(())
    });
    container
}

/// Parses one field's `#[neo(…)]` attributes.
pub(crate) fn field(cx: &Ctxt, attrs: &[Attribute], kind: Kind, default_span: Span) -> Field {
    let mut field = Field {
        rename: None,
        default: false,
        serde: false,
        role: Role::Named,
        role_span: default_span,
    };
    let mut seen = BTreeSet::new();
    for_each_neo_meta(cx, attrs, |meta| {
        let key = key_of(&meta);
        if !seen.insert(key.clone()) {
            cx.error_spanned_by(&meta.path, format!("duplicate attribute `{key}`"));
            return skip_value(&meta);
        }
        match key.as_str() {
            "rename" => {
                field.rename = string_value(cx, &meta, &key)?;
                Ok(())
            }
            "default" => {
                field.default = true;
                flag(cx, &meta, &key)
            }
            "serde" => {
                field.serde = true;
                flag(cx, &meta, &key)
            }
            _ => match Role::from_key(&key, kind) {
                Some(role) => {
                    if field.role != Role::Named {
                        cx.error_spanned_by(
                            &meta.path,
                            format!(
                                "a field is either `{}` or `{key}`, not both",
                                field.role.key()
                            ),
                        );
                    } else {
                        field.role = role;
                        field.role_span = syn::spanned::Spanned::span(&meta.path);
                    }
                    flag(cx, &meta, &key)
                }
                None => {
                    let keys = ["rename", "default", "serde"]
                        .into_iter()
                        .chain(field_roles(kind).iter().copied());
                    cx.error_spanned_by(
                        &meta.path,
                        format!(
                            "unknown attribute `{key}` on a field of a `{}` struct; expected {}",
                            kind.name(),
                            expected(keys)
                        ),
                    );
                    skip_value(&meta)
                }
            },
        }
    });
    field
}
