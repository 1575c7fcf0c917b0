//! Server addresses.

use std::fmt;

use crate::error::Error;

/// The port Bolt servers listen on unless told otherwise.
pub const DEFAULT_PORT: u16 = 7687;

/// A server address: a host name or IP literal and a port.
///
/// ```
/// use neo_runtime::Address;
///
/// let a: Address = "db.example.com".parse()?;
/// assert_eq!(a.port(), 7687);
/// let b: Address = "[::1]:7688".parse()?;
/// assert_eq!((b.host(), b.port()), ("::1", 7688));
/// assert_eq!(b.to_string(), "[::1]:7688");
/// # Ok::<(), neo_runtime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Address {
    host: String,
    port: u16,
}

impl Address {
    /// An address from its parts.
    pub fn new(host: impl Into<String>, port: u16) -> Self {
        Address {
            host: host.into(),
            port,
        }
    }

    /// The host name or IP literal (IPv6 without brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }
}

impl std::str::FromStr for Address {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        let invalid = |why: &str| Error::invalid_uri(format!("invalid address `{text}`: {why}"));
        if text.is_empty() {
            return Err(invalid("it is empty"));
        }
        let (host, port) = if let Some(rest) = text.strip_prefix('[') {
            let (host, after) = rest
                .split_once(']')
                .ok_or_else(|| invalid("`[` without a closing `]`"))?;
            match after {
                "" => (host, None),
                _ => match after.strip_prefix(':') {
                    Some(port) => (host, Some(port)),
                    None => return Err(invalid("unexpected text after `]`")),
                },
            }
        } else {
            match text.rsplit_once(':') {
                Some((host, _)) if host.contains(':') => {
                    return Err(invalid("an IPv6 address must be written in brackets"));
                }
                Some((host, port)) => (host, Some(port)),
                None => (text, None),
            }
        };
        if host.is_empty() {
            return Err(invalid("the host is empty"));
        }
        if host
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '/' | '?' | '#' | '@'))
        {
            return Err(invalid(
                "the host contains characters a host name cannot have",
            ));
        }
        let port = match port {
            None => DEFAULT_PORT,
            Some(port) => port
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| invalid("the port must be a number from 1 to 65535"))?,
        };
        Ok(Address::new(host, port))
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hosts_ports_and_ipv6() {
        let cases = [
            ("localhost", "localhost", 7687),
            ("localhost:1", "localhost", 1),
            ("10.0.0.1:7688", "10.0.0.1", 7688),
            ("[::1]", "::1", 7687),
            ("[fe80::1]:9000", "fe80::1", 9000),
        ];
        for (text, host, port) in cases {
            let address: Address = text.parse().unwrap();
            assert_eq!((address.host(), address.port()), (host, port), "{text}");
        }
    }

    #[test]
    fn rejects_malformed_addresses_with_a_reason() {
        for (text, why) in [
            ("", "empty"),
            (":7687", "host is empty"),
            ("host:", "port must be"),
            ("host:0", "port must be"),
            ("host:65536", "port must be"),
            ("host:http", "port must be"),
            ("::1", "brackets"),
            ("[::1", "closing"),
            ("[::1]x", "after"),
            ("a b:1", "characters"),
        ] {
            let err = text.parse::<Address>().unwrap_err();
            assert!(err.to_string().contains(why), "{text}: {err}");
        }
    }
}
