//! HELLO: the first message on a connection, and the driver's `bolt_agent`.

use std::borrow::Cow;

use bytes::BufMut;

use super::auth::AuthToken;
use super::fields::{
    Field, not_in_version, protocol, take_map, take_str, take_str_list, write_fields,
};
use super::notifications::NotificationFilter;
use super::tag;
use crate::packstream::{Map, Packer};
use crate::{BoltVersion, Error, ErrorKind};

/// The `bolt_agent` map of HELLO (Bolt 5.3+): what driver is talking. It
/// must not identify a machine or a user.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BoltAgent {
    /// The driver and its version, such as `neo-rust/0.1.0`.
    pub product: String,
    /// The operating system and architecture, if sent.
    pub platform: Option<String>,
    /// The language and its version, if sent.
    pub language: Option<String>,
    /// Compiler or runtime details, if sent.
    pub language_details: Option<String>,
}

impl BoltAgent {
    /// An agent naming only the product.
    pub fn new(product: impl Into<String>) -> Self {
        BoltAgent {
            product: product.into(),
            ..BoltAgent::default()
        }
    }

    pub(crate) fn write<B: BufMut>(&self, packer: &mut Packer<B>) -> Result<(), Error> {
        write_fields(
            packer,
            &[
                ("product", Some(Field::Str(&self.product))),
                ("platform", self.platform.as_deref().map(Field::Str)),
                ("language", self.language.as_deref().map(Field::Str)),
                (
                    "language_details",
                    self.language_details.as_deref().map(Field::Str),
                ),
            ],
        )
    }

    fn from_map(mut map: Map) -> Result<Self, Error> {
        Ok(BoltAgent {
            product: take_str(&mut map, "product")?
                .ok_or_else(|| protocol("`bolt_agent` needs `product`"))?,
            platform: take_str(&mut map, "platform")?,
            language: take_str(&mut map, "language")?,
            language_details: take_str(&mut map, "language_details")?,
        })
    }
}

/// HELLO: the first message on a connection.
///
/// Fields the negotiated version does not know are handled so that the
/// driver can always fill every field: `bolt_agent` is written from Bolt 5.3
/// on (where it is mandatory) and `patch_bolt: ["utc"]` only on Bolt 4.3 and
/// 4.4. Auth in HELLO exists only up to Bolt 5.0 (later it is an error: use
/// [`Logon`](super::Logon)), and notification filters need Bolt 5.2.
///
/// ```
/// use std::borrow::Cow;
/// use neo_bolt::message::{AuthToken, BoltAgent, Hello, Request};
/// use neo_bolt::packstream::{Dialect, Packer};
/// use neo_bolt::{BoltVersion, ErrorKind};
///
/// let hello = Hello {
///     user_agent: "app/1.0".into(),
///     bolt_agent: Some(Cow::Owned(BoltAgent::new("neo-rust/0.1"))),
///     auth: Some(Cow::Owned(AuthToken::basic("neo4j", "pw"))),
///     ..Hello::default()
/// };
/// let mut body = Vec::new();
/// let err = Request::Hello(hello)
///     .encode(&mut Packer::new(&mut body, Dialect::LATEST), BoltVersion::V5_8)
///     .unwrap_err();
/// assert!(matches!(err.kind(), ErrorKind::NotInVersion { .. }));
/// assert!(body.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Hello<'a> {
    /// The application's `Name/Version`.
    pub user_agent: Cow<'a, str>,
    /// The driver's identity (written from Bolt 5.3, where it is mandatory).
    pub bolt_agent: Option<Cow<'a, BoltAgent>>,
    /// The routing context: `Some` (even empty) asks the server to route.
    pub routing: Option<Cow<'a, Map>>,
    /// Authentication, up to Bolt 5.0 only.
    pub auth: Option<Cow<'a, AuthToken>>,
    /// Ask for UTC-based date-times (written on Bolt 4.3 and 4.4 only).
    pub patch_utc: bool,
    /// The connection's notification filter (Bolt 5.2+).
    pub notifications: NotificationFilter,
}

const UTC_PATCH: [&str; 1] = ["utc"];

impl Hello<'_> {
    pub(super) fn check(&self, version: BoltVersion) -> Result<(), Error> {
        if self.auth.is_some() && version >= BoltVersion::V5_1 {
            return Err(not_in_version(
                "authentication in HELLO",
                "5.0 or lower (send LOGON instead)",
                version,
            ));
        }
        if self.bolt_agent.is_none() && version >= BoltVersion::V5_3 {
            return Err(Error::new(ErrorKind::Unencodable(format!(
                "HELLO needs a `bolt_agent` from Bolt 5.3 on, and Bolt {version} was negotiated"
            ))));
        }
        self.notifications.check(version)
    }

    pub(super) fn write<B: BufMut>(
        &self,
        packer: &mut Packer<B>,
        version: BoltVersion,
    ) -> Result<(), Error> {
        self.check(version)?;
        let patch = self.patch_utc && version.major == 4 && version.minor >= 3;
        let with_agent = version >= BoltVersion::V5_3;
        let [scheme, principal, credentials, realm, parameters] = self
            .auth
            .as_deref()
            .map(AuthToken::fields)
            .unwrap_or_default();
        let agent = self.bolt_agent.as_deref().filter(|_| with_agent);
        self.notifications
            .with_fields(version, |[severity, disabled]| {
                packer.write_struct_header(tag::HELLO, 1)?;
                write_fields(
                    packer,
                    &[
                        ("user_agent", Some(Field::Str(&self.user_agent))),
                        ("bolt_agent", agent.map(Field::Agent)),
                        ("routing", self.routing.as_deref().map(Field::Map)),
                        (
                            "patch_bolt",
                            patch.then_some(Field::StaticStrList(&UTC_PATCH)),
                        ),
                        severity,
                        disabled,
                        scheme,
                        principal,
                        credentials,
                        realm,
                        parameters,
                    ],
                )
            })
    }

    pub(super) fn from_map(mut map: Map, version: BoltVersion) -> Result<Hello<'static>, Error> {
        let user_agent = take_str(&mut map, "user_agent")?
            .ok_or_else(|| protocol("HELLO needs `user_agent`"))?;
        let bolt_agent = if version >= BoltVersion::V5_3 {
            match take_map(&mut map, "bolt_agent")? {
                Some(agent) => Some(Cow::Owned(BoltAgent::from_map(agent)?)),
                None => return Err(protocol("HELLO needs `bolt_agent` from Bolt 5.3 on")),
            }
        } else {
            None
        };
        let routing = take_map(&mut map, "routing")?.map(Cow::Owned);
        let patch_utc = version.major == 4
            && take_str_list(&mut map, "patch_bolt")?
                .is_some_and(|patches| patches.iter().any(|p| p == "utc"));
        let notifications = NotificationFilter::take_from(&mut map, version)?;
        let auth = if version >= BoltVersion::V5_1 {
            if ["scheme", "principal", "credentials"]
                .iter()
                .any(|key| map.contains_key(*key))
            {
                return Err(not_in_version(
                    "authentication in HELLO",
                    "5.0 or lower (send LOGON instead)",
                    version,
                ));
            }
            None
        } else {
            AuthToken::take_from(&mut map)?.map(Cow::Owned)
        };
        Ok(Hello {
            user_agent: Cow::Owned(user_agent),
            bolt_agent,
            routing,
            auth,
            patch_utc,
            notifications,
        })
    }
}
