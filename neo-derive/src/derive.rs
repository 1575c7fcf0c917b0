//! `#[derive(Record)]`, `#[derive(Node)]`, `#[derive(Relationship)]`:
//! parse, check, expand.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields};

use crate::attr::{self, Container, Role};
use crate::ctxt::Ctxt;

/// Which derive is expanding.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Record,
    Node,
    Relationship,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Record => "Record",
            Kind::Node => "Node",
            Kind::Relationship => "Relationship",
        }
    }
}

struct Field {
    ident: syn::Ident,
    ty: syn::Type,
    attrs: attr::Field,
}

pub(crate) fn expand(input: TokenStream, kind: Kind) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let cx = Ctxt::new();
    let container = attr::container(&cx, &input.attrs, kind);
    let fields = parse_fields(&cx, &input, kind);
    check(&cx, &fields, kind);
    check_lifetimes(&cx, &input, kind);
    let krate = container
        .krate
        .clone()
        .unwrap_or_else(|| syn::parse_quote!(::neo_runtime));
    let private = quote!(#krate::__private);
    match cx.check() {
        Ok(()) => generate(&input, &container, &fields, kind, &private),
        Err(error) => {
            let error = error.to_compile_error();
            let stubs = stubs(&input, kind, &private);
            quote!(#error #stubs)
        }
    }
}

fn parse_fields(cx: &Ctxt, input: &DeriveInput, kind: Kind) -> Vec<Field> {
    let named = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => named,
            other => {
                cx.error_spanned_by(
                    other,
                    format!(
                        "`{}` can only be derived for structs with named fields",
                        kind.name()
                    ),
                );
                return Vec::new();
            }
        },
        Data::Enum(data) => {
            cx.error_spanned_by(
                data.enum_token,
                format!("`{}` can only be derived for structs", kind.name()),
            );
            return Vec::new();
        }
        Data::Union(data) => {
            cx.error_spanned_by(
                data.union_token,
                format!("`{}` can only be derived for structs", kind.name()),
            );
            return Vec::new();
        }
    };
    named
        .named
        .iter()
        .filter_map(|field| {
            let ident = field.ident.clone()?;
            let attrs = attr::field(cx, &field.attrs, kind, ident.span());
            Some(Field {
                ident,
                ty: field.ty.clone(),
                attrs,
            })
        })
        .collect()
}

/// Mistakes that only show across attributes or fields.
fn check(cx: &Ctxt, fields: &[Field], kind: Kind) {
    let mut roles: Vec<Role> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for field in fields {
        let role = field.attrs.role;
        if role == Role::Named {
            let name = field
                .attrs
                .rename
                .clone()
                .unwrap_or_else(|| field.ident.to_string());
            if names.contains(&name) {
                let what = if kind == Kind::Record {
                    "column"
                } else {
                    "property"
                };
                cx.syn_error(syn::Error::new(
                    field.ident.span(),
                    format!("another field already reads the {what} `{name}`"),
                ));
            }
            names.push(name);
            continue;
        }
        if field.attrs.rename.is_some() {
            cx.syn_error(syn::Error::new(
                field.attrs.role_span,
                format!(
                    "`rename` applies to properties, not to the `{}` field",
                    role.key()
                ),
            ));
        }
        if field.attrs.default {
            cx.syn_error(syn::Error::new(
                field.attrs.role_span,
                format!(
                    "`default` applies to properties, not to the `{}` field",
                    role.key()
                ),
            ));
        }
        if field.attrs.serde {
            cx.syn_error(syn::Error::new(
                field.attrs.role_span,
                format!(
                    "`serde` applies to properties, not to the `{}` field",
                    role.key()
                ),
            ));
        }
        if roles.contains(&role) {
            cx.syn_error(syn::Error::new(
                field.attrs.role_span,
                format!(
                    "only one field of a `{}` struct may be `#[neo({})]`",
                    kind.name(),
                    role.key()
                ),
            ));
        }
        roles.push(role);
    }
}

/// A record struct with a lifetime is a row borrowing from the received
/// batch: one lifetime, that of the batch.
fn check_lifetimes(cx: &Ctxt, input: &DeriveInput, kind: Kind) {
    if kind == Kind::Record
        && let Some(second) = input.generics.lifetimes().nth(1)
    {
        cx.error_spanned_by(
            second,
            "a borrowed row has one lifetime, that of the batch it borrows from",
        );
    }
}

/// Where clause with `T: FromValue` for every type parameter.
fn bounded_generics(input: &DeriveInput, private: &TokenStream) -> syn::Generics {
    let mut generics = input.generics.clone();
    let params: Vec<_> = generics.type_params().map(|p| p.ident.clone()).collect();
    let where_clause = generics.make_where_clause();
    for param in params {
        where_clause
            .predicates
            .push(syn::parse_quote!(#param: #private::FromValue));
    }
    generics
}

/// Whether a field's type is written as an `Option<…>` (such a column may
/// be missing from a row).
fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

/// Impls that keep the rest of the crate compiling when the derive failed.
fn stubs(input: &DeriveInput, kind: Kind, private: &TokenStream) -> TokenStream {
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let _ = kind;
    quote! {
        impl #impl_generics #private::FromValue for #name #ty_generics #where_clause {
            fn from_value(_: #private::Value) -> #private::Result<Self, #private::Error> {
                ::core::unimplemented!()
            }
        }
        impl #impl_generics #private::FromRecord for #name #ty_generics #where_clause {
            fn from_record(_: &#private::Record) -> #private::Result<Self, #private::Error> {
                ::core::unimplemented!()
            }
        }
    }
}

fn named_init(
    field: &Field,
    owner: &str,
    private: &TokenStream,
    source: TokenStream,
) -> TokenStream {
    let ident = &field.ident;
    let ty = &field.ty;
    let name = ident.to_string();
    let key = field.attrs.rename.clone().unwrap_or_else(|| name.clone());
    let function = if field.attrs.default {
        quote!(field_or_default)
    } else {
        quote!(field)
    };
    if field.attrs.serde {
        quote_spanned! {ty.span()=>
            #ident: #private::#function::<#private::ViaSerde<#ty>>(&mut __fields, #key, #owner, #name, #source)?.0
        }
    } else {
        quote_spanned! {ty.span()=>
            #ident: #private::#function::<#ty>(&mut __fields, #key, #owner, #name, #source)?
        }
    }
}

/// How a record struct's fields are decoded: owned (`FromValue`), or
/// borrowing from the received batch (`FromValueRef`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    Owned,
    Borrowed,
}

/// The body of a record struct's `from_record` (or, borrowed,
/// `from_values_ref`, given `__keys` and `__unpacker`): one pass over the
/// columns, each decoded straight from the record's bytes into the field
/// that reads it, then the struct, with the missing columns' values.
fn record_reader(
    fields: &[Field],
    owner: &str,
    private: &TokenStream,
    reading: Reading,
) -> TokenStream {
    let (column, column_or_default, found) = match reading {
        Reading::Owned => (quote!(column), quote!(column_or_default), quote!(found)),
        Reading::Borrowed => (
            quote!(column_ref),
            quote!(column_ref_or_default),
            quote!(found_ref),
        ),
    };
    // What every part below needs of a field, worked out once.
    struct Column<'f> {
        field: &'f Field,
        slot: syn::Ident,
        name: String,
        key: String,
        /// The type decoded: the field's, or its serde wrapper.
        ty: TokenStream,
        /// Decodes the column the unpacker stands at into `ty`.
        read: TokenStream,
    }
    let columns: Vec<Column<'_>> = fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let field_ty = &field.ty;
            let ty = if field.attrs.serde {
                quote!(#private::ViaSerde<#field_ty>)
            } else {
                quote!(#field_ty)
            };
            let name = field.ident.to_string();
            let key = field.attrs.rename.clone().unwrap_or_else(|| name.clone());
            let function = if field.attrs.default {
                &column_or_default
            } else {
                &column
            };
            let read = quote_spanned! {field_ty.span()=>
                #private::#function::<#ty>(&mut __unpacker, #owner, #name, #key)?
            };
            Column {
                field,
                slot: quote::format_ident!("__neo_field_{}", index),
                name,
                key,
                ty,
                read,
            }
        })
        .collect();
    // `field: value`, unwrapping a serde field's wrapper.
    let init = |column: &Column<'_>, value: TokenStream| {
        let Column { field, .. } = column;
        let ident = &field.ident;
        if field.attrs.serde {
            quote_spanned!(field.ty.span()=> #ident: #value.0)
        } else {
            quote_spanned!(field.ty.span()=> #ident: #value)
        }
    };
    let declarations = columns.iter().map(|Column { slot, ty, .. }| {
        quote!(let mut #slot: #private::Option<#ty> = #private::Option::None;)
    });
    let arms = columns.iter().map(
        |Column {
             field,
             slot,
             key,
             read,
             ..
         }| {
            quote_spanned! {field.ty.span()=>
                #key => #slot = #private::Option::Some(#read),
            }
        },
    );
    let inits = columns.iter().map(|column| {
        let Column {
            field,
            slot,
            name,
            key,
            ty,
            ..
        } = column;
        let value = if field.attrs.default {
            quote!(#slot.unwrap_or_default())
        } else {
            quote!(#private::#found::<#ty>(#slot, #owner, #name, #key)?)
        };
        init(column, value)
    });
    // Owned rows know, per result, whether the columns are the fields in
    // order (`__order`): then each column goes straight into its field,
    // with no name compared per row.
    let in_order = (reading == Reading::Owned).then(|| {
        let keys = columns.iter().map(|column| &column.key);
        let count = columns.len();
        let reads = columns
            .iter()
            .map(|column| init(column, column.read.clone()));
        quote! {
            static __NEO_COLUMNS: [&str; #count] = [#(#keys),*];
            if __order.in_order(__keys, &__NEO_COLUMNS) {
                return #private::Result::Ok(Self { #(#reads,)* });
            }
        }
    });
    quote! {
        #in_order
        #(#declarations)*
        for __key in __keys {
            match __key.as_str() {
                #(#arms)*
                _ => #private::skip_column(&mut __unpacker)?,
            }
        }
        #private::Result::Ok(Self { #(#inits,)* })
    }
}

/// A node or relationship struct's `from_packstream`: the structure read
/// in place, each property decoded straight from the bytes into the field
/// that reads it, with no `Node`, `Relationship` or property map built on
/// the way. Anything the in-place reading does not take (another value, a
/// missing label, a field that does not decode) is decoded again through
/// `from_value`, which gives the error. A struct with a `#[neo(labels)]`
/// field keeps the default (through `from_value`).
fn graph_reader(
    container: &Container,
    fields: &[Field],
    kind: Kind,
    private: &TokenStream,
) -> TokenStream {
    if fields.iter().any(|field| field.attrs.role == Role::Labels) {
        return TokenStream::new();
    }
    let named: Vec<&Field> = fields
        .iter()
        .filter(|field| field.attrs.role == Role::Named)
        .collect();
    let slots: Vec<syn::Ident> = (0..named.len())
        .map(|index| quote::format_ident!("__neo_property_{}", index))
        .collect();
    let decoded_type = |field: &Field| {
        let ty = &field.ty;
        if field.attrs.serde {
            quote!(#private::ViaSerde<#ty>)
        } else {
            quote!(#ty)
        }
    };
    let declarations = named.iter().zip(&slots).map(|(field, slot)| {
        let ty = decoded_type(field);
        quote!(let mut #slot: #private::Option<#ty> = #private::Option::None;)
    });
    let arms = named.iter().zip(&slots).map(|(field, slot)| {
        let key = field
            .attrs
            .rename
            .clone()
            .unwrap_or_else(|| field.ident.to_string());
        let function = if field.attrs.default {
            quote!(property_or_default_in_place)
        } else {
            quote!(property_in_place)
        };
        let key = syn::LitByteStr::new(key.as_bytes(), field.ident.span());
        quote_spanned!(field.ty.span()=> #key => #private::#function(__u, &mut #slot)?,)
    });
    let mut named_slots = named.iter().zip(&slots);
    let inits = fields.iter().map(|field| {
        let ident = &field.ident;
        let ty = &field.ty;
        let value = match field.attrs.role {
            Role::Named => {
                let Some((_, slot)) = named_slots.next() else {
                    return TokenStream::new();
                };
                let value = if field.attrs.default {
                    quote!(#slot.unwrap_or_default())
                } else {
                    quote!(#private::found_in_place(#slot)?)
                };
                return if field.attrs.serde {
                    quote_spanned!(ty.span()=> #ident: #value.0)
                } else {
                    quote_spanned!(ty.span()=> #ident: #value)
                };
            }
            Role::Id => quote!(#private::Value::Integer(__start.id)),
            Role::StartId => quote!(#private::Value::Integer(__start.start_id)),
            Role::EndId => quote!(#private::Value::Integer(__start.end_id)),
            Role::RelType => quote!(#private::string_value(__start.rel_type)?),
            Role::ElementId => {
                quote!(#private::element_id_value(__end.element_id, __start.id)?)
            }
            Role::StartElementId => {
                quote!(#private::element_id_value(__end.start_element_id, __start.start_id)?)
            }
            Role::EndElementId => {
                quote!(#private::element_id_value(__end.end_element_id, __start.end_id)?)
            }
            Role::Labels => return TokenStream::new(),
        };
        quote_spanned!(ty.span()=> #ident: #private::meta_in_place::<#ty>(#value)?)
    });
    let (start, end) = match kind {
        Kind::Node => {
            let labels = &container.labels;
            (
                quote!(#private::node_start(__u, &[#(#labels),*])?),
                quote!(#private::node_end(__u)?),
            )
        }
        _ => {
            let rel_type = match &container.rel_type {
                Some(rel_type) => quote!(#private::Option::Some(#rel_type)),
                None => quote!(#private::Option::None),
            };
            (
                quote!(#private::relationship_start(__u, #rel_type)?),
                quote!(#private::relationship_end(__u)?),
            )
        }
    };
    quote! {
        fn from_packstream(
            __unpacker: &mut #private::Unpacker<'_>,
        ) -> #private::Result<Self, #private::Error> {
            let mut __probe = __unpacker.clone();
            let __in_place = |__u: &mut #private::Unpacker<'_>| -> #private::Option<Self> {
                #[allow(unused_variables)]
                let __start = #start;
                #(#declarations)*
                for _ in 0..__start.properties {
                    // A key equal to a field's is UTF-8; any other is
                    // checked as it is skipped.
                    match __u.read_str_raw().ok()? {
                        #(#arms)*
                        __key => #private::skip_property(__u, __key)?,
                    }
                }
                #[allow(unused_variables)]
                let __end = #end;
                #private::Option::Some(Self { #(#inits,)* })
            };
            match __in_place(&mut __probe) {
                #private::Option::Some(value) => {
                    *__unpacker = __probe;
                    #private::Result::Ok(value)
                }
                #private::Option::None => <Self as #private::FromValue>::from_value(
                    #private::whole_value(__unpacker)?,
                ),
            }
        }
    }
}

/// A record struct with a lifetime: a row borrowing from the received
/// batch (`FromRecordRef`), its fields `FromValueRef` types.
fn borrowed_record(
    input: &DeriveInput,
    fields: &[Field],
    owner: &str,
    private: &TokenStream,
) -> TokenStream {
    let name = &input.ident;
    let Some(lifetime) = input
        .generics
        .lifetimes()
        .next()
        .map(|l| l.lifetime.clone())
    else {
        return TokenStream::new();
    };
    let mut generics = input.generics.clone();
    let params: Vec<_> = generics.type_params().map(|p| p.ident.clone()).collect();
    let where_clause = generics.make_where_clause();
    for param in params {
        where_clause
            .predicates
            .push(syn::parse_quote!(#param: #private::FromValueRef<#lifetime>));
    }
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let reader = record_reader(fields, owner, private, Reading::Borrowed);
    quote! {
        impl #impl_generics #private::FromRecordRef<#lifetime> for #name #ty_generics #where_clause {
            fn from_values_ref(
                __keys: &[#private::String],
                mut __unpacker: #private::Unpacker<#lifetime>,
            ) -> #private::Result<Self, #private::Error> {
                #reader
            }
        }
    }
}

fn generate(
    input: &DeriveInput,
    container: &Container,
    fields: &[Field],
    kind: Kind,
    private: &TokenStream,
) -> TokenStream {
    let name = &input.ident;
    let owner = name.to_string();
    let generics = bounded_generics(input, private);
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    match kind {
        Kind::Record if input.generics.lifetimes().next().is_some() => {
            borrowed_record(input, fields, &owner, private)
        }
        Kind::Record => {
            let key = |field: &Field| {
                field
                    .attrs
                    .rename
                    .clone()
                    .unwrap_or_else(|| field.ident.to_string())
            };
            let columns: Vec<String> = fields.iter().map(key).collect();
            let optional: Vec<String> = fields
                .iter()
                .filter(|field| field.attrs.default || is_option(&field.ty))
                .map(key)
                .collect();
            let kinds = fields.iter().map(|field| {
                let column = key(field);
                let ty = &field.ty;
                if field.attrs.serde {
                    quote!((#column, <#private::ViaSerde<#ty> as #private::FromValue>::ACCEPTS))
                } else {
                    quote!((#column, <#ty as #private::FromValue>::ACCEPTS))
                }
            });
            let inits = fields
                .iter()
                .map(|field| named_init(field, &owner, private, quote!(__source)));
            let from_record = record_reader(fields, &owner, private, Reading::Owned);
            quote! {
                impl #impl_generics #private::FromFields for #name #ty_generics #where_clause {
                    fn from_fields(
                        mut __fields: #private::Map,
                        __source: &'static str,
                    ) -> #private::Result<Self, #private::Error> {
                        #private::Result::Ok(Self { #(#inits,)* })
                    }
                }

                impl #impl_generics #private::FromRecord for #name #ty_generics #where_clause {
                    fn from_record(record: &#private::Record) -> #private::Result<Self, #private::Error> {
                        let (__unpacker, __keys) = #private::record_columns(record)?;
                        <Self as #private::FromRecord>::from_values(
                            __keys,
                            __unpacker,
                            &mut #private::ColumnOrder::default(),
                        )
                    }

                    const FROM_VALUES: bool = true;

                    fn from_values(
                        __keys: &[#private::String],
                        mut __unpacker: #private::Unpacker<'_>,
                        __order: &mut #private::ColumnOrder,
                    ) -> #private::Result<Self, #private::Error> {
                        #from_record
                    }
                }

                impl #impl_generics #private::RowColumns for #name #ty_generics #where_clause {
                    const COLUMNS: #private::Option<&'static [&'static str]> =
                        #private::Option::Some(&[#(#columns),*]);
                    const OPTIONAL: &'static [&'static str] = &[#(#optional),*];
                    const KINDS: &'static [(&'static str, #private::ValueKinds)] = &[#(#kinds),*];
                }

                impl #impl_generics #private::FromValue for #name #ty_generics #where_clause {
                    const ACCEPTS: #private::ValueKinds = #private::ValueKinds::MAP;

                    fn from_value(value: #private::Value) -> #private::Result<Self, #private::Error> {
                        match value {
                            #private::Value::Map(map) => <Self as #private::FromFields>::from_fields(map, "key"),
                            other => #private::Result::Err(#private::shape_error(#owner, "Map", &other)),
                        }
                    }
                }
            }
        }
        Kind::Node | Kind::Relationship => {
            let (variant, expected, source, accepts) = if kind == Kind::Node {
                (quote!(Node), "Node", "node", quote!(NODE))
            } else {
                (
                    quote!(Relationship),
                    "Relationship",
                    "relationship",
                    quote!(RELATIONSHIP),
                )
            };
            let labels = &container.labels;
            let check = match kind {
                Kind::Node if !labels.is_empty() => {
                    quote!(#private::check_labels(#owner, &__graph, &[#(#labels),*])?;)
                }
                Kind::Relationship => match &container.rel_type {
                    Some(rel_type) => {
                        quote!(#private::check_rel_type(#owner, &__graph, #rel_type)?;)
                    }
                    None => TokenStream::new(),
                },
                _ => TokenStream::new(),
            };
            let inits = fields.iter().map(|field| {
                let meta = match field.attrs.role {
                    Role::Named => {
                        return named_init(field, &owner, private, quote!("property"));
                    }
                    Role::Id => quote!(#private::Value::Integer(__graph.id)),
                    Role::ElementId => quote!(#private::Value::String(__graph.element_id.clone())),
                    Role::Labels => quote!(#private::extra_labels(&mut __graph, &[#(#labels),*])),
                    Role::RelType => quote!(#private::Value::String(__graph.rel_type.clone())),
                    Role::StartId => quote!(#private::Value::Integer(__graph.start_node_id)),
                    Role::EndId => quote!(#private::Value::Integer(__graph.end_node_id)),
                    Role::StartElementId => {
                        quote!(#private::Value::String(__graph.start_node_element_id.clone()))
                    }
                    Role::EndElementId => {
                        quote!(#private::Value::String(__graph.end_node_element_id.clone()))
                    }
                };
                let ident = &field.ident;
                let ty = &field.ty;
                let field_name = ident.to_string();
                let key = field.attrs.role.key();
                quote_spanned! {ty.span()=>
                    #ident: #private::decode::<#ty>(#meta, #owner, #field_name, #source, #key)?
                }
            });
            let from_packstream = graph_reader(container, fields, kind, private);
            quote! {
                impl #impl_generics #private::FromValue for #name #ty_generics #where_clause {
                    const ACCEPTS: #private::ValueKinds = #private::ValueKinds::#accepts;

                    fn from_value(value: #private::Value) -> #private::Result<Self, #private::Error> {
                        #[allow(unused_mut)]
                        let mut __graph = match value {
                            #private::Value::#variant(graph) => graph,
                            other => return #private::Result::Err(#private::shape_error(#owner, #expected, &other)),
                        };
                        #check
                        #[allow(unused_mut, unused_variables)]
                        let mut __fields = #private::mem::take(&mut __graph.properties);
                        #private::Result::Ok(Self { #(#inits,)* })
                    }

                    #from_packstream
                }

                impl #impl_generics #private::FromRecord for #name #ty_generics #where_clause {
                    fn from_record(record: &#private::Record) -> #private::Result<Self, #private::Error> {
                        <Self as #private::FromValue>::from_value(#private::single_column(record, #owner)?)
                    }
                }
            }
        }
    }
}
