//! The transaction work of a generated function: a struct holding the
//! function's arguments, implementing `TransactionWork`, so that the one
//! retry loop of `neo-runtime` runs it.
//!
//! A struct rather than an async closure: a closure capturing references
//! makes the caller's future fail the `Send` check inside `tokio::spawn`
//! (a compiler limitation), while a struct's future is `Send` whenever its
//! fields are.
//!
//! The struct is declared inside the generated function's body, where the
//! function's generic parameters are not in scope, so it gets its own: the
//! function's generics, a fresh lifetime for every elided one in an
//! argument type, and a fresh type parameter for every `impl Trait`.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{GenericParam, Generics, Lifetime, Type, TypeParamBound};

/// One argument of the generated function, stored in the work struct.
pub(crate) struct Field {
    /// The argument's name, also the field's.
    pub(crate) name: syn::Ident,
    /// The argument's type, as written.
    pub(crate) ty: Type,
}

/// What the struct's `attempt` reads: each field as the body wants it.
pub(crate) enum Access {
    /// `&mut *self.field` for `&mut` arguments, `self.field` for shared
    /// references, a reused copy (`ReusableArgument::reuse`) for owned
    /// values: every attempt gets its own.
    PerAttempt,
    /// `&self.field`, for arguments only read by reference (query
    /// parameters).
    Borrowed,
}

/// The work struct and how to build it.
pub(crate) struct Work {
    /// The struct, its `TransactionWork` impl, inside a block-level scope.
    pub(crate) items: TokenStream,
    /// The expression building the struct from the function's arguments.
    pub(crate) value: TokenStream,
}

/// Builds the work struct named `__Work` for `fields`.
///
/// `attempt` is the body of `TransactionWork::attempt`: an expression of a
/// future whose output is `output` (a `Result<T, Error>`), given `tx` (the
/// `&mut ManagedTransaction`) and the bindings `let <field> = …;` that
/// `access` says.
pub(crate) fn work_struct(
    private: &TokenStream,
    generics: &Generics,
    fields: &[Field],
    access: Access,
    output: &Type,
    attempt: TokenStream,
) -> Work {
    let mut fresh = Fresh::default();
    let field_types: Vec<Type> = fields
        .iter()
        .map(|field| fresh.name_elided(&field.ty))
        .collect();

    let mut params: Punctuated<GenericParam, syn::Token![,]> = Punctuated::new();
    for lifetime in &fresh.lifetimes {
        params.push(syn::parse_quote!(#lifetime));
    }
    for param in &generics.params {
        params.push(strip_defaults(param));
    }
    for (ident, bounds) in &fresh.impl_traits {
        params.push(syn::parse_quote!(#ident: #bounds));
    }
    let where_clause = &generics.where_clause;
    let phantom_parts: Vec<TokenStream> = params
        .iter()
        .filter_map(|param| match param {
            GenericParam::Lifetime(lt) => {
                let lifetime = &lt.lifetime;
                Some(quote!(&#lifetime ()))
            }
            GenericParam::Type(ty) => {
                let ident = &ty.ident;
                Some(quote!(#ident))
            }
            GenericParam::Const(_) => None,
        })
        .collect();
    let args: Vec<TokenStream> = params
        .iter()
        .map(|param| match param {
            GenericParam::Lifetime(lt) => {
                let lifetime = &lt.lifetime;
                quote!(#lifetime)
            }
            GenericParam::Type(ty) => {
                let ident = &ty.ident;
                quote!(#ident)
            }
            GenericParam::Const(c) => {
                let ident = &c.ident;
                quote!(#ident)
            }
        })
        .collect();
    let names: Vec<&syn::Ident> = fields.iter().map(|field| &field.name).collect();
    let bindings = fields.iter().map(|field| {
        let name = &field.name;
        match access {
            Access::Borrowed => quote!(let #name = &self.#name;),
            Access::PerAttempt => match &field.ty {
                Type::Reference(reference) if reference.mutability.is_some() => {
                    quote!(let #name = &mut *self.#name;)
                }
                Type::Reference(_) => quote!(let #name = self.#name;),
                ty => {
                    let reused =
                        quote_spanned!(ty.span()=> #private::ReusableArgument::reuse(&self.#name));
                    quote!(let #name = #reused;)
                }
            },
        }
    });
    let items = quote! {
        #[allow(non_camel_case_types, clippy::type_complexity)]
        struct __Work<#params> #where_clause {
            #(#names: #field_types,)*
            __marker: #private::PhantomData<fn() -> (#(#phantom_parts,)*)>,
        }

        #[allow(clippy::needless_lifetimes, clippy::unused_async)]
        impl<#params> #private::TransactionWork for __Work<#(#args),*> #where_clause {
            type Output = <#output as #private::WorkOutput>::Ok;

            fn attempt(
                &mut self,
                tx: &mut #private::ManagedTransaction<'_>,
            ) -> impl #private::Future<Output = #private::Result<Self::Output, #private::Error>> {
                #(#bindings)*
                #attempt
            }
        }
    };
    let value = quote! {
        __Work { #(#names,)* __marker: #private::PhantomData }
    };
    Work { items, value }
}

/// A generic parameter as a struct may declare it.
fn strip_defaults(param: &GenericParam) -> GenericParam {
    let mut param = param.clone();
    match &mut param {
        GenericParam::Type(ty) => {
            ty.eq_token = None;
            ty.default = None;
        }
        GenericParam::Const(c) => {
            c.eq_token = None;
            c.default = None;
        }
        GenericParam::Lifetime(_) => {}
    }
    param
}

/// Fresh names for what a type leaves anonymous.
#[derive(Default)]
struct Fresh {
    lifetimes: Vec<Lifetime>,
    impl_traits: Vec<(syn::Ident, Punctuated<TypeParamBound, syn::Token![+]>)>,
}

impl Fresh {
    fn lifetime(&mut self) -> Lifetime {
        let lifetime = Lifetime::new(
            &format!("'__work{}", self.lifetimes.len()),
            Span::call_site(),
        );
        self.lifetimes.push(lifetime.clone());
        lifetime
    }

    /// `ty` with every elided or `'_` lifetime named, and every
    /// `impl Trait` replaced by a type parameter.
    fn name_elided(&mut self, ty: &Type) -> Type {
        let mut ty = ty.clone();
        self.visit(&mut ty);
        ty
    }

    fn visit(&mut self, ty: &mut Type) {
        match ty {
            Type::Reference(reference) => {
                match &reference.lifetime {
                    Some(lifetime) if lifetime.ident != "_" => {}
                    _ => reference.lifetime = Some(self.lifetime()),
                }
                self.visit(&mut reference.elem);
            }
            Type::ImplTrait(impl_trait) => {
                let ident = format_ident!("__WorkImpl{}", self.impl_traits.len());
                let mut bounds = impl_trait.bounds.clone();
                for bound in &mut bounds {
                    self.visit_bound(bound);
                }
                self.impl_traits.push((ident.clone(), bounds));
                *ty = syn::parse_quote!(#ident);
            }
            Type::Path(path) => {
                if let Some(qself) = &mut path.qself {
                    self.visit(&mut qself.ty);
                }
                self.visit_path(&mut path.path);
            }
            Type::Tuple(tuple) => tuple.elems.iter_mut().for_each(|t| self.visit(t)),
            Type::Slice(slice) => self.visit(&mut slice.elem),
            Type::Array(array) => self.visit(&mut array.elem),
            Type::Paren(paren) => self.visit(&mut paren.elem),
            Type::Group(group) => self.visit(&mut group.elem),
            Type::Ptr(ptr) => self.visit(&mut ptr.elem),
            Type::TraitObject(object) => {
                for bound in &mut object.bounds {
                    self.visit_bound(bound);
                }
            }
            // Function pointer types bind their own lifetimes.
            _ => {}
        }
    }

    fn visit_path(&mut self, path: &mut syn::Path) {
        for segment in &mut path.segments {
            if let syn::PathArguments::AngleBracketed(args) = &mut segment.arguments {
                for arg in &mut args.args {
                    match arg {
                        syn::GenericArgument::Lifetime(lifetime) if lifetime.ident == "_" => {
                            *lifetime = self.lifetime();
                        }
                        syn::GenericArgument::Type(ty) => self.visit(ty),
                        syn::GenericArgument::AssocType(assoc) => self.visit(&mut assoc.ty),
                        _ => {}
                    }
                }
            }
        }
    }

    fn visit_bound(&mut self, bound: &mut TypeParamBound) {
        match bound {
            TypeParamBound::Trait(trait_bound) => self.visit_path(&mut trait_bound.path),
            TypeParamBound::Lifetime(lifetime) if lifetime.ident == "_" => {
                *lifetime = self.lifetime();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(ty: &str) -> (String, usize, usize) {
        let mut fresh = Fresh::default();
        let ty: Type = syn::parse_str(ty).unwrap();
        let named = fresh.name_elided(&ty);
        (
            quote!(#named).to_string().replace(' ', ""),
            fresh.lifetimes.len(),
            fresh.impl_traits.len(),
        )
    }

    #[test]
    fn every_elided_lifetime_gets_its_own_name() {
        assert_eq!(named("&str"), ("&'__work0str".into(), 1, 0));
        assert_eq!(
            named("&mut Vec<&str>"),
            ("&'__work0mutVec<&'__work1str>".into(), 2, 0)
        );
        assert_eq!(named("Cow<'_, str>"), ("Cow<'__work0,str>".into(), 1, 0));
        assert_eq!(named("&'a str"), ("&'astr".into(), 0, 0));
        assert_eq!(named("String"), ("String".into(), 0, 0));
    }

    #[test]
    fn impl_trait_becomes_a_type_parameter() {
        assert_eq!(named("impl AsRef<str>"), ("__WorkImpl0".into(), 0, 1));
        assert_eq!(
            named("&[impl Fn(&str)]"),
            ("&'__work0[__WorkImpl0]".into(), 1, 1)
        );
    }

    #[test]
    fn function_pointers_keep_their_own_lifetimes() {
        assert_eq!(named("fn(&str) -> usize"), ("fn(&str)->usize".into(), 0, 0));
    }
}
