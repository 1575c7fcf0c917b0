//! What the options expand to, the same for both macros: a
//! `UnitOfWorkConfig` constant for transaction functions, and the timeout
//! and metadata of an auto-commit query.

use proc_macro2::TokenStream;
use quote::quote;

use crate::options::{DurationValue, MetadataValue, Mode, Options};

/// A constant expression of the `UnitOfWorkConfig` the options describe,
/// in `mode` unless they set one.
pub(crate) fn unit_of_work_config(
    private: &TokenStream,
    options: &Options,
    mode: Mode,
) -> TokenStream {
    let mode = match options.mode.as_ref().map_or(mode, |set| set.value) {
        Mode::Read => quote!(Read),
        Mode::Write => quote!(Write),
    };
    let mut config = quote!(#private::UnitOfWorkConfig::new(#private::AccessMode::#mode));
    if let Some(timeout) = &options.timeout {
        let timeout = duration(private, &timeout.value);
        config = quote!(#config.with_timeout(#timeout));
    }
    if let Some(metadata) = &options.metadata {
        let entries = metadata.value.iter().map(|entry| {
            let key = &entry.key;
            let value = metadata_value(private, &entry.value);
            quote!((#key, #value))
        });
        config = quote!(#config.with_metadata(&[#(#entries),*]));
    }
    if let Some(database) = &options.database {
        let database = &database.value;
        config = quote!(#config.with_database(#database));
    }
    if let Some(max_retry_time) = &options.max_retry_time {
        let max_retry_time = duration(private, &max_retry_time.value);
        config = quote!(#config.with_max_retry_time(#max_retry_time));
    }
    config
}

/// The `.with_timeout(…)` and `.with_metadata(…)` calls that give an
/// auto-commit `Query` the options' settings.
pub(crate) fn auto_commit_settings(private: &TokenStream, options: &Options) -> TokenStream {
    let mut settings = TokenStream::new();
    if let Some(timeout) = &options.timeout {
        let timeout = duration(private, &timeout.value);
        settings.extend(quote!(.with_timeout(#timeout)));
    }
    for entry in options.metadata.iter().flat_map(|metadata| &metadata.value) {
        let key = &entry.key;
        let value = metadata_value(private, &entry.value);
        settings.extend(quote!(.with_metadata(#key, #value)));
    }
    settings
}

/// A constant `Duration` expression.
fn duration(private: &TokenStream, value: &DurationValue) -> TokenStream {
    match value {
        DurationValue::Literal(duration) => {
            let (seconds, nanos) = (duration.as_secs(), duration.subsec_nanos());
            quote!(#private::Duration::new(#seconds, #nanos))
        }
        // In a constant of its own, so that an expression of another type
        // is reported as such, at the expression.
        DurationValue::Expr(expr) => quote!({
            const DURATION: #private::Duration = #expr;
            DURATION
        }),
    }
}

fn metadata_value(private: &TokenStream, value: &MetadataValue) -> TokenStream {
    match value {
        MetadataValue::String(s) => quote!(#private::MetadataValue::String(#s)),
        MetadataValue::Integer(i) => quote!(#private::MetadataValue::Integer(#i)),
        MetadataValue::Float(f) => quote!(#private::MetadataValue::Float(#f)),
        MetadataValue::Boolean(b) => quote!(#private::MetadataValue::Boolean(#b)),
    }
}
