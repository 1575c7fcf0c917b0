//! One database's routing table: its servers by role, and until when they
//! hold.

use std::time::{Duration, Instant};

use neo_bolt::message::AccessMode;

use crate::address::Address;

/// The longest a routing table is trusted, whatever TTL the server sends.
const MAX_TTL: Duration = Duration::from_secs(24 * 3600);

/// The servers of one database, by role, and until when they hold.
#[derive(Debug, Clone)]
pub(crate) struct RoutingTable {
    pub(crate) routers: Vec<Address>,
    pub(crate) readers: Vec<Address>,
    pub(crate) writers: Vec<Address>,
    /// How long the server said the table holds (capped).
    pub(crate) ttl: Duration,
    pub(crate) expires: Instant,
}

impl RoutingTable {
    /// A table read from a ROUTE answer at `now`; addresses that do not
    /// parse are left out.
    pub(crate) fn from_wire(table: &neo_bolt::message::RoutingTable, now: Instant) -> Self {
        let addresses = |names: &[String]| -> Vec<Address> {
            names.iter().filter_map(|name| name.parse().ok()).collect()
        };
        let ttl = Duration::from_secs(u64::try_from(table.ttl).unwrap_or(0)).min(MAX_TTL);
        RoutingTable {
            routers: addresses(&table.routers),
            readers: addresses(&table.readers),
            writers: addresses(&table.writers),
            ttl,
            expires: now + ttl,
        }
    }

    /// The servers of one role.
    pub(crate) fn servers(&self, mode: AccessMode) -> &[Address] {
        match mode {
            AccessMode::Read => &self.readers,
            AccessMode::Write => &self.writers,
        }
    }

    /// Whether the table can serve `mode` at `now` without being fetched
    /// again.
    pub(crate) fn is_fresh_for(&self, mode: AccessMode, now: Instant) -> bool {
        now < self.expires && !self.routers.is_empty() && !self.servers(mode).is_empty()
    }

    /// Forgets a server in every role.
    pub(crate) fn forget(&mut self, address: &Address) {
        self.readers.retain(|a| a != address);
        self.writers.retain(|a| a != address);
        self.routers.retain(|a| a != address);
    }

    /// Forgets a server as a writer only.
    pub(crate) fn forget_writer(&mut self, address: &Address) {
        self.writers.retain(|a| a != address);
    }

    /// Every server the table names, in any role.
    pub(crate) fn addresses(&self) -> impl Iterator<Item = &Address> {
        self.routers
            .iter()
            .chain(&self.readers)
            .chain(&self.writers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(text: &str) -> Address {
        text.parse().unwrap()
    }

    #[test]
    fn a_table_serves_a_role_while_fresh_and_not_empty() {
        let mut table = RoutingTable {
            routers: vec![address("a:1")],
            readers: vec![address("b:1"), address("c:1")],
            writers: vec![address("a:1")],
            ttl: Duration::from_secs(60),
            expires: Instant::now() + Duration::from_secs(60),
        };
        assert!(table.is_fresh_for(AccessMode::Read, Instant::now()));
        assert!(table.is_fresh_for(AccessMode::Write, Instant::now()));
        table.forget(&address("a:1"));
        assert!(
            !table.is_fresh_for(AccessMode::Write, Instant::now()),
            "no writer left"
        );
        assert!(
            !table.is_fresh_for(AccessMode::Read, Instant::now()),
            "no router left"
        );
        table.routers.push(address("b:1"));
        assert!(table.is_fresh_for(AccessMode::Read, Instant::now()));
        table.expires = Instant::now();
        assert!(
            !table.is_fresh_for(AccessMode::Read, Instant::now()),
            "expired"
        );
    }

    #[test]
    fn a_wire_table_keeps_the_addresses_that_parse_and_caps_the_ttl() {
        let wire = neo_bolt::message::RoutingTable {
            ttl: i64::MAX,
            db: None,
            routers: vec!["a:1".into(), "[".into()],
            readers: vec!["b:1".into()],
            writers: vec![],
        };
        let table = RoutingTable::from_wire(&wire, Instant::now());
        assert_eq!(table.routers, [address("a:1")]);
        assert_eq!(table.readers, [address("b:1")]);
        assert!(table.expires <= Instant::now() + MAX_TTL);
        let expired = RoutingTable::from_wire(
            &neo_bolt::message::RoutingTable { ttl: -5, ..wire },
            Instant::now(),
        );
        assert!(!expired.is_fresh_for(AccessMode::Read, Instant::now()));
    }
}
