//! Transport: TCP with TLS on top when asked, and address resolution.

mod stream;
mod tls;

pub(crate) use stream::{BoltStream, connect};
pub(crate) use tls::TlsSettings;
