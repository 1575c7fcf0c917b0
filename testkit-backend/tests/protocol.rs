//! The backend binary as testkit sees it: requests over TCP, the driver
//! talking to a real Bolt server (`neo-embedded`).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use neo_embedded::{EmbeddedServer, ServerConfig, Trigger};
use serde_json::{Value, json};

/// An embedded Bolt server on a runtime of its own (the test itself
/// talks to the backend with blocking I/O).
struct Server {
    server: EmbeddedServer,
    _runtime: tokio::runtime::Runtime,
}

impl std::ops::Deref for Server {
    type Target = EmbeddedServer;

    fn deref(&self) -> &EmbeddedServer {
        &self.server
    }
}

fn embedded_server() -> Server {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = {
        let _entered = runtime.enter();
        EmbeddedServer::start(ServerConfig::new()).unwrap()
    };
    Server {
        server,
        _runtime: runtime,
    }
}

/// The backend process; killed when the test ends.
struct Backend {
    child: Child,
    port: u16,
}

impl Drop for Backend {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Backend {
    fn start() -> Backend {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_testkit-backend"))
            .env("TEST_BACKEND_PORT", port.to_string())
            .env("NEO_TESTKIT_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        Backend { child, port }
    }

    /// A testkit connection, once the backend listens.
    fn connect(&self) -> Testkit {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match TcpStream::connect(("127.0.0.1", self.port)) {
                Ok(stream) => {
                    stream
                        .set_read_timeout(Some(Duration::from_secs(20)))
                        .unwrap();
                    return Testkit {
                        reader: BufReader::new(stream.try_clone().unwrap()),
                        writer: stream,
                    };
                }
                Err(_) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(error) => panic!("the backend does not listen: {error}"),
            }
        }
    }
}

/// The testkit side of one connection.
struct Testkit {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Testkit {
    fn send(&mut self, name: &str, data: Value) {
        let request = json!({"name": name, "data": data});
        write!(self.writer, "#request begin\n{request}\n#request end\n").unwrap();
    }

    fn receive(&mut self) -> Value {
        let mut body = String::new();
        let mut inside = false;
        loop {
            let mut line = String::new();
            assert!(
                self.reader.read_line(&mut line).unwrap() > 0,
                "connection closed"
            );
            match line.trim() {
                "#response begin" => inside = true,
                "#response end" => return serde_json::from_str(&body).unwrap(),
                text if inside => body.push_str(text),
                _ => {}
            }
        }
    }

    /// Sends a request and returns its answer, which must be named `expected`.
    fn call(&mut self, name: &str, data: Value, expected: &str) -> Value {
        self.send(name, data);
        let answer = self.receive();
        assert_eq!(answer["name"], expected, "{name} answered {answer}");
        answer["data"].clone()
    }

    fn driver(&mut self, server: &EmbeddedServer) -> Value {
        self.call(
            "NewDriver",
            json!({"uri": server.uri(), "maxTxRetryTimeMs": 5000,
                   "authorizationToken": {"name": "AuthorizationToken", "data": {
                       "scheme": "basic", "principal": "neo4j", "credentials": "password"}}}),
            "Driver",
        )["id"]
            .clone()
    }
}

fn int(value: i64) -> Value {
    json!({"name": "CypherInt", "data": {"value": value}})
}

#[test]
fn queries_records_and_summaries_travel_both_ways() {
    let server = embedded_server();
    let backend = Backend::start();
    let mut testkit = backend.connect();
    let features = testkit.call("GetFeatures", json!({}), "FeatureList");
    assert!(
        features["features"]
            .as_array()
            .unwrap()
            .contains(&json!("Feature:Bolt:5.7"))
    );
    let driver = testkit.driver(&server);
    let session = testkit.call(
        "NewSession",
        json!({"driverId": driver, "accessMode": "w", "fetchSize": 1}),
        "Session",
    )["id"]
        .clone();
    let result = testkit.call(
        "SessionRun",
        json!({"sessionId": session, "cypher": "UNWIND [$x, $x + 1] AS x RETURN x",
               "params": {"x": int(41)}}),
        "Result",
    );
    assert_eq!(result["keys"], json!(["x"]));
    let id = result["id"].clone();
    let first = testkit.call("ResultNext", json!({"resultId": id}), "Record");
    assert_eq!(first["values"], json!([int(41)]));
    let second = testkit.call("ResultNext", json!({"resultId": id}), "Record");
    assert_eq!(second["values"], json!([int(42)]));
    testkit.call("ResultNext", json!({"resultId": id}), "NullRecord");
    let summary = testkit.call("ResultConsume", json!({"resultId": id}), "Summary");
    assert_eq!(
        summary["query"]["text"],
        "UNWIND [$x, $x + 1] AS x RETURN x"
    );
    assert_eq!(summary["query"]["parameters"]["x"], int(41));
    testkit.call("SessionClose", json!({"sessionId": session}), "Session");
    // A consumed result keeps its summary after its session closed.
    testkit.call("ResultConsume", json!({"resultId": id}), "Summary");
    testkit.call("DriverClose", json!({"driverId": driver}), "Driver");
}

#[test]
fn transaction_functions_retry_with_the_error_the_test_hands_back() {
    let server = embedded_server();
    server.controls().fail(
        Trigger::on("RUN"),
        1,
        "Neo.TransientError.Transaction.DeadlockDetected",
        "deadlock",
    );
    let backend = Backend::start();
    let mut testkit = backend.connect();
    let driver = testkit.driver(&server);
    let session = testkit.call(
        "NewSession",
        json!({"driverId": driver, "accessMode": "w"}),
        "Session",
    )["id"]
        .clone();
    let first_try = testkit.call(
        "SessionWriteTransaction",
        json!({"sessionId": session}),
        "RetryableTry",
    );
    testkit.send(
        "TransactionRun",
        json!({"txId": first_try["id"], "cypher": "RETURN 1 AS n"}),
    );
    let failure = testkit.receive();
    assert_eq!(failure["name"], "DriverError", "{failure}");
    assert_eq!(
        failure["data"]["code"],
        "Neo.TransientError.Transaction.DeadlockDetected"
    );
    assert_eq!(failure["data"]["retryable"], true);
    // The test's function failed with that error: the driver retries.
    let second_try = testkit.call(
        "RetryableNegative",
        json!({"sessionId": session, "errorId": failure["data"]["id"]}),
        "RetryableTry",
    );
    assert_ne!(second_try["id"], first_try["id"]);
    let result = testkit.call(
        "TransactionRun",
        json!({"txId": second_try["id"], "cypher": "RETURN 1 AS n"}),
        "Result",
    );
    let record = testkit.call("ResultNext", json!({"resultId": result["id"]}), "Record");
    assert_eq!(record["values"], json!([int(1)]));
    testkit.call(
        "RetryablePositive",
        json!({"sessionId": session}),
        "RetryableDone",
    );
    // The function's result died with its transaction.
    let out_of_scope = testkit.call(
        "ResultNext",
        json!({"resultId": result["id"]}),
        "DriverError",
    );
    assert_eq!(out_of_scope["errorType"], "ResultOutOfScope");
}

#[test]
fn a_failure_in_test_code_abandons_the_transaction_function() {
    let server = embedded_server();
    let backend = Backend::start();
    let mut testkit = backend.connect();
    let driver = testkit.driver(&server);
    let session = testkit.call(
        "NewSession",
        json!({"driverId": driver, "accessMode": "r"}),
        "Session",
    )["id"]
        .clone();
    testkit.call(
        "SessionReadTransaction",
        json!({"sessionId": session}),
        "RetryableTry",
    );
    testkit.call(
        "RetryableNegative",
        json!({"sessionId": session, "errorId": ""}),
        "FrontendError",
    );
    // The session is usable afterwards.
    testkit.call(
        "SessionRun",
        json!({"sessionId": session, "cypher": "RETURN 1"}),
        "Result",
    );
}

#[test]
fn bookmark_suppliers_are_called_back_while_a_request_runs() {
    let server = embedded_server();
    let backend = Backend::start();
    let mut testkit = backend.connect();
    let driver = testkit.driver(&server);
    let manager = testkit.call(
        "NewBookmarkManager",
        json!({"initialBookmarks": [], "bookmarksSupplierRegistered": true,
               "bookmarksConsumerRegistered": false}),
        "BookmarkManager",
    )["id"]
        .clone();
    let session = testkit.call(
        "NewSession",
        json!({"driverId": driver, "accessMode": "w", "bookmarkManagerId": manager}),
        "Session",
    )["id"]
        .clone();
    testkit.send(
        "SessionRun",
        json!({"sessionId": session, "cypher": "RETURN 1"}),
    );
    let mut callbacks = 0;
    let answer = loop {
        let message = testkit.receive();
        if message["name"] != "BookmarksSupplierRequest" {
            break message;
        }
        assert_eq!(message["data"]["bookmarkManagerId"], manager);
        callbacks += 1;
        testkit.send(
            "BookmarksSupplierCompleted",
            json!({"requestId": message["data"]["id"], "bookmarks": []}),
        );
    };
    assert_eq!(answer["name"], "Result", "{answer}");
    assert!(callbacks >= 1);
}

#[test]
fn what_the_driver_cannot_do_is_said_not_ignored() {
    let server = embedded_server();
    let backend = Backend::start();
    let mut testkit = backend.connect();
    let refused = testkit.call(
        "NewDriver",
        json!({"uri": server.uri(), "notificationsMinSeverity": "LOUD"}),
        "BackendError",
    );
    assert!(refused["msg"].as_str().unwrap().contains("LOUD"));
    let unknown = testkit.call("Teleport", json!({}), "BackendError");
    assert!(unknown["msg"].as_str().unwrap().contains("unknown request"));
    let bad_uri = testkit.call("NewDriver", json!({"uri": "ftp://x"}), "DriverError");
    assert_eq!(bad_uri["errorType"], "InvalidConfiguration");
    assert_eq!(bad_uri["retryable"], false);
    // A second connection is served while the first one stays open.
    let mut second = backend.connect();
    second.call("GetFeatures", json!({}), "FeatureList");
}
