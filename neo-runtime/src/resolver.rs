//! Address resolution of your own: where the routers of a `neo4j://` URI
//! are ([`ServerAddressResolver`]), and how host names become IP
//! addresses ([`HostNameResolver`]).
//!
//! A cluster is often reached through one name that a load balancer or a
//! DNS record stands behind; when that entry point is down, a driver that
//! knows the other members can still start. A server address resolver
//! turns the URI's address into those members, and is asked again each
//! time the driver falls back to the URI's address (when no router it
//! learned from a routing table answers). A host name resolver replaces
//! the system's DNS lookup for every connection, which is how service
//! registries and test set-ups without DNS hand out addresses.
//!
//! ```
//! use std::net::{IpAddr, Ipv4Addr};
//! use std::sync::Arc;
//! use neo_runtime::{Address, DriverConfig};
//!
//! let members = |_: &Address| -> Vec<Address> {
//!     vec![Address::new("core-1.example.com", 7687), Address::new("core-2.example.com", 7687)]
//! };
//! let registry = |host: &str| -> Vec<IpAddr> {
//!     match host {
//!         "core-1.example.com" => vec![IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1))],
//!         "core-2.example.com" => vec![IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2))],
//!         _ => Vec::new(),
//!     }
//! };
//! let config = DriverConfig::default()
//!     .with_resolver(Arc::new(members))
//!     .with_host_name_resolver(Arc::new(registry));
//! # let _ = config;
//! ```

use std::net::IpAddr;

use crate::address::Address;
use crate::auth::BoxFuture;
use crate::error::Error;

/// Turns the address of a `neo4j://` URI into the routers to ask for a
/// routing table (see the [module docs](self)); set with
/// [`DriverConfig::with_resolver`](crate::DriverConfig::with_resolver).
///
/// The driver asks it each time it falls back to the URI's address, and
/// tries the addresses it gives in order. An error, or no address, makes
/// that fallback fail with a
/// [`ServiceUnavailable`](crate::ErrorKind::ServiceUnavailable) error
/// naming the cause. Closures `Fn(&Address) -> Vec<Address>` are
/// resolvers; implement the trait for one that waits on something.
///
/// ```
/// use neo_runtime::auth::BoxFuture;
/// use neo_runtime::resolver::ServerAddressResolver;
/// use neo_runtime::{Address, Error};
///
/// struct FromRegistry;
///
/// impl ServerAddressResolver for FromRegistry {
///     fn resolve<'a>(&'a self, _address: &'a Address) -> BoxFuture<'a, Result<Vec<Address>, Error>> {
///         Box::pin(async { Ok(vec![Address::new("core-1.example.com", 7687)]) })
///     }
/// }
/// ```
pub trait ServerAddressResolver: Send + Sync {
    /// The addresses `address` stands for.
    fn resolve<'a>(&'a self, address: &'a Address) -> BoxFuture<'a, Result<Vec<Address>, Error>>;
}

impl<F> ServerAddressResolver for F
where
    F: Fn(&Address) -> Vec<Address> + Send + Sync,
{
    fn resolve<'a>(&'a self, address: &'a Address) -> BoxFuture<'a, Result<Vec<Address>, Error>> {
        let addresses = self(address);
        Box::pin(async move { Ok(addresses) })
    }
}

/// Resolves host names to IP addresses in place of the system's DNS
/// lookup (see the [module docs](self)); set with
/// [`DriverConfig::with_host_name_resolver`](crate::DriverConfig::with_host_name_resolver).
///
/// It is asked for every host name a connection goes to (IP literals are
/// used as they are), and the addresses it gives are tried in order within
/// the connection timeout. An error, or no address, fails the connection
/// with a [`ServiceUnavailable`](crate::ErrorKind::ServiceUnavailable)
/// error. Closures `Fn(&str) -> Vec<IpAddr>` are resolvers.
///
/// ```
/// use std::net::{IpAddr, Ipv6Addr};
/// use neo_runtime::auth::BoxFuture;
/// use neo_runtime::resolver::HostNameResolver;
/// use neo_runtime::Error;
///
/// struct Loopback;
///
/// impl HostNameResolver for Loopback {
///     fn resolve<'a>(&'a self, _host: &'a str) -> BoxFuture<'a, Result<Vec<IpAddr>, Error>> {
///         Box::pin(async { Ok(vec![IpAddr::V6(Ipv6Addr::LOCALHOST)]) })
///     }
/// }
/// ```
pub trait HostNameResolver: Send + Sync {
    /// The IP addresses of `host`.
    fn resolve<'a>(&'a self, host: &'a str) -> BoxFuture<'a, Result<Vec<IpAddr>, Error>>;
}

impl<F> HostNameResolver for F
where
    F: Fn(&str) -> Vec<IpAddr> + Send + Sync,
{
    fn resolve<'a>(&'a self, host: &'a str) -> BoxFuture<'a, Result<Vec<IpAddr>, Error>> {
        let addresses = self(host);
        Box::pin(async move { Ok(addresses) })
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    #[tokio::test]
    async fn closures_are_resolvers() {
        let members = |address: &Address| vec![address.clone(), Address::new("b", 2)];
        let resolved = ServerAddressResolver::resolve(&members, &Address::new("a", 1))
            .await
            .unwrap();
        assert_eq!(resolved, [Address::new("a", 1), Address::new("b", 2)]);
        let names = |host: &str| {
            if host == "db" {
                vec![IpAddr::V4(Ipv4Addr::LOCALHOST)]
            } else {
                Vec::new()
            }
        };
        assert_eq!(
            HostNameResolver::resolve(&names, "db").await.unwrap(),
            [IpAddr::V4(Ipv4Addr::LOCALHOST)]
        );
        assert!(
            HostNameResolver::resolve(&names, "x")
                .await
                .unwrap()
                .is_empty()
        );
    }
}
