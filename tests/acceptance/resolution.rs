//! Address resolution of the application's own: a resolver that turns the
//! URI's address into the routers to try, and a host name resolver that
//! replaces DNS, over real TCP against the embedded server.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};

use neo_runtime::auth::BoxFuture;
use neo_runtime::resolver::ServerAddressResolver;
use neo_runtime::{Address, Driver, DriverConfig, Error, ErrorKind, SessionConfig};

async fn run(driver: &Driver) -> neo_runtime::Result<()> {
    let mut session = driver.session(SessionConfig::default())?;
    let outcome = async { session.run("RETURN 1").await?.consume().await.map(|_| ()) }.await;
    session.close().await;
    outcome
}

/// A port nothing listens on.
fn dead_address() -> Address {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    Address::new("127.0.0.1", port)
}

#[tokio::test]
async fn a_resolver_turns_the_uri_address_into_routers_tried_in_order() {
    let server = neo_tests::server();
    let live = Address::new("127.0.0.1", server.address().port());
    let dead = dead_address();
    let asked = Arc::new(Mutex::new(Vec::new()));
    let resolver = {
        let (asked, dead, live) = (Arc::clone(&asked), dead.clone(), live.clone());
        move |address: &Address| -> Vec<Address> {
            asked.lock().unwrap().push(address.clone());
            vec![dead.clone(), live.clone()]
        }
    };
    // The URI's host exists nowhere: only the resolver knows the cluster.
    let config = DriverConfig::default().with_resolver(Arc::new(resolver));
    let driver =
        Driver::with_config("neo4j://cluster.invalid:7687", neo_tests::auth(), config).unwrap();
    run(&driver).await.unwrap();
    assert_eq!(
        *asked.lock().unwrap(),
        [Address::new("cluster.invalid", 7687)],
        "asked once, for the URI's address"
    );
    assert_eq!(server.controls().received("ROUTE"), 1);
    let table = driver
        .routing_table(Some("neo4j"))
        .expect("a table was fetched");
    assert_eq!(table.routers, [live]);
    driver.close().await;
}

/// A resolver that fails.
struct Failing;

impl ServerAddressResolver for Failing {
    fn resolve<'a>(&'a self, _: &'a Address) -> BoxFuture<'a, Result<Vec<Address>, Error>> {
        Box::pin(async { Err(Error::application("the registry is down")) })
    }
}

#[tokio::test]
async fn a_failing_resolver_is_a_service_unavailable_error_naming_it() {
    let config = DriverConfig::default().with_resolver(Arc::new(Failing));
    let driver =
        Driver::with_config("neo4j://cluster.invalid:7687", neo_tests::auth(), config).unwrap();
    let error = run(&driver).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServiceUnavailable, "{error}");
    let chain = format!("{error:?}");
    assert!(chain.contains("the registry is down"), "{chain}");
}

#[tokio::test]
async fn a_host_name_resolver_replaces_dns() {
    let server = neo_tests::server();
    let asked = Arc::new(Mutex::new(Vec::new()));
    let names = {
        let asked = Arc::clone(&asked);
        move |host: &str| -> Vec<IpAddr> {
            asked.lock().unwrap().push(host.to_owned());
            match host {
                "graph.test" => vec![IpAddr::V4(Ipv4Addr::LOCALHOST)],
                _ => Vec::new(),
            }
        }
    };
    let config = DriverConfig::default().with_host_name_resolver(Arc::new(names));
    let uri = format!("bolt://graph.test:{}", server.address().port());
    let driver = Driver::with_config(&uri, neo_tests::auth(), config.clone()).unwrap();
    run(&driver).await.unwrap();
    assert_eq!(*asked.lock().unwrap(), ["graph.test"]);

    // A name it does not know resolves to nothing: no connection.
    let uri = format!("bolt://other.test:{}", server.address().port());
    let driver = Driver::with_config(&uri, neo_tests::auth(), config).unwrap();
    let error = run(&driver).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServiceUnavailable, "{error}");
    assert!(error.to_string().contains("other.test"), "{error}");
}
