//! The address resolvers testkit registers with `NewDriver`
//! (`resolverRegistered`, `domainNameResolverRegistered`): the driver's
//! [`ServerAddressResolver`] and [`HostNameResolver`], answered by the test
//! through callbacks.

use std::net::IpAddr;

use neo_runtime::auth::BoxFuture;
use neo_runtime::resolver::{HostNameResolver, ServerAddressResolver};
use neo_runtime::{Address, Error};

use crate::callbacks::{CALLBACK_TIMEOUT, Callbacks};
use crate::protocol::responses::Response;

/// Asks the test what the URI's address stands for
/// (`ResolverResolutionRequired`).
pub(crate) struct TestkitResolver {
    callbacks: Callbacks,
}

impl TestkitResolver {
    pub(crate) fn new(callbacks: Callbacks) -> Self {
        TestkitResolver { callbacks }
    }
}

impl ServerAddressResolver for TestkitResolver {
    fn resolve<'a>(&'a self, address: &'a Address) -> BoxFuture<'a, Result<Vec<Address>, Error>> {
        Box::pin(async move {
            let data = self
                .callbacks
                .call(
                    |id| Response::ResolverResolutionRequired {
                        id,
                        address: address.to_string(),
                    },
                    CALLBACK_TIMEOUT,
                )
                .await
                .map_err(Error::application)?;
            addresses(&data)?
                .iter()
                .map(|text| text.parse::<Address>())
                .collect()
        })
    }
}

/// Asks the test for the IP addresses of a host name
/// (`DomainNameResolutionRequired`).
pub(crate) struct TestkitHostNameResolver {
    callbacks: Callbacks,
}

impl TestkitHostNameResolver {
    pub(crate) fn new(callbacks: Callbacks) -> Self {
        TestkitHostNameResolver { callbacks }
    }
}

impl HostNameResolver for TestkitHostNameResolver {
    fn resolve<'a>(&'a self, host: &'a str) -> BoxFuture<'a, Result<Vec<IpAddr>, Error>> {
        Box::pin(async move {
            let data = self
                .callbacks
                .call(
                    |id| Response::DomainNameResolutionRequired {
                        id,
                        name: host.to_owned(),
                    },
                    CALLBACK_TIMEOUT,
                )
                .await
                .map_err(Error::application)?;
            addresses(&data)?
                .iter()
                .map(|text| {
                    text.parse::<IpAddr>().map_err(|error| {
                        Error::application(format!("`{text}` is not an IP address: {error}"))
                    })
                })
                .collect()
        })
    }
}

/// The `addresses` of a resolver's answer.
fn addresses(data: &serde_json::Value) -> Result<Vec<String>, Error> {
    data.get("addresses")
        .and_then(serde_json::Value::as_array)
        .and_then(|list| {
            list.iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| {
            Error::application(format!("the resolver answered without addresses: {data}"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_must_list_addresses() {
        assert_eq!(
            addresses(&serde_json::json!({"addresses": ["a:1", "b:2"]})).unwrap(),
            ["a:1", "b:2"]
        );
        assert!(addresses(&serde_json::json!({"addresses": [1]})).is_err());
        assert!(addresses(&serde_json::json!({})).is_err());
    }
}
