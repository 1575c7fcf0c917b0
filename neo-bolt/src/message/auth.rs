//! Authentication tokens, sent in LOGON (Bolt 5.1+) or inside HELLO (up to
//! Bolt 5.0).

use std::fmt;

use super::fields::{Field, protocol, take_map, take_str};
use crate::Error;
use crate::packstream::Map;

/// How a client authenticates.
///
/// Its `Debug` output never shows credentials, tickets, tokens or custom
/// parameters, so a token can be logged safely.
///
/// ```
/// use neo_bolt::message::AuthToken;
///
/// let token = AuthToken::basic("neo4j", "s3cret");
/// assert_eq!(token.scheme(), "basic");
/// assert!(!format!("{token:?}").contains("s3cret"));
/// ```
#[derive(Clone, PartialEq)]
pub enum AuthToken {
    /// No authentication (`scheme: "none"`).
    None,
    /// User name and password.
    Basic {
        /// The user name.
        principal: String,
        /// The password.
        credentials: String,
        /// The authentication realm, if any.
        realm: Option<String>,
    },
    /// A bearer token (for example from single sign-on).
    Bearer {
        /// The token.
        token: String,
    },
    /// A base64-encoded Kerberos ticket.
    Kerberos {
        /// The ticket.
        ticket: String,
    },
    /// A scheme handled by a server-side plugin.
    Custom {
        /// The scheme name.
        scheme: String,
        /// The principal, if any.
        principal: Option<String>,
        /// The credentials, if any.
        credentials: Option<String>,
        /// The realm, if any.
        realm: Option<String>,
        /// Extra parameters for the plugin, if any.
        parameters: Option<Map>,
    },
}

impl AuthToken {
    /// Basic authentication with a user name and password.
    pub fn basic(principal: impl Into<String>, credentials: impl Into<String>) -> Self {
        AuthToken::Basic {
            principal: principal.into(),
            credentials: credentials.into(),
            realm: None,
        }
    }

    /// Bearer-token authentication.
    pub fn bearer(token: impl Into<String>) -> Self {
        AuthToken::Bearer {
            token: token.into(),
        }
    }

    /// Kerberos authentication with a base64-encoded ticket.
    pub fn kerberos(ticket: impl Into<String>) -> Self {
        AuthToken::Kerberos {
            ticket: ticket.into(),
        }
    }

    /// The scheme name sent to the server.
    pub fn scheme(&self) -> &str {
        match self {
            AuthToken::None => "none",
            AuthToken::Basic { .. } => "basic",
            AuthToken::Bearer { .. } => "bearer",
            AuthToken::Kerberos { .. } => "kerberos",
            AuthToken::Custom { scheme, .. } => scheme,
        }
    }

    /// The principal, if the scheme has one.
    pub fn principal(&self) -> Option<&str> {
        match self {
            AuthToken::Basic { principal, .. } => Some(principal),
            AuthToken::Custom { principal, .. } => principal.as_deref(),
            _ => None,
        }
    }

    /// The map entries of the token, in wire order: scheme, principal,
    /// credentials, realm, parameters.
    pub(crate) fn fields(&self) -> [(&'static str, Option<Field<'_>>); 5] {
        let scheme = Some(Field::Str(self.scheme()));
        match self {
            AuthToken::None => [
                ("scheme", scheme),
                ("principal", None),
                ("credentials", None),
                ("realm", None),
                ("parameters", None),
            ],
            AuthToken::Basic {
                principal,
                credentials,
                realm,
            } => [
                ("scheme", scheme),
                ("principal", Some(Field::Str(principal))),
                ("credentials", Some(Field::Str(credentials))),
                ("realm", realm.as_deref().map(Field::Str)),
                ("parameters", None),
            ],
            AuthToken::Bearer { token } => [
                ("scheme", scheme),
                ("principal", None),
                ("credentials", Some(Field::Str(token))),
                ("realm", None),
                ("parameters", None),
            ],
            AuthToken::Kerberos { ticket } => [
                ("scheme", scheme),
                ("principal", Some(Field::Str(""))),
                ("credentials", Some(Field::Str(ticket))),
                ("realm", None),
                ("parameters", None),
            ],
            AuthToken::Custom {
                principal,
                credentials,
                realm,
                parameters,
                ..
            } => [
                ("scheme", scheme),
                // As the official drivers: empty credentials, realm and
                // parameters of a custom token are left out.
                ("principal", principal.as_deref().map(Field::Str)),
                (
                    "credentials",
                    credentials
                        .as_deref()
                        .filter(|c| !c.is_empty())
                        .map(Field::Str),
                ),
                (
                    "realm",
                    realm.as_deref().filter(|r| !r.is_empty()).map(Field::Str),
                ),
                (
                    "parameters",
                    parameters
                        .as_ref()
                        .filter(|p| !p.is_empty())
                        .map(Field::Map),
                ),
            ],
        }
    }

    /// Takes the authentication entries out of a decoded map. `Ok(None)`
    /// when the map has no `scheme`.
    pub(crate) fn take_from(map: &mut Map) -> Result<Option<AuthToken>, Error> {
        let Some(scheme) = take_str(map, "scheme")? else {
            return Ok(None);
        };
        let principal = take_str(map, "principal")?;
        let credentials = take_str(map, "credentials")?;
        let realm = take_str(map, "realm")?;
        let parameters = take_map(map, "parameters")?;
        let missing = |key: &str| protocol(format!("`{scheme}` authentication needs `{key}`"));
        let token = match scheme.as_str() {
            "none" => AuthToken::None,
            "basic" => AuthToken::Basic {
                principal: principal.ok_or_else(|| missing("principal"))?,
                credentials: credentials.ok_or_else(|| missing("credentials"))?,
                realm,
            },
            "bearer" => AuthToken::Bearer {
                token: credentials.ok_or_else(|| missing("credentials"))?,
            },
            "kerberos" => AuthToken::Kerberos {
                ticket: credentials.ok_or_else(|| missing("credentials"))?,
            },
            _ => AuthToken::Custom {
                scheme,
                principal,
                credentials,
                realm,
                parameters,
            },
        };
        Ok(Some(token))
    }
}

/// Stands in for a secret in `Debug` output.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Debug for AuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthToken::None => f.write_str("AuthToken::None"),
            AuthToken::Basic {
                principal, realm, ..
            } => f
                .debug_struct("AuthToken::Basic")
                .field("principal", principal)
                .field("credentials", &Redacted)
                .field("realm", realm)
                .finish(),
            AuthToken::Bearer { .. } => f
                .debug_struct("AuthToken::Bearer")
                .field("token", &Redacted)
                .finish(),
            AuthToken::Kerberos { .. } => f
                .debug_struct("AuthToken::Kerberos")
                .field("ticket", &Redacted)
                .finish(),
            AuthToken::Custom {
                scheme,
                principal,
                credentials,
                realm,
                parameters,
            } => f
                .debug_struct("AuthToken::Custom")
                .field("scheme", scheme)
                .field("principal", principal)
                .field("credentials", &credentials.as_ref().map(|_| Redacted))
                .field("realm", realm)
                .field("parameters", &parameters.as_ref().map(|_| Redacted))
                .finish(),
        }
    }
}

#[cfg(test)]
mod custom_token_tests {
    use super::*;

    #[test]
    fn empty_fields_of_a_custom_token_are_left_out() {
        let token = AuthToken::Custom {
            scheme: "minimal-scheme".into(),
            principal: Some(String::new()),
            credentials: Some(String::new()),
            realm: Some(String::new()),
            parameters: Some(Map::new()),
        };
        let sent: Vec<&str> = token
            .fields()
            .iter()
            .filter(|(_, value)| value.is_some())
            .map(|(key, _)| *key)
            .collect();
        assert_eq!(sent, ["scheme", "principal"]);
    }
}
