//! What every kind of error says, over TCP: one real failure of each
//! [`ErrorKind`], its whole message compared with the text a user reads.
//! Each says what happened and, where the user can act, what to do.

use std::time::Duration;

use neo_embedded::{EmbeddedServer, ServerConfig, Timing, Trigger};
use neo_runtime::{
    BoltVersion, Driver, DriverConfig, Error, ErrorKind, SessionConfig, TransactionConfig,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The errors met, each with the message it must display.
#[derive(Default)]
struct Snapshots(Vec<(Error, ErrorKind, String)>);

impl Snapshots {
    fn expect(&mut self, error: Error, kind: ErrorKind, message: impl Into<String>) {
        self.0.push((error, kind, message.into()));
    }
}

/// A listener on a free local port, and the port.
async fn listener() -> (TcpListener, u16) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    (listener, port)
}

/// The error of running `RETURN 1` against `uri`.
async fn run_against(uri: &str) -> Error {
    let driver = Driver::new(uri, neo_tests::auth()).unwrap();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    session.run("RETURN 1").await.unwrap_err()
}

async fn query_errors(snapshots: &mut Snapshots) {
    let (_server, driver) = neo_tests::start();
    let mut session = driver.session(SessionConfig::default()).unwrap();
    snapshots.expect(
        session.run("RETRUN 1").await.unwrap_err(),
        ErrorKind::Server,
        "Neo.ClientError.Statement.SyntaxError: error: expected a clause, found `RETRUN`\n\
         1 | RETRUN 1\n  | ^^^^^^\n  = help: did you mean `RETURN`?",
    );

    let record = session
        .run("RETURN 'Ann' AS name")
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    snapshots.expect(
        record.get_as::<i64>("name").unwrap_err(),
        ErrorKind::Mapping,
        "column `name` does not fit `i64`: expected Integer, found String (at byte 1)",
    );
    snapshots.expect(
        record.get("nmae").unwrap_err(),
        ErrorKind::Usage,
        "no column named `nmae`; the columns are [name]",
    );

    for (query, message) in [
        (
            "UNWIND [] AS x RETURN x",
            "expected exactly one record, but the result is empty; `single_optional` accepts none",
        ),
        (
            "UNWIND [1, 2] AS x RETURN x",
            "expected exactly one record, but the result has more than one, and the rest was \
             discarded; read several records with `next` or `collect`, or return one (`LIMIT 1`)",
        ),
    ] {
        let error = session
            .run(query)
            .await
            .unwrap()
            .single()
            .await
            .unwrap_err();
        snapshots.expect(error, ErrorKind::ResultNotSingle, message);
    }

    let mut result = session.run("UNWIND [1, 2, 3] AS x RETURN x").await.unwrap();
    session.close().await;
    snapshots.expect(
        result.next().await.unwrap().unwrap_err(),
        ErrorKind::ResultConsumed,
        "the rest of the result was discarded when its session closed: read a result before \
         closing its session",
    );
}

async fn connection_errors(snapshots: &mut Snapshots) {
    // Nothing listens on a port just freed.
    let (nothing, port) = listener().await;
    drop(nothing);
    snapshots.expect(
        run_against(&format!("bolt://127.0.0.1:{port}")).await,
        ErrorKind::ServiceUnavailable,
        format!(
            "cannot connect to 127.0.0.1:{port} (127.0.0.1:{port}): Connection refused (os error 111)"
        ),
    );

    // An HTTP server where a Bolt server was expected.
    let (http, port) = listener().await;
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = http.accept().await {
            let _ = socket.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await;
        }
    });
    snapshots.expect(
        run_against(&format!("bolt://127.0.0.1:{port}")).await,
        ErrorKind::ServiceUnavailable,
        format!(
            "handshake with 127.0.0.1:{port} failed: this is an HTTP port, not Bolt (the Bolt \
             port is usually 7687)"
        ),
    );

    // A server that agrees on Bolt 5.0, then answers HELLO with a FAILURE
    // without its metadata.
    let (broken, port) = listener().await;
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = broken.accept().await {
            let mut handshake = [0; 20];
            if socket.read_exact(&mut handshake).await.is_err() {
                continue;
            }
            let _ = socket.write_all(&[0, 0, 0, 5]).await;
            let mut hello_size = [0; 2];
            let _ = socket.read_exact(&mut hello_size).await;
            let _ = socket.write_all(&[0, 2, 0xB0, 0x7F, 0, 0]).await;
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
    });
    snapshots.expect(
        run_against(&format!("bolt://127.0.0.1:{port}")).await,
        ErrorKind::Protocol,
        format!(
            "127.0.0.1:{port} sent a message that does not decode: structure 0x7F (FAILURE) has \
             0 field(s), expected 1 (at byte 0)"
        ),
    );

    // One connection, held by an open transaction.
    let (_server, driver) = neo_tests::start_with(
        DriverConfig::default()
            .with_max_connection_pool_size(1)
            .with_connection_acquisition_timeout(Duration::from_millis(200)),
    );
    let mut holder = driver.session(SessionConfig::default()).unwrap();
    let tx = holder
        .begin_transaction(TransactionConfig::default())
        .await
        .unwrap();
    tx.run("RETURN 1").await.unwrap().consume().await.unwrap();
    let mut waiting = driver.session(SessionConfig::default()).unwrap();
    snapshots.expect(
        waiting.run("RETURN 1").await.unwrap_err(),
        ErrorKind::ConnectionAcquisitionTimeout,
        "failed to obtain a connection from the pool within 200ms (max pool size 1): every \
         connection is in use; close sessions and read results sooner, or raise \
         `DriverConfig::with_max_connection_pool_size` or `with_connection_acquisition_timeout`",
    );
    drop(tx);

    let (server, driver) = neo_tests::start();
    server
        .controls()
        .close_connection(Trigger::on("COMMIT"), Timing::BeforeExecuting);
    let mut session = driver.session(SessionConfig::default()).unwrap();
    let tx = session
        .begin_transaction(TransactionConfig::default())
        .await
        .unwrap();
    tx.run("CREATE (:Person)")
        .await
        .unwrap()
        .consume()
        .await
        .unwrap();
    snapshots.expect(
        tx.commit().await.unwrap_err(),
        ErrorKind::CommitOutcomeUnknown,
        format!(
            "the connection was lost while COMMIT was in flight: the transaction may or may not \
             have been committed (check whether its changes are in the database before running \
             it again): {} closed the connection",
            server.address()
        ),
    );
}

async fn configuration_errors(snapshots: &mut Snapshots) {
    snapshots.expect(
        Driver::new("ftp://localhost:7687", neo_tests::auth()).unwrap_err(),
        ErrorKind::InvalidConfiguration,
        "unknown URI scheme `ftp`: expected one of bolt, bolt+s, bolt+ssc, neo4j, neo4j+s, \
         neo4j+ssc",
    );

    let old =
        EmbeddedServer::start(ServerConfig::new().max_bolt_version(BoltVersion::V5_0)).unwrap();
    let driver = Driver::new(&old.uri(), neo_tests::auth()).unwrap();
    let mut session = driver
        .session(SessionConfig::default().with_auth(neo_tests::auth()))
        .unwrap();
    snapshots.expect(
        session.run("RETURN 1").await.unwrap_err(),
        ErrorKind::UnsupportedFeature,
        "user switching (session credentials, verify_authentication) is not supported for Bolt \
         protocol version 5.0: it needs Bolt 5.1 (Neo4j 5.5) or later",
    );

    snapshots.expect(
        Error::application(std::io::Error::other("the stock ran out")),
        ErrorKind::Application,
        "the stock ran out",
    );
}

#[tokio::test]
async fn every_kind_of_error_says_what_happened_and_what_to_do() {
    let mut snapshots = Snapshots::default();
    query_errors(&mut snapshots).await;
    connection_errors(&mut snapshots).await;
    configuration_errors(&mut snapshots).await;

    for (error, kind, message) in &snapshots.0 {
        assert_eq!((error.kind(), error.to_string()), (*kind, message.clone()));
        let debug = format!("{error:?}");
        assert!(!debug.contains('\n'), "{debug}");
    }
    let mut kinds: Vec<String> = snapshots
        .0
        .iter()
        .map(|(_, kind, _)| format!("{kind:?}"))
        .collect();
    kinds.sort();
    kinds.dedup();
    assert_eq!(
        kinds,
        [
            "Application",
            "CommitOutcomeUnknown",
            "ConnectionAcquisitionTimeout",
            "InvalidConfiguration",
            "Mapping",
            "Protocol",
            "ResultConsumed",
            "ResultNotSingle",
            "Server",
            "ServiceUnavailable",
            "UnsupportedFeature",
            "Usage",
        ],
        "one error of every kind"
    );
}
