//! Connection URIs: `bolt://`, `neo4j://` and their TLS variants.

use std::collections::BTreeMap;
use std::fmt;

use crate::address::Address;
use crate::error::Error;

/// How a URI asks the driver to secure its connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encryption {
    /// Plain TCP (`bolt`, `neo4j`).
    None,
    /// TLS, verifying the server's certificate against trusted roots
    /// (`bolt+s`, `neo4j+s`).
    VerifyFull,
    /// TLS, trusting any certificate, including self-signed ones
    /// (`bolt+ssc`, `neo4j+ssc`). Encrypts but does not authenticate the
    /// server: use it only on networks you control.
    TrustAny,
}

/// A parsed connection URI.
///
/// ```
/// use neo_runtime::uri::{ConnectionUri, Encryption};
///
/// let uri: ConnectionUri = "neo4j+s://db.example.com?region=eu".parse()?;
/// assert!(uri.routing());
/// assert_eq!(uri.encryption(), Encryption::VerifyFull);
/// assert_eq!(uri.address().port(), 7687);
/// assert_eq!(uri.routing_context().get("region").map(String::as_str), Some("eu"));
/// # Ok::<(), neo_runtime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionUri {
    scheme: &'static str,
    routing: bool,
    encryption: Encryption,
    address: Address,
    routing_context: BTreeMap<String, String>,
}

const SCHEMES: [(&str, bool, Encryption); 6] = [
    ("bolt", false, Encryption::None),
    ("bolt+s", false, Encryption::VerifyFull),
    ("bolt+ssc", false, Encryption::TrustAny),
    ("neo4j", true, Encryption::None),
    ("neo4j+s", true, Encryption::VerifyFull),
    ("neo4j+ssc", true, Encryption::TrustAny),
];

impl ConnectionUri {
    /// The scheme, lower-case (`bolt`, `neo4j+s`, …).
    pub fn scheme(&self) -> &'static str {
        self.scheme
    }

    /// Whether the scheme asks for routing (`neo4j`, `neo4j+s`, `neo4j+ssc`).
    pub fn routing(&self) -> bool {
        self.routing
    }

    /// What the scheme says about TLS.
    pub fn encryption(&self) -> Encryption {
        self.encryption
    }

    /// The server (or, with routing, the initial router) to connect to.
    pub fn address(&self) -> &Address {
        &self.address
    }

    /// The query parameters of a routing URI, sent to the server as the
    /// routing context.
    pub fn routing_context(&self) -> &BTreeMap<String, String> {
        &self.routing_context
    }
}

impl std::str::FromStr for ConnectionUri {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        let (scheme_text, rest) = text.split_once("://").ok_or_else(|| {
            Error::invalid_uri(format!(
                "`{text}` is not a connection URI: expected `scheme://host[:port]`, e.g. `bolt://localhost:7687`"
            ))
        })?;
        let lower = scheme_text.to_ascii_lowercase();
        let &(scheme, routing, encryption) = SCHEMES
            .iter()
            .find(|(name, _, _)| *name == lower)
            .ok_or_else(|| {
                Error::invalid_uri(format!(
                    "unknown URI scheme `{scheme_text}`: expected one of bolt, bolt+s, bolt+ssc, neo4j, neo4j+s, neo4j+ssc"
                ))
            })?;
        let (authority_and_path, query) = match rest.split_once('?') {
            Some((before, query)) => (before, Some(query)),
            None => (rest, None),
        };
        if authority_and_path.contains('#') || query.is_some_and(|q| q.contains('#')) {
            return Err(Error::invalid_uri(
                "a connection URI has no fragment (`#…`)",
            ));
        }
        let (authority, path) = match authority_and_path.split_once('/') {
            Some((authority, path)) => (authority, path),
            None => (authority_and_path, ""),
        };
        if !path.is_empty() {
            return Err(Error::invalid_uri(format!(
                "a connection URI has no path, found `/{path}`; choose the database in the session configuration"
            )));
        }
        if authority.contains('@') {
            // Never echo the text: it would carry the credentials.
            return Err(Error::invalid_uri(
                "a connection URI carries no user name or password; pass them as the auth token",
            ));
        }
        let address: Address = authority.parse()?;
        let mut routing_context = BTreeMap::new();
        if let Some(query) = query.filter(|q| !q.is_empty()) {
            if !routing {
                return Err(Error::invalid_uri(format!(
                    "the `{scheme}` scheme takes no query parameters (routing context needs a `neo4j` scheme)"
                )));
            }
            for pair in query.split('&').filter(|p| !p.is_empty()) {
                let (key, value) = pair.split_once('=').ok_or_else(|| {
                    Error::invalid_uri(format!("routing parameter `{pair}` has no `=value`"))
                })?;
                let key = percent_decode(key)?;
                if key == "address" {
                    return Err(Error::invalid_uri(
                        "`address` is reserved in the routing context and cannot be a URI parameter",
                    ));
                }
                if routing_context
                    .insert(key.clone(), percent_decode(value)?)
                    .is_some()
                {
                    return Err(Error::invalid_uri(format!(
                        "routing parameter `{key}` is given more than once"
                    )));
                }
            }
        }
        Ok(ConnectionUri {
            scheme,
            routing,
            encryption,
            address,
            routing_context,
        })
    }
}

impl fmt::Display for ConnectionUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme, self.address)?;
        for (i, (key, value)) in self.routing_context.iter().enumerate() {
            write!(f, "{}{key}={value}", if i == 0 { '?' } else { '&' })?;
        }
        Ok(())
    }
}

fn percent_decode(text: &str) -> Result<String, Error> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| Error::invalid_uri(format!("bad percent escape in `{text}`")))?;
                out.push(hex);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out)
        .map_err(|_| Error::invalid_uri(format!("`{text}` is not UTF-8 once decoded")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scheme_parses_with_its_routing_and_encryption() {
        for (name, routing, encryption) in SCHEMES {
            let uri: ConnectionUri = format!("{name}://h:1").parse().unwrap();
            assert_eq!(uri.scheme(), name);
            assert_eq!(uri.routing(), routing);
            assert_eq!(uri.encryption(), encryption);
            assert_eq!(uri.address(), &Address::new("h", 1));
        }
        let upper: ConnectionUri = "BOLT+S://h".parse().unwrap();
        assert_eq!(upper.scheme(), "bolt+s");
    }

    #[test]
    fn routing_context_is_decoded() {
        let uri: ConnectionUri = "neo4j://h?policy=eu%20west&x=a+b".parse().unwrap();
        assert_eq!(uri.routing_context()["policy"], "eu west");
        assert_eq!(uri.routing_context()["x"], "a b");
        assert_eq!(uri.to_string(), "neo4j://h:7687?policy=eu west&x=a b");
    }

    #[test]
    fn malformed_uris_are_typed_errors_that_name_the_problem() {
        for (text, why) in [
            ("localhost:7687", "not a connection URI"),
            ("http://localhost", "unknown URI scheme `http`"),
            ("bolt://", "empty"),
            ("bolt://h:99999", "port must be"),
            ("bolt://h/neo4j", "no path"),
            ("bolt://h?x=1", "takes no query parameters"),
            ("neo4j://h?x", "has no `=value`"),
            ("neo4j://h?x=1&x=2", "more than once"),
            ("neo4j://h?address=a", "reserved"),
            ("neo4j://h?x=%zz", "percent escape"),
            ("bolt://h#frag", "fragment"),
        ] {
            let err = text.parse::<ConnectionUri>().unwrap_err();
            assert!(err.is_invalid_configuration(), "{text}");
            assert!(err.to_string().contains(why), "{text}: {err}");
        }
    }

    #[test]
    fn credentials_in_a_uri_are_rejected_without_echoing_them() {
        let err = "bolt://neo4j:s3cret@h"
            .parse::<ConnectionUri>()
            .unwrap_err();
        assert!(err.to_string().contains("auth token"));
        assert!(!err.to_string().contains("s3cret"));
        assert!(!format!("{err:?}").contains("s3cret"));
    }
}
