//! Notification filters (Bolt 5.2+): which notifications the server sends.

use super::fields::{Field, not_in_version, protocol, take_str, take_str_list};
use crate::packstream::Map;
use crate::{BoltVersion, Error};

/// The least severe notifications the server should still send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MinimumSeverity {
    /// Send no notifications at all.
    Off,
    /// Send warnings only.
    Warning,
    /// Send warnings and information.
    Information,
}

impl MinimumSeverity {
    /// The wire name (`"OFF"`, `"WARNING"`, `"INFORMATION"`).
    pub fn as_str(self) -> &'static str {
        match self {
            MinimumSeverity::Off => "OFF",
            MinimumSeverity::Warning => "WARNING",
            MinimumSeverity::Information => "INFORMATION",
        }
    }

    /// Parses a wire name.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "OFF" => Some(MinimumSeverity::Off),
            "WARNING" => Some(MinimumSeverity::Warning),
            "INFORMATION" => Some(MinimumSeverity::Information),
            _ => None,
        }
    }
}

/// A class of notifications ("category" up to Bolt 5.4, "classification"
/// from Bolt 5.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotificationClassification {
    /// Hints about how the query is planned.
    Hint,
    /// Unknown entities (labels, properties, ...).
    Unrecognized,
    /// Features that are unsupported or experimental.
    Unsupported,
    /// Performance concerns.
    Performance,
    /// Deprecated features.
    Deprecation,
    /// Everything else.
    Generic,
    /// Security.
    Security,
    /// Cluster topology.
    Topology,
    /// Schema (indexes and constraints).
    Schema,
}

impl NotificationClassification {
    /// Every classification, in wire order.
    pub const ALL: [NotificationClassification; 9] = [
        NotificationClassification::Hint,
        NotificationClassification::Unrecognized,
        NotificationClassification::Unsupported,
        NotificationClassification::Performance,
        NotificationClassification::Deprecation,
        NotificationClassification::Generic,
        NotificationClassification::Security,
        NotificationClassification::Topology,
        NotificationClassification::Schema,
    ];

    /// The wire name, such as `"DEPRECATION"`.
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationClassification::Hint => "HINT",
            NotificationClassification::Unrecognized => "UNRECOGNIZED",
            NotificationClassification::Unsupported => "UNSUPPORTED",
            NotificationClassification::Performance => "PERFORMANCE",
            NotificationClassification::Deprecation => "DEPRECATION",
            NotificationClassification::Generic => "GENERIC",
            NotificationClassification::Security => "SECURITY",
            NotificationClassification::Topology => "TOPOLOGY",
            NotificationClassification::Schema => "SCHEMA",
        }
    }

    /// Parses a wire name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of [`NotificationClassification`]s (a bit set: copying it is free).
///
/// ```
/// use neo_bolt::message::{NotificationClassification as C, NotificationClassifications};
///
/// let set: NotificationClassifications = [C::Hint, C::Generic].into_iter().collect();
/// assert!(set.contains(C::Hint) && !set.contains(C::Schema));
/// assert_eq!(set.iter().count(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct NotificationClassifications(u16);

impl NotificationClassifications {
    /// The empty set.
    pub const EMPTY: NotificationClassifications = NotificationClassifications(0);

    /// Adds a classification.
    pub fn insert(&mut self, classification: NotificationClassification) {
        self.0 |= classification.bit();
    }

    /// Whether the set holds `classification`.
    pub fn contains(self, classification: NotificationClassification) -> bool {
        self.0 & classification.bit() != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The members, in wire order.
    pub fn iter(self) -> impl Iterator<Item = NotificationClassification> {
        NotificationClassification::ALL
            .into_iter()
            .filter(move |c| self.contains(*c))
    }

    fn names(self) -> ([&'static str; 9], usize) {
        let mut names = [""; 9];
        let mut len = 0;
        for c in self.iter() {
            names[len] = c.as_str();
            len += 1;
        }
        (names, len)
    }
}

impl FromIterator<NotificationClassification> for NotificationClassifications {
    fn from_iter<I: IntoIterator<Item = NotificationClassification>>(iter: I) -> Self {
        let mut set = NotificationClassifications::EMPTY;
        for c in iter {
            set.insert(c);
        }
        set
    }
}

/// Which notifications the server should send, for a connection (HELLO) or
/// one transaction (BEGIN, auto-commit RUN). The default leaves the server's
/// own configuration in place and writes nothing.
///
/// ```
/// use neo_bolt::message::{MinimumSeverity, NotificationFilter};
///
/// let filter = NotificationFilter {
///     minimum_severity: Some(MinimumSeverity::Warning),
///     ..NotificationFilter::default()
/// };
/// assert!(!filter.is_server_default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct NotificationFilter {
    /// The least severe notifications to send; `None` for the server default.
    pub minimum_severity: Option<MinimumSeverity>,
    /// Classifications to leave out; `None` for the server default, an empty
    /// set to enable every classification.
    pub disabled_classifications: Option<NotificationClassifications>,
}

const MIN_SEVERITY: &str = "notifications_minimum_severity";
const DISABLED_CATEGORIES: &str = "notifications_disabled_categories";
const DISABLED_CLASSIFICATIONS: &str = "notifications_disabled_classifications";

impl NotificationFilter {
    /// A filter that turns every notification off
    /// (`notifications_minimum_severity: "OFF"`).
    ///
    /// ```
    /// use neo_bolt::message::{MinimumSeverity, NotificationFilter};
    ///
    /// assert_eq!(NotificationFilter::disabled().minimum_severity, Some(MinimumSeverity::Off));
    /// ```
    pub fn disabled() -> Self {
        NotificationFilter::default().with_minimum_severity(MinimumSeverity::Off)
    }

    /// Sends only notifications at least this severe.
    pub fn with_minimum_severity(mut self, severity: MinimumSeverity) -> Self {
        self.minimum_severity = Some(severity);
        self
    }

    /// Leaves out the notifications of these classifications (categories
    /// before Bolt 5.6: the same set, under the older name). An empty set
    /// enables every classification, overriding the server's own
    /// configuration.
    ///
    /// ```
    /// use neo_bolt::message::{NotificationClassification as C, NotificationFilter};
    ///
    /// let filter = NotificationFilter::default().with_disabled_classifications([C::Hint, C::Deprecation]);
    /// let disabled = filter.disabled_classifications.unwrap();
    /// assert!(disabled.contains(C::Hint) && !disabled.contains(C::Schema));
    /// ```
    pub fn with_disabled_classifications(
        mut self,
        classifications: impl IntoIterator<Item = NotificationClassification>,
    ) -> Self {
        self.disabled_classifications = Some(classifications.into_iter().collect());
        self
    }

    /// Whether a notification of this severity and classification passes
    /// the filter (`None` for what the server would send on its own
    /// configuration). A notification without a known severity passes
    /// unless notifications are off.
    ///
    /// ```
    /// use neo_bolt::message::{MinimumSeverity, NotificationClassification as C, NotificationFilter};
    ///
    /// let filter = NotificationFilter::default()
    ///     .with_minimum_severity(MinimumSeverity::Warning)
    ///     .with_disabled_classifications([C::Hint]);
    /// assert_eq!(filter.admits("WARNING", "DEPRECATION"), Some(true));
    /// assert_eq!(filter.admits("INFORMATION", "DEPRECATION"), Some(false));
    /// assert_eq!(filter.admits("WARNING", "HINT"), Some(false));
    /// assert_eq!(NotificationFilter::default().admits("INFORMATION", "HINT"), None);
    /// ```
    pub fn admits(&self, severity: &str, classification: &str) -> Option<bool> {
        if self.is_server_default() {
            return None;
        }
        let severe_enough = match self.minimum_severity {
            None | Some(MinimumSeverity::Information) => true,
            Some(MinimumSeverity::Off) => false,
            Some(MinimumSeverity::Warning) => severity != "INFORMATION",
        };
        let enabled = match (
            self.disabled_classifications,
            NotificationClassification::from_name(classification),
        ) {
            (Some(disabled), Some(classification)) => !disabled.contains(classification),
            _ => true,
        };
        Some(severe_enough && enabled)
    }

    /// This filter with the settings it leaves unset taken from `base`:
    /// how a transaction's filter combines with its connection's.
    ///
    /// ```
    /// use neo_bolt::message::{MinimumSeverity, NotificationClassification as C, NotificationFilter};
    ///
    /// let connection = NotificationFilter::default().with_disabled_classifications([C::Hint]);
    /// let transaction = NotificationFilter::default().with_minimum_severity(MinimumSeverity::Warning);
    /// let both = transaction.or(connection);
    /// assert_eq!(both.minimum_severity, Some(MinimumSeverity::Warning));
    /// assert!(both.disabled_classifications.unwrap().contains(C::Hint));
    /// ```
    pub fn or(self, base: NotificationFilter) -> NotificationFilter {
        NotificationFilter {
            minimum_severity: self.minimum_severity.or(base.minimum_severity),
            disabled_classifications: self
                .disabled_classifications
                .or(base.disabled_classifications),
        }
    }

    /// Whether the filter asks for nothing (nothing is written).
    pub fn is_server_default(&self) -> bool {
        self.minimum_severity.is_none() && self.disabled_classifications.is_none()
    }

    pub(crate) fn check(&self, version: BoltVersion) -> Result<(), Error> {
        if !self.is_server_default() && version < BoltVersion::V5_2 {
            return Err(not_in_version("notification filters", "5.2+", version));
        }
        Ok(())
    }

    /// The key of the disabled list in `version`.
    fn disabled_key(version: BoltVersion) -> &'static str {
        if version < BoltVersion::V5_6 {
            DISABLED_CATEGORIES
        } else {
            DISABLED_CLASSIFICATIONS
        }
    }

    /// Calls `f` with the (at most two) entries to write.
    pub(crate) fn with_fields<R>(
        &self,
        version: BoltVersion,
        f: impl FnOnce([(&'static str, Option<Field<'_>>); 2]) -> R,
    ) -> R {
        let disabled = self.disabled_classifications.map(|set| set.names());
        f([
            (
                MIN_SEVERITY,
                self.minimum_severity.map(|s| Field::Str(s.as_str())),
            ),
            (
                Self::disabled_key(version),
                disabled
                    .as_ref()
                    .map(|(names, len)| Field::StaticStrList(&names[..*len])),
            ),
        ])
    }

    pub(crate) fn take_from(map: &mut Map, version: BoltVersion) -> Result<Self, Error> {
        let (wrong_key, wrong_needs) = if version < BoltVersion::V5_6 {
            (DISABLED_CLASSIFICATIONS, "5.6+")
        } else {
            (DISABLED_CATEGORIES, "5.2 to 5.4")
        };
        if map.contains_key(wrong_key) {
            return Err(not_in_version(wrong_key, wrong_needs, version));
        }
        let minimum_severity = take_str(map, MIN_SEVERITY)?
            .map(|name| {
                MinimumSeverity::from_name(&name)
                    .ok_or_else(|| protocol(format!("unknown notification severity `{name}`")))
            })
            .transpose()?;
        let disabled_classifications = take_str_list(map, Self::disabled_key(version))?
            .map(|names| {
                names
                    .iter()
                    .map(|name| {
                        NotificationClassification::from_name(name).ok_or_else(|| {
                            protocol(format!("unknown notification classification `{name}`"))
                        })
                    })
                    .collect::<Result<NotificationClassifications, Error>>()
            })
            .transpose()?;
        let filter = NotificationFilter {
            minimum_severity,
            disabled_classifications,
        };
        filter.check(version)?;
        Ok(filter)
    }
}
