//! The function generated for a checked query, and the stub emitted in its
//! place when the declaration has errors.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{FnArg, ReturnType};

use super::Query;
use super::input::QueryDecl;
use super::output::{self, Output};
use super::run::Run;
use super::schema::SchemaFile;
use crate::config::{auto_commit_settings, unit_of_work_config};
use crate::work::{Access, Field, work_struct};

/// `async fn name(session: &mut Session, args…) -> Result<Ret, Error>`
/// running the query.
pub(super) fn query(
    query: &Query<'_>,
    schema: Option<&SchemaFile>,
    krate: &syn::Path,
) -> TokenStream {
    let private = quote!(#krate::__private);
    let sig = &query.decl.sig;
    let (ret, collect) = Output::of(&sig.output).collect(&private);
    let column_checks = output::column_checks(sig, &query.cypher, schema, &private, query.span());
    let file_dependency = query.text.file.as_ref().map(|file| {
        quote!(
            const _: &str = ::core::include_str!(#file);
        )
    });
    let text = &query.text.text;
    let params = query.arguments.iter().map(|argument| {
        let ident = &argument.name;
        let name = ident.to_string();
        quote!(.param(#name, #ident))
    });
    let new_query = quote!(#krate::Query::new(#text) #(#params)*);
    let run = match Run::of(&query.options, &query.cypher) {
        Run::AutoCommit(_) => {
            let settings = auto_commit_settings(&private, &query.options);
            quote! {
                let result = session.run(#new_query #settings).await?;
                #collect
            }
        }
        Run::Managed(mode) => {
            let fields: Vec<Field> = query
                .arguments
                .iter()
                .map(|argument| Field {
                    name: argument.name.clone(),
                    ty: argument.ty.clone(),
                })
                .collect();
            let work = work_struct(
                &private,
                &sig.generics,
                &fields,
                Access::Borrowed,
                &syn::parse_quote!(#private::Result<#ret, #private::Error>),
                quote! {
                    async move {
                        let result = tx.run(#new_query).await?;
                        #collect
                    }
                },
            );
            let (work_items, work_value) = (work.items, work.value);
            let config = unit_of_work_config(&private, &query.options, mode);
            quote! {
                #work_items
                const CONFIG: #private::UnitOfWorkConfig = #config;
                CONFIG.run_work(session, #work_value).await
            }
        }
    };
    let decl = query.decl;
    let (attrs, vis, ident) = (decl.kept_attrs(), &decl.vis, &sig.ident);
    let (generics, where_clause) = (&sig.generics, &sig.generics.where_clause);
    let inputs = sig.inputs.iter();
    quote! {
        #(#attrs)*
        #vis async fn #ident #generics(
            session: &mut #private::Session,
            #(#inputs),*
        ) -> #private::Result<#ret, #private::Error> #where_clause {
            #column_checks
            #file_dependency
            #run
        }
    }
}

/// The function with its declared signature and no working body, emitted
/// next to the errors so that uses of it do not cascade into more errors.
pub(super) fn stub(decl: &QueryDecl, krate: &syn::Path) -> TokenStream {
    let private = quote!(#krate::__private);
    let sig = &decl.sig;
    let ret = match &sig.output {
        ReturnType::Default => quote!(()),
        ReturnType::Type(_, ty) => quote!(#ty),
    };
    let (attrs, vis, ident) = (decl.kept_attrs(), &decl.vis, &sig.ident);
    let (generics, where_clause) = (&sig.generics, &sig.generics.where_clause);
    let inputs = sig
        .inputs
        .iter()
        .filter(|input| matches!(input, FnArg::Typed(_)));
    // Not `session`, which may be the name of an argument in error.
    quote! {
        #(#attrs)*
        #[allow(unused_variables, clippy::unused_async)]
        #vis async fn #ident #generics(
            __session: &mut #private::Session,
            #(#inputs),*
        ) -> #private::Result<#ret, #private::Error> #where_clause {
            ::core::unimplemented!()
        }
    }
}
