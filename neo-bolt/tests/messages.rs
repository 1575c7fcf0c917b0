//! Bolt request and response bodies: exact bytes, round trips in every
//! supported version, version gates, and hostile input.

use std::borrow::Cow;
use std::time::Duration;

use neo_bolt::message::{
    AccessMode, AuthToken, Begin, BoltAgent, Discard, Hello, Logon, MinimumSeverity,
    NotificationClassification as Nc, NotificationFilter, Parameters, Pull, QueryType, Record,
    Request, Response, Route, Run, Success, Telemetry, TelemetryApi, TxExtra,
};
use neo_bolt::packstream::{self, Dialect, Map, Packer, Unpacker};
use neo_bolt::server_error::{ServerError, StatusCode};
use neo_bolt::{BoltVersion, Error, ErrorKind, Value};

fn dialect(version: BoltVersion) -> Dialect {
    Dialect::for_version(version, false)
}

fn encode(request: &Request<'_>, version: BoltVersion) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    request.encode(&mut Packer::new(&mut out, dialect(version)), version)?;
    Ok(out)
}

fn encode_ok(request: &Request<'_>, version: BoltVersion) -> Vec<u8> {
    encode(request, version).unwrap_or_else(|e| panic!("{} on {version}: {e}", request.name()))
}

/// Encodes, asserts the error kind, and asserts that nothing was written.
fn encode_err(request: &Request<'_>, version: BoltVersion) -> ErrorKind {
    let mut out = Vec::new();
    let err = request
        .encode(&mut Packer::new(&mut out, dialect(version)), version)
        .expect_err("the encoder should refuse");
    assert!(
        out.is_empty(),
        "a refused {} wrote {out:02X?}",
        request.name()
    );
    err.kind().clone()
}

fn map(entries: &[(&str, Value)]) -> Map {
    entries
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

/// The single field of a one-field message body, decoded as a map.
fn body_map(body: &[u8], version: BoltVersion) -> Map {
    let mut unpacker = Unpacker::new(body, dialect(version));
    let (_, fields) = unpacker.read_struct_header().unwrap();
    assert_eq!(fields, 1);
    let map = unpacker.read_map().unwrap();
    unpacker.finish().unwrap();
    map
}

fn not_in_version(what: &'static str, needs: &'static str, version: BoltVersion) -> ErrorKind {
    ErrorKind::NotInVersion {
        what,
        needs,
        version,
    }
}

const V4_3: BoltVersion = BoltVersion::new(4, 3);

// ---------------------------------------------------------------------------
// Exact bytes (reference §3.5, unchunked)

#[test]
fn reference_byte_vectors_in_every_version() {
    let run = Request::Run(Run {
        query: "RETURN 1".into(),
        ..Run::default()
    });
    let cases: Vec<(Request<'_>, &[u8])> = vec![
        (Request::Reset, &[0xB0, 0x0F]),
        (Request::Goodbye, &[0xB0, 0x02]),
        (Request::Commit, &[0xB0, 0x12]),
        (Request::Rollback, &[0xB0, 0x13]),
        (
            Request::Pull(Pull::all()),
            &[0xB1, 0x3F, 0xA1, 0x81, 0x6E, 0xFF],
        ),
        (
            Request::Pull(Pull::n(1000)),
            &[0xB1, 0x3F, 0xA1, 0x81, 0x6E, 0xC9, 0x03, 0xE8],
        ),
        (
            Request::Discard(Discard::all()),
            &[0xB1, 0x2F, 0xA1, 0x81, 0x6E, 0xFF],
        ),
        (
            run,
            &[
                0xB3, 0x10, 0x88, 0x52, 0x45, 0x54, 0x55, 0x52, 0x4E, 0x20, 0x31, 0xA0, 0xA0,
            ],
        ),
    ];
    for version in BoltVersion::SUPPORTED {
        for (request, bytes) in &cases {
            assert_eq!(
                encode_ok(request, version),
                *bytes,
                "{} on {version}",
                request.name()
            );
            assert_eq!(&Request::decode(bytes, version).unwrap(), request);
        }
    }
}

#[test]
fn telemetry_bytes_from_bolt_5_4() {
    let request = Request::Telemetry(Telemetry {
        api: TelemetryApi::AutoCommit,
    });
    for version in BoltVersion::SUPPORTED
        .into_iter()
        .filter(|v| *v >= BoltVersion::V5_4)
    {
        assert_eq!(encode_ok(&request, version), [0xB1, 0x54, 0x02]);
    }
}

#[test]
fn logoff_bytes() {
    assert_eq!(encode_ok(&Request::Logoff, BoltVersion::V5_1), [0xB0, 0x6B]);
}

// ---------------------------------------------------------------------------
// Round trips

fn sample_params() -> Map {
    map(&[
        ("name", Value::from("Alice")),
        ("age", Value::from(33)),
        ("tags", Value::from(vec!["a", "b"])),
        ("nested", Value::Map(map(&[("x", Value::Float(1.5))]))),
        ("nothing", Value::Null),
    ])
}

fn full_filter() -> NotificationFilter {
    NotificationFilter {
        minimum_severity: Some(MinimumSeverity::Warning),
        disabled_classifications: Some([Nc::Hint, Nc::Deprecation].into_iter().collect()),
    }
}

fn full_extra(version: BoltVersion) -> TxExtra<'static> {
    TxExtra {
        bookmarks: Cow::Owned(vec!["bm:1".into(), "bm:2".into()]),
        tx_timeout: Some(Duration::from_millis(1500)),
        tx_metadata: Cow::Owned(map(&[("app", Value::from("test"))])),
        mode: AccessMode::Read,
        db: Some("movies".into()),
        imp_user: (version >= BoltVersion::V4_4).then(|| "bob".into()),
        notifications: if version >= BoltVersion::V5_2 {
            full_filter()
        } else {
            NotificationFilter::default()
        },
    }
}

fn auth_tokens() -> Vec<AuthToken> {
    vec![
        AuthToken::None,
        AuthToken::basic("neo4j", "pw"),
        AuthToken::Basic {
            principal: "neo4j".into(),
            credentials: "pw".into(),
            realm: Some("native".into()),
        },
        AuthToken::bearer("tok"),
        AuthToken::kerberos("dGlja2V0"),
        AuthToken::Custom {
            scheme: "plugin".into(),
            principal: Some("p".into()),
            credentials: Some("c".into()),
            realm: None,
            parameters: Some(map(&[("k", Value::from(1))])),
        },
    ]
}

fn hello_for(version: BoltVersion) -> Hello<'static> {
    Hello {
        user_agent: "app/1.0".into(),
        bolt_agent: (version >= BoltVersion::V5_3).then(|| {
            Cow::Owned(BoltAgent {
                product: "neo-rust/0.1".into(),
                platform: Some("linux x86_64".into()),
                language: Some("Rust/1.85".into()),
                language_details: None,
            })
        }),
        routing: Some(Cow::Owned(map(&[("address", Value::from("h:7687"))]))),
        auth: (version <= BoltVersion::V5_0).then(|| Cow::Owned(AuthToken::basic("neo4j", "pw"))),
        patch_utc: version.major == 4,
        notifications: if version >= BoltVersion::V5_2 {
            full_filter()
        } else {
            NotificationFilter::default()
        },
    }
}

/// Every request that exists in `version`, with every field that version
/// can carry filled in.
fn samples(version: BoltVersion) -> Vec<Request<'static>> {
    let mut requests = vec![
        Request::Hello(hello_for(version)),
        Request::Hello(Hello {
            routing: Some(Cow::Owned(Map::new())),
            auth: None,
            ..hello_for(version)
        }),
        Request::Goodbye,
        Request::Reset,
        Request::Commit,
        Request::Rollback,
        Request::Run(Run {
            query: "MATCH (n) WHERE n.name = $name RETURN n".into(),
            parameters: Parameters::Map(Cow::Owned(sample_params())),
            extra: full_extra(version),
        }),
        Request::Run(Run {
            query: "RETURN 1".into(),
            ..Run::default()
        }),
        Request::Begin(Begin {
            extra: full_extra(version),
        }),
        Request::Begin(Begin::default()),
        Request::Begin(Begin {
            extra: TxExtra {
                tx_timeout: Some(Duration::ZERO),
                ..TxExtra::default()
            },
        }),
        Request::Pull(Pull::all()),
        Request::Pull(Pull {
            n: 1000,
            qid: Some(0),
        }),
        Request::Discard(Discard { n: 5, qid: Some(7) }),
        Request::Discard(Discard::all()),
        Request::Route(Route {
            routing: Cow::Owned(map(&[("address", Value::from("h:7687"))])),
            bookmarks: Cow::Owned(vec!["bm:1".into()]),
            db: Some("movies".into()),
            imp_user: (version >= BoltVersion::V4_4).then(|| "bob".into()),
        }),
        Request::Route(Route::default()),
    ];
    if version <= BoltVersion::V5_0 {
        for auth in auth_tokens() {
            requests.push(Request::Hello(Hello {
                auth: Some(Cow::Owned(auth)),
                ..hello_for(version)
            }));
        }
    }
    if version >= BoltVersion::V5_1 {
        requests.push(Request::Logoff);
        for auth in auth_tokens() {
            requests.push(Request::Logon(Logon {
                auth: Cow::Owned(auth),
            }));
        }
    }
    if version >= BoltVersion::V5_4 {
        for api in [
            TelemetryApi::ManagedTransaction,
            TelemetryApi::ExplicitTransaction,
            TelemetryApi::AutoCommit,
            TelemetryApi::DriverLevel,
        ] {
            requests.push(Request::Telemetry(Telemetry { api }));
        }
    }
    requests
}

#[test]
fn every_request_round_trips_in_every_supported_version() {
    for version in BoltVersion::SUPPORTED {
        for request in samples(version) {
            let body = encode_ok(&request, version);
            let back = Request::decode(&body, version)
                .unwrap_or_else(|e| panic!("{} on {version}: {e}", request.name()));
            assert_eq!(back, request, "{} on {version}", request.name());
            // Re-encoding the decoded request gives the same bytes.
            assert_eq!(encode_ok(&back, version), body);
        }
    }
}

#[test]
fn decoded_requests_own_their_data() {
    let body = encode_ok(
        &Request::Run(Run {
            query: "RETURN $x".into(),
            parameters: Parameters::Map(Cow::Owned(sample_params())),
            extra: TxExtra::default(),
        }),
        BoltVersion::V5_8,
    );
    let request: Request<'static> = Request::decode(&body, BoltVersion::V5_8).unwrap();
    drop(body);
    let Request::Run(run) = request else {
        panic!("not a RUN")
    };
    assert!(matches!(run.query, Cow::Owned(_)));
    assert_eq!(run.query, "RETURN $x");
}

#[test]
fn pre_encoded_parameters_are_copied_verbatim() {
    let params = sample_params();
    let encoded = packstream::to_vec(&Value::Map(params.clone()), Dialect::LATEST).unwrap();
    let query = String::from("RETURN $name");
    let from_map = Request::Run(Run {
        query: Cow::Borrowed(&query),
        parameters: Parameters::map(&params),
        extra: TxExtra::default(),
    });
    let from_bytes = Request::Run(Run {
        query: Cow::Borrowed(&query),
        parameters: Parameters::encoded(&encoded).unwrap(),
        extra: TxExtra::default(),
    });
    let body = encode_ok(&from_bytes, BoltVersion::V5_8);
    assert_eq!(body, encode_ok(&from_map, BoltVersion::V5_8));
    let start = 2 + 1 + query.len();
    assert_eq!(&body[start..start + encoded.len()], encoded.as_slice());
    assert_eq!(Request::decode(&body, BoltVersion::V5_8).unwrap(), from_map);
}

#[test]
fn pre_encoded_parameters_must_start_with_a_map_marker() {
    for bad in [&[][..], &[0x90], &[0xC0], &[0x01], &[0xB0, 0x01]] {
        assert!(
            matches!(
                Parameters::encoded(bad).unwrap_err().kind(),
                ErrorKind::Unencodable(_)
            ),
            "{bad:02X?}"
        );
        let run = Request::Run(Run {
            query: "RETURN 1".into(),
            parameters: Parameters::Encoded(Cow::Borrowed(bad)),
            extra: TxExtra::default(),
        });
        assert!(matches!(
            encode_err(&run, BoltVersion::V5_8),
            ErrorKind::Unencodable(_)
        ));
    }
    for good in [
        &[0xA0][..],
        &[0xD8, 0x00],
        &[0xD9, 0, 0],
        &[0xDA, 0, 0, 0, 0],
    ] {
        assert!(Parameters::encoded(good).is_ok(), "{good:02X?}");
    }
}

// ---------------------------------------------------------------------------
// Field rules

#[test]
fn hello_on_4_4_carries_auth_and_the_utc_patch_but_no_agent() {
    let hello = Hello {
        bolt_agent: Some(Cow::Owned(BoltAgent::new("neo-rust/0.1"))),
        ..hello_for(BoltVersion::V4_4)
    };
    let body = encode_ok(&Request::Hello(hello), BoltVersion::V4_4);
    let extra = body_map(&body, BoltVersion::V4_4);
    assert_eq!(extra["user_agent"], Value::from("app/1.0"));
    assert_eq!(extra["scheme"], Value::from("basic"));
    assert_eq!(extra["principal"], Value::from("neo4j"));
    assert_eq!(extra["credentials"], Value::from("pw"));
    assert_eq!(extra["patch_bolt"], Value::from(vec!["utc"]));
    assert_eq!(
        extra["routing"],
        Value::Map(map(&[("address", Value::from("h:7687"))]))
    );
    assert!(!extra.contains_key("bolt_agent"));
}

#[test]
fn hello_on_5_1_has_no_auth_no_patch_and_no_agent() {
    let hello = Hello {
        bolt_agent: Some(Cow::Owned(BoltAgent::new("neo-rust/0.1"))),
        patch_utc: true,
        ..hello_for(BoltVersion::V5_1)
    };
    let extra = body_map(
        &encode_ok(&Request::Hello(hello), BoltVersion::V5_1),
        BoltVersion::V5_1,
    );
    let keys: Vec<&str> = extra.keys().map(String::as_str).collect();
    assert_eq!(keys, ["routing", "user_agent"]);
}

#[test]
fn hello_from_5_3_carries_the_bolt_agent() {
    for version in [BoltVersion::V5_3, BoltVersion::V5_8] {
        let extra = body_map(
            &encode_ok(&Request::Hello(hello_for(version)), version),
            version,
        );
        assert_eq!(
            extra["bolt_agent"],
            Value::Map(map(&[
                ("product", Value::from("neo-rust/0.1")),
                ("platform", Value::from("linux x86_64")),
                ("language", Value::from("Rust/1.85")),
            ]))
        );
        assert!(!extra.contains_key("scheme"));
    }
}

#[test]
fn hello_without_routing_leaves_the_key_out() {
    let hello = Hello {
        routing: None,
        ..hello_for(BoltVersion::V5_8)
    };
    let extra = body_map(
        &encode_ok(&Request::Hello(hello), BoltVersion::V5_8),
        BoltVersion::V5_8,
    );
    assert!(!extra.contains_key("routing"));
}

#[test]
fn auth_maps_have_the_documented_shapes() {
    let logon = |auth: AuthToken| {
        let body = encode_ok(
            &Request::Logon(Logon {
                auth: Cow::Owned(auth),
            }),
            BoltVersion::V5_8,
        );
        body_map(&body, BoltVersion::V5_8)
    };
    assert_eq!(
        logon(AuthToken::None),
        map(&[("scheme", Value::from("none"))])
    );
    assert_eq!(
        logon(AuthToken::bearer("tok")),
        map(&[
            ("scheme", Value::from("bearer")),
            ("credentials", Value::from("tok"))
        ])
    );
    assert_eq!(
        logon(AuthToken::kerberos("t")),
        map(&[
            ("scheme", Value::from("kerberos")),
            ("principal", Value::from("")),
            ("credentials", Value::from("t")),
        ])
    );
    assert_eq!(
        logon(AuthToken::basic("u", "p")),
        map(&[
            ("scheme", Value::from("basic")),
            ("principal", Value::from("u")),
            ("credentials", Value::from("p")),
        ])
    );
}

#[test]
fn empty_and_default_transaction_settings_are_left_out() {
    let begin = Request::Begin(Begin {
        extra: TxExtra {
            bookmarks: Cow::Owned(Vec::new()),
            tx_metadata: Cow::Owned(Map::new()),
            mode: AccessMode::Write,
            db: Some("".into()),
            imp_user: Some("".into()),
            ..TxExtra::default()
        },
    });
    assert_eq!(encode_ok(&begin, BoltVersion::V5_8), [0xB1, 0x11, 0xA0]);
}

#[test]
fn read_mode_is_written_as_r() {
    let begin = Request::Begin(Begin {
        extra: TxExtra {
            mode: AccessMode::Read,
            ..TxExtra::default()
        },
    });
    assert_eq!(
        encode_ok(&begin, BoltVersion::V5_8),
        [0xB1, 0x11, 0xA1, 0x84, b'm', b'o', b'd', b'e', 0x81, b'r']
    );
}

#[test]
fn full_transaction_settings_have_the_documented_keys() {
    for (version, disabled_key) in [
        (BoltVersion::V5_2, "notifications_disabled_categories"),
        (BoltVersion::V5_4, "notifications_disabled_categories"),
        (BoltVersion::V5_6, "notifications_disabled_classifications"),
        (BoltVersion::V5_8, "notifications_disabled_classifications"),
    ] {
        let body = encode_ok(
            &Request::Begin(Begin {
                extra: full_extra(version),
            }),
            version,
        );
        let extra = body_map(&body, version);
        assert_eq!(
            extra,
            map(&[
                ("bookmarks", Value::from(vec!["bm:1", "bm:2"])),
                ("tx_timeout", Value::from(1500)),
                (
                    "tx_metadata",
                    Value::Map(map(&[("app", Value::from("test"))]))
                ),
                ("mode", Value::from("r")),
                ("db", Value::from("movies")),
                ("imp_user", Value::from("bob")),
                ("notifications_minimum_severity", Value::from("WARNING")),
                (disabled_key, Value::from(vec!["HINT", "DEPRECATION"])),
            ]),
            "{version}"
        );
    }
}

#[test]
fn an_empty_disabled_set_is_sent_to_enable_everything() {
    let filter = NotificationFilter {
        minimum_severity: Some(MinimumSeverity::Off),
        disabled_classifications: Some(Default::default()),
    };
    let begin = Request::Begin(Begin {
        extra: TxExtra {
            notifications: filter,
            ..TxExtra::default()
        },
    });
    let extra = body_map(&encode_ok(&begin, BoltVersion::V5_6), BoltVersion::V5_6);
    assert_eq!(
        extra["notifications_disabled_classifications"],
        Value::List(vec![])
    );
    assert_eq!(extra["notifications_minimum_severity"], Value::from("OFF"));
}

fn timeout_ms(timeout: Duration) -> Value {
    let begin = Request::Begin(Begin {
        extra: TxExtra {
            tx_timeout: Some(timeout),
            ..TxExtra::default()
        },
    });
    body_map(&encode_ok(&begin, BoltVersion::V5_8), BoltVersion::V5_8)["tx_timeout"].clone()
}

#[test]
fn transaction_timeouts_round_fractions_of_a_millisecond_up() {
    assert_eq!(timeout_ms(Duration::from_nanos(1)), Value::from(1));
    assert_eq!(timeout_ms(Duration::from_micros(499)), Value::from(1));
    assert_eq!(timeout_ms(Duration::from_micros(1001)), Value::from(2));
    assert_eq!(timeout_ms(Duration::from_secs(5)), Value::from(5000));
    assert_eq!(timeout_ms(Duration::ZERO), Value::from(0));
}

#[test]
fn a_timeout_beyond_64_bit_milliseconds_is_refused() {
    let begin = Request::Begin(Begin {
        extra: TxExtra {
            tx_timeout: Some(Duration::MAX),
            ..TxExtra::default()
        },
    });
    assert!(matches!(
        encode_err(&begin, BoltVersion::V5_8),
        ErrorKind::Unencodable(_)
    ));
}

#[test]
fn a_negative_timeout_is_rejected_when_decoding() {
    // BEGIN {tx_timeout: -1}
    let body = [
        0xB1, 0x11, 0xA1, 0x8A, b't', b'x', b'_', b't', b'i', b'm', b'e', b'o', b'u', b't', 0xFF,
    ];
    let err = Request::decode(&body, BoltVersion::V5_8).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Protocol(_)), "{err}");
}

#[test]
fn pull_leaves_out_qid_when_none_or_minus_one() {
    let minus_one = Request::Pull(Pull {
        n: -1,
        qid: Some(-1),
    });
    assert_eq!(
        encode_ok(&minus_one, BoltVersion::V5_8),
        encode_ok(&Request::Pull(Pull::all()), BoltVersion::V5_8)
    );
    let with_qid = Request::Discard(Discard {
        n: -1,
        qid: Some(0),
    });
    let extra = body_map(&encode_ok(&with_qid, BoltVersion::V5_8), BoltVersion::V5_8);
    assert_eq!(
        extra,
        map(&[("n", Value::from(-1)), ("qid", Value::from(0))])
    );
}

#[test]
fn pull_refuses_zero_and_other_negative_counts() {
    for n in [0, -2, i64::MIN] {
        assert!(matches!(
            encode_err(&Request::Pull(Pull { n, qid: None }), BoltVersion::V5_8),
            ErrorKind::Unencodable(_)
        ));
        // PULL {n: 0}
        let mut body = vec![0xB1, 0x3F, 0xA1, 0x81, b'n'];
        Packer::new(&mut body, Dialect::LATEST).write_int(n);
        assert!(matches!(
            Request::decode(&body, BoltVersion::V5_8)
                .unwrap_err()
                .kind(),
            ErrorKind::Protocol(_)
        ));
    }
    assert!(matches!(
        encode_err(
            &Request::Pull(Pull {
                n: 1,
                qid: Some(-5)
            }),
            BoltVersion::V5_8
        ),
        ErrorKind::Unencodable(_)
    ));
}

#[test]
fn route_writes_its_extra_map_from_4_4_and_a_db_string_on_4_3() {
    let route = Request::Route(Route {
        db: Some("movies".into()),
        ..Route::default()
    });
    let body = encode_ok(&route, BoltVersion::V4_4);
    assert_eq!(
        body,
        [
            0xB3, 0x66, 0xA0, 0x90, 0xA1, 0x82, b'd', b'b', 0x86, b'm', b'o', b'v', b'i', b'e',
            b's'
        ]
    );
    let body = encode_ok(&route, V4_3);
    assert_eq!(
        body,
        [
            0xB3, 0x66, 0xA0, 0x90, 0x86, b'm', b'o', b'v', b'i', b'e', b's'
        ]
    );
    assert_eq!(Request::decode(&body, V4_3).unwrap(), route);
    let no_db = encode_ok(&Request::Route(Route::default()), V4_3);
    assert_eq!(no_db, [0xB3, 0x66, 0xA0, 0x90, 0xC0]);
}

// ---------------------------------------------------------------------------
// Version gates

#[test]
fn logon_and_logoff_need_5_1() {
    let logon = Request::Logon(Logon {
        auth: Cow::Owned(AuthToken::basic("u", "p")),
    });
    for version in [BoltVersion::V4_4, BoltVersion::V5_0] {
        assert_eq!(
            encode_err(&logon, version),
            not_in_version("LOGON", "5.1+", version)
        );
        assert_eq!(
            encode_err(&Request::Logoff, version),
            not_in_version("LOGOFF", "5.1+", version)
        );
        let body = encode_ok(&logon, BoltVersion::V5_1);
        assert_eq!(
            Request::decode(&body, version).unwrap_err().kind(),
            &not_in_version("LOGON", "5.1+", version)
        );
        assert_eq!(
            Request::decode(&[0xB0, 0x6B], version).unwrap_err().kind(),
            &not_in_version("LOGOFF", "5.1+", version)
        );
    }
}

#[test]
fn hello_refuses_auth_from_5_1() {
    for version in [BoltVersion::V5_1, BoltVersion::V5_4, BoltVersion::V5_8] {
        let hello = Request::Hello(Hello {
            auth: Some(Cow::Owned(AuthToken::basic("u", "p"))),
            ..hello_for(version)
        });
        assert_eq!(
            encode_err(&hello, version),
            not_in_version(
                "authentication in HELLO",
                "5.0 or lower (send LOGON instead)",
                version
            )
        );
        // A 5.0-style HELLO (auth inside) decoded as this version.
        let body = encode_ok(
            &Request::Hello(Hello {
                auth: Some(Cow::Owned(AuthToken::basic("u", "p"))),
                ..hello_for(BoltVersion::V5_0)
            }),
            BoltVersion::V5_0,
        );
        assert!(matches!(
            Request::decode(&body, version).unwrap_err().kind(),
            ErrorKind::NotInVersion { .. } | ErrorKind::Protocol(_)
        ));
    }
}

#[test]
fn hello_needs_a_bolt_agent_from_5_3() {
    let hello = Request::Hello(Hello {
        bolt_agent: None,
        ..hello_for(BoltVersion::V5_3)
    });
    assert!(matches!(
        encode_err(&hello, BoltVersion::V5_3),
        ErrorKind::Unencodable(_)
    ));
    let body = encode_ok(&hello, BoltVersion::V5_2);
    assert!(matches!(
        Request::decode(&body, BoltVersion::V5_3)
            .unwrap_err()
            .kind(),
        ErrorKind::Protocol(_)
    ));
}

#[test]
fn telemetry_needs_5_4() {
    let telemetry = Request::Telemetry(Telemetry {
        api: TelemetryApi::DriverLevel,
    });
    for version in [BoltVersion::V4_4, BoltVersion::V5_3] {
        assert_eq!(
            encode_err(&telemetry, version),
            not_in_version("TELEMETRY", "5.4+", version)
        );
        assert_eq!(
            Request::decode(&[0xB1, 0x54, 0x03], version)
                .unwrap_err()
                .kind(),
            &not_in_version("TELEMETRY", "5.4+", version)
        );
    }
    assert!(matches!(
        Request::decode(&[0xB1, 0x54, 0x04], BoltVersion::V5_4)
            .unwrap_err()
            .kind(),
        ErrorKind::Protocol(_)
    ));
}

#[test]
fn notification_filters_need_5_2_in_hello_begin_and_run() {
    for version in [BoltVersion::V4_4, BoltVersion::V5_1] {
        let expected = not_in_version("notification filters", "5.2+", version);
        let extra = TxExtra {
            notifications: full_filter(),
            ..TxExtra::default()
        };
        let hello = Request::Hello(Hello {
            notifications: full_filter(),
            ..hello_for(version)
        });
        let begin = Request::Begin(Begin {
            extra: extra.clone(),
        });
        let run = Request::Run(Run {
            query: "RETURN 1".into(),
            parameters: Parameters::default(),
            extra,
        });
        for request in [hello, begin, run] {
            assert_eq!(
                encode_err(&request, version),
                expected,
                "{}",
                request.name()
            );
        }
        let body = encode_ok(
            &Request::Begin(Begin {
                extra: TxExtra {
                    notifications: full_filter(),
                    ..TxExtra::default()
                },
            }),
            BoltVersion::V5_2,
        );
        assert_eq!(
            Request::decode(&body, version).unwrap_err().kind(),
            &expected
        );
    }
}

#[test]
fn the_disabled_key_must_match_the_version() {
    let begin = |version| {
        encode_ok(
            &Request::Begin(Begin {
                extra: TxExtra {
                    notifications: full_filter(),
                    ..TxExtra::default()
                },
            }),
            version,
        )
    };
    let categories = begin(BoltVersion::V5_4);
    let classifications = begin(BoltVersion::V5_6);
    assert_eq!(
        Request::decode(&categories, BoltVersion::V5_6)
            .unwrap_err()
            .kind(),
        &not_in_version(
            "notifications_disabled_categories",
            "5.2 to 5.4",
            BoltVersion::V5_6
        )
    );
    assert_eq!(
        Request::decode(&classifications, BoltVersion::V5_4)
            .unwrap_err()
            .kind(),
        &not_in_version(
            "notifications_disabled_classifications",
            "5.6+",
            BoltVersion::V5_4
        )
    );
}

#[test]
fn impersonation_needs_4_4() {
    let extra = TxExtra {
        imp_user: Some("bob".into()),
        ..TxExtra::default()
    };
    let expected = not_in_version("imp_user", "4.4+", V4_3);
    let requests = [
        Request::Begin(Begin {
            extra: extra.clone(),
        }),
        Request::Run(Run {
            query: "RETURN 1".into(),
            parameters: Parameters::default(),
            extra,
        }),
        Request::Route(Route {
            imp_user: Some("bob".into()),
            ..Route::default()
        }),
    ];
    for request in &requests {
        assert_eq!(encode_err(request, V4_3), expected, "{}", request.name());
    }
    let body = encode_ok(&requests[0], BoltVersion::V4_4);
    assert_eq!(Request::decode(&body, V4_3).unwrap_err().kind(), &expected);
}

#[test]
fn route_needs_4_3() {
    let version = BoltVersion::new(4, 2);
    assert_eq!(
        encode_err(&Request::Route(Route::default()), version),
        not_in_version("ROUTE", "4.3+", version)
    );
}

// ---------------------------------------------------------------------------
// Credentials never leak

#[test]
fn debug_output_never_shows_credentials() {
    const SECRET: &str = "S3CR3T-value";
    let tokens = [
        AuthToken::basic("neo4j", SECRET),
        AuthToken::Basic {
            principal: "neo4j".into(),
            credentials: SECRET.into(),
            realm: Some("r".into()),
        },
        AuthToken::bearer(SECRET),
        AuthToken::kerberos(SECRET),
        AuthToken::Custom {
            scheme: "plugin".into(),
            principal: Some("p".into()),
            credentials: Some(SECRET.into()),
            realm: None,
            parameters: Some(map(&[("key", Value::from(SECRET))])),
        },
    ];
    for token in tokens {
        let debug = format!("{token:?}");
        assert!(!debug.contains(SECRET), "{debug}");
        assert!(debug.contains("redacted"), "{debug}");
        let pretty = format!("{token:#?}");
        assert!(!pretty.contains(SECRET), "{pretty}");
        let logon = Request::Logon(Logon {
            auth: Cow::Borrowed(&token),
        });
        assert!(!format!("{logon:?}").contains(SECRET));
        let hello = Request::Hello(Hello {
            auth: Some(Cow::Borrowed(&token)),
            ..Hello::default()
        });
        assert!(!format!("{hello:?}").contains(SECRET));
    }
    let basic = format!("{:?}", AuthToken::basic("neo4j", SECRET));
    assert!(
        basic.contains("neo4j"),
        "the principal is not secret: {basic}"
    );
}

// ---------------------------------------------------------------------------
// Responses

fn encode_response(response: &Response<'_>, version: BoltVersion) -> Vec<u8> {
    let mut out = Vec::new();
    response
        .encode(&mut Packer::new(&mut out, dialect(version)), version)
        .unwrap();
    out
}

#[test]
fn responses_round_trip() {
    let values = [Value::from(1), Value::from("two"), Value::Null];
    let mut record_body = Vec::new();
    Record::encode_values(&mut Packer::new(&mut record_body, Dialect::LATEST), &values).unwrap();
    assert_eq!(record_body[..3], [0xB1, 0x71, 0x93]);
    let encoded_fields = &record_body[3..];
    let record = Record::from_encoded(3, encoded_fields, Dialect::LATEST);

    for version in BoltVersion::SUPPORTED {
        let responses = [
            Response::Success(Success::new(map(&[
                ("fields", Value::from(vec!["a", "b"])),
                ("t_first", Value::from(3)),
            ]))),
            Response::Success(Success::default()),
            Response::Record(record),
            Response::Ignored,
            Response::Failure(ServerError::new(StatusCode::SYNTAX_ERROR, "bad")),
        ];
        for response in &responses {
            let body = encode_response(response, version);
            let back = Response::decode(&body, Dialect::LATEST).unwrap();
            match (response, &back) {
                (Response::Failure(sent), Response::Failure(got)) => {
                    assert_eq!(got.code(), sent.code());
                    assert_eq!(got.message(), sent.message());
                    if version >= BoltVersion::V5_7 {
                        assert_eq!(got, sent);
                    }
                }
                _ => assert_eq!(&back, response, "{version}"),
            }
        }
    }
    assert_eq!(
        encode_response(&Response::Record(record), BoltVersion::V5_8),
        record_body
    );
    assert_eq!(
        encode_response(&Response::Ignored, BoltVersion::V5_8),
        [0xB0, 0x7E]
    );
}

#[test]
fn records_decode_lazily_from_the_borrowed_body() {
    let mut body = Vec::new();
    Record::encode_values(
        &mut Packer::new(&mut body, Dialect::LATEST),
        &[Value::from("x"), Value::from(vec![1, 2]), Value::from(42)],
    )
    .unwrap();
    let Response::Record(record) = Response::decode(&body, Dialect::LATEST).unwrap() else {
        panic!("not a record")
    };
    assert_eq!(record.len(), 3);
    assert!(std::ptr::eq(record.raw_fields(), &body[3..]));
    let mut columns = record.unpacker();
    assert_eq!(columns.read_str().unwrap(), "x");
    columns.skip_value().unwrap();
    assert_eq!(columns.read_int().unwrap(), 42);
    columns.finish().unwrap();
    assert_eq!(
        record.values().unwrap(),
        [Value::from("x"), Value::from(vec![1, 2]), Value::from(42)]
    );
}

#[test]
fn a_record_with_more_fields_than_bytes_is_rejected_up_front() {
    // RECORD [ ... 3 items ] but only one byte of data.
    let err = Response::decode(&[0xB1, 0x71, 0x93, 0x01], Dialect::LATEST).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::UnexpectedEnd { .. }));
    // Lazily detected: trailing garbage after the fields.
    let Response::Record(record) =
        Response::decode(&[0xB1, 0x71, 0x91, 0x01, 0x02], Dialect::LATEST).unwrap()
    else {
        panic!()
    };
    assert!(matches!(
        record.values().unwrap_err().kind(),
        ErrorKind::TrailingBytes(1)
    ));
}

#[test]
fn success_metadata_has_typed_accessors() {
    let success = Success::new(map(&[
        ("fields", Value::from(vec!["name", "age"])),
        ("t_first", Value::from(2)),
        ("t_last", Value::from(5)),
        ("qid", Value::from(1)),
        ("has_more", Value::Boolean(true)),
        ("bookmark", Value::from("FB:kcwQ")),
        ("db", Value::from("neo4j")),
        ("type", Value::from("w")),
        (
            "stats",
            Value::Map(map(&[
                ("nodes-created", Value::from(2)),
                ("properties-set", Value::from(4)),
                ("system-updates", Value::from(1)),
            ])),
        ),
        ("server", Value::from("Neo4j/5.26.0")),
        ("connection_id", Value::from("bolt-7")),
        (
            "hints",
            Value::Map(map(&[
                ("connection.recv_timeout_seconds", Value::from(120)),
                ("telemetry.enabled", Value::Boolean(true)),
                ("ssr.enabled", Value::Boolean(true)),
            ])),
        ),
        ("patch_bolt", Value::from(vec!["utc"])),
        ("protocol_version", Value::from("5.8")),
        ("advertised_address", Value::from("a:7687")),
    ]));
    assert_eq!(success.fields().unwrap(), ["name", "age"]);
    assert_eq!(success.t_first(), Some(2));
    assert_eq!(success.t_last(), Some(5));
    assert_eq!(success.qid(), Some(1));
    assert!(success.has_more());
    assert_eq!(success.bookmark(), Some("FB:kcwQ"));
    assert_eq!(success.db(), Some("neo4j"));
    assert_eq!(success.query_type(), Some(QueryType::Write));
    let counters = success.counters();
    assert_eq!(counters.nodes_created, 2);
    assert_eq!(counters.properties_set, 4);
    assert_eq!(counters.relationships_created, 0);
    assert!(counters.contains_updates);
    assert!(counters.contains_system_updates);
    assert_eq!(success.server(), Some("Neo4j/5.26.0"));
    assert_eq!(success.connection_id(), Some("bolt-7"));
    let hints = success.hints();
    assert_eq!(hints.recv_timeout_seconds, Some(120));
    assert!(hints.telemetry_enabled && hints.ssr_enabled);
    assert!(success.utc_patch_agreed());
    assert_eq!(success.protocol_version(), Some("5.8"));
    assert_eq!(success.advertised_address(), Some("a:7687"));

    let empty = Success::default();
    assert!(!empty.has_more());
    assert_eq!(empty.fields().unwrap(), Vec::<String>::new());
    assert_eq!(empty.hints(), Default::default());
    assert!(!empty.utc_patch_agreed());
    assert!(!empty.counters().contains_updates);

    let bad = Success::new(map(&[("fields", Value::from(1))]));
    assert!(matches!(
        bad.fields().unwrap_err().kind(),
        ErrorKind::UnexpectedType { .. }
    ));
}

#[test]
fn counters_round_trip_through_the_stats_map() {
    let success = Success::new(map(&[(
        "stats",
        Value::Map(map(&[
            ("relationships-deleted", Value::from(3)),
            ("labels-added", Value::from(1)),
            ("contains-updates", Value::Boolean(true)),
        ])),
    )]));
    let counters = success.counters();
    assert_eq!(counters.relationships_deleted, 3);
    assert_eq!(counters.labels_added, 1);
    let again = Success::new(map(&[("stats", Value::Map(counters.to_map()))]));
    assert_eq!(again.counters(), counters);
}

#[test]
fn legacy_notifications_are_read_as_sent() {
    let success = Success::new(map(&[(
        "notifications",
        Value::List(vec![Value::Map(map(&[
            (
                "code",
                Value::from("Neo.ClientNotification.Statement.UnknownLabelWarning"),
            ),
            ("title", Value::from("unknown label")),
            ("description", Value::from("no such label")),
            ("severity", Value::from("WARNING")),
            ("category", Value::from("UNRECOGNIZED")),
            (
                "position",
                Value::Map(map(&[
                    ("offset", Value::from(9)),
                    ("line", Value::from(1)),
                    ("column", Value::from(10)),
                ])),
            ),
        ]))]),
    )]));
    let notifications = success.notifications();
    assert_eq!(notifications.len(), 1);
    let n = &notifications[0];
    assert_eq!(
        n.code,
        "Neo.ClientNotification.Statement.UnknownLabelWarning"
    );
    assert_eq!(n.severity, "WARNING");
    assert_eq!(n.category, "UNRECOGNIZED");
    assert_eq!(
        n.position.map(|p| (p.offset, p.line, p.column)),
        Some((9, 1, 10))
    );
}

#[test]
fn statuses_get_gql_defaults_and_rebuild_notifications() {
    let success = Success::new(map(&[(
        "statuses",
        Value::List(vec![
            Value::Map(map(&[
                ("gql_status", Value::from("00000")),
                (
                    "status_description",
                    Value::from("note: successful completion"),
                ),
            ])),
            Value::Map(map(&[
                ("gql_status", Value::from("01N50")),
                (
                    "status_description",
                    Value::from("warn: label does not exist"),
                ),
                (
                    "neo4j_code",
                    Value::from("Neo.ClientNotification.Statement.UnknownLabelWarning"),
                ),
                ("title", Value::from("unknown label")),
                ("description", Value::from("no such label")),
                (
                    "diagnostic_record",
                    Value::Map(map(&[
                        ("_severity", Value::from("WARNING")),
                        ("_classification", Value::from("UNRECOGNIZED")),
                        ("OPERATION", Value::from("MATCH")),
                        (
                            "_position",
                            Value::Map(map(&[
                                ("offset", Value::from(0)),
                                ("line", Value::from(1)),
                                ("column", Value::from(1)),
                            ])),
                        ),
                    ])),
                ),
            ])),
        ]),
    )]));
    let statuses = success.statuses();
    assert_eq!(statuses.len(), 2);
    let ok = &statuses[0];
    assert_eq!(ok.gql_status, "00000");
    assert_eq!(ok.neo4j_code, None);
    assert_eq!(ok.diagnostic_record["OPERATION"], Value::from(""));
    assert_eq!(ok.diagnostic_record["OPERATION_CODE"], Value::from("0"));
    assert_eq!(ok.diagnostic_record["CURRENT_SCHEMA"], Value::from("/"));
    let warning = &statuses[1];
    assert_eq!(warning.diagnostic_record["OPERATION"], Value::from("MATCH"));
    assert_eq!(warning.severity(), Some("WARNING"));
    assert_eq!(warning.classification(), Some("UNRECOGNIZED"));

    let notifications = success.notifications();
    assert_eq!(notifications.len(), 1, "only statuses with a neo4j_code");
    let n = &notifications[0];
    assert_eq!(
        n.code,
        "Neo.ClientNotification.Statement.UnknownLabelWarning"
    );
    assert_eq!(n.title, "unknown label");
    assert_eq!(n.description, "no such label");
    assert_eq!(n.severity, "WARNING");
    assert_eq!(n.category, "UNRECOGNIZED");
    assert_eq!(n.position.map(|p| p.line), Some(1));
}

#[test]
fn routing_tables_parse_and_round_trip() {
    // Sample exchange E of the reference.
    let server = |role: &str, addresses: &[&str]| {
        Value::Map(map(&[
            ("addresses", Value::from(addresses.to_vec())),
            ("role", Value::from(role)),
        ]))
    };
    let success = Success::new(map(&[(
        "rt",
        Value::Map(map(&[
            ("ttl", Value::from(300)),
            ("db", Value::from("neo4j")),
            (
                "servers",
                Value::List(vec![
                    server("WRITE", &["a:7687"]),
                    server("READ", &["b:7687", "c:7687"]),
                    server("ROUTE", &["a:7687", "b:7687", "c:7687"]),
                    server("SOMETHING_NEW", &["d:7687"]),
                ]),
            ),
        ])),
    )]));
    let table = success.routing_table().unwrap();
    assert_eq!(table.ttl, 300);
    assert_eq!(table.db.as_deref(), Some("neo4j"));
    assert_eq!(table.writers, ["a:7687"]);
    assert_eq!(table.readers, ["b:7687", "c:7687"]);
    assert_eq!(table.routers, ["a:7687", "b:7687", "c:7687"]);
    assert_eq!(
        Success::new(table.to_metadata()).routing_table().unwrap(),
        table
    );

    for bad in [
        map(&[]),
        map(&[("rt", Value::from(1))]),
        map(&[("rt", Value::Map(map(&[("servers", Value::List(vec![]))])))]),
        map(&[(
            "rt",
            Value::Map(map(&[("ttl", Value::from(1)), ("servers", Value::from(3))])),
        )]),
        map(&[(
            "rt",
            Value::Map(map(&[
                ("ttl", Value::from(1)),
                ("servers", Value::List(vec![Value::from("x")])),
            ])),
        )]),
    ] {
        assert!(Success::new(bad).routing_table().is_err());
    }
}

// ---------------------------------------------------------------------------
// Hostile input

#[test]
fn every_truncation_of_every_request_is_an_error() {
    for version in BoltVersion::SUPPORTED {
        for request in samples(version) {
            let body = encode_ok(&request, version);
            for len in 0..body.len() {
                assert!(
                    Request::decode(&body[..len], version).is_err(),
                    "{} on {version} truncated to {len} bytes decoded",
                    request.name()
                );
            }
        }
    }
}

#[test]
fn every_truncation_of_every_response_is_an_error() {
    let mut bodies = Vec::new();
    for version in [BoltVersion::V4_4, BoltVersion::V5_8] {
        let failure = ServerError::new(StatusCode::SYNTAX_ERROR, "bad")
            .with_cause(ServerError::new(StatusCode::SYNTAX_ERROR, "inner"));
        bodies.push(encode_response(&Response::Failure(failure), version));
        bodies.push(encode_response(
            &Response::Success(Success::new(map(&[("fields", Value::from(vec!["a"]))]))),
            version,
        ));
        bodies.push(encode_response(&Response::Ignored, version));
    }
    for body in bodies {
        for len in 0..body.len() {
            assert!(Response::decode(&body[..len], Dialect::LATEST).is_err());
        }
    }
    let mut record = Vec::new();
    Record::encode_values(
        &mut Packer::new(&mut record, Dialect::LATEST),
        &[Value::from("abc"), Value::from(1000)],
    )
    .unwrap();
    for len in 0..record.len() {
        let lazily = Response::decode(&record[..len], Dialect::LATEST).and_then(|r| match r {
            Response::Record(r) => r.values().map(|_| ()),
            _ => Ok(()),
        });
        assert!(lazily.is_err(), "record truncated to {len} bytes decoded");
    }
}

#[test]
fn unknown_tags_are_typed_errors() {
    for tag in [0x00, 0x03, 0x55, 0x70, 0x7F, 0xFF] {
        assert_eq!(
            Request::decode(&[0xB0, tag], BoltVersion::V5_8)
                .unwrap_err()
                .kind(),
            &ErrorKind::UnknownMessageTag(tag)
        );
    }
    for tag in [0x01, 0x0F, 0x10, 0x3F, 0x72] {
        assert_eq!(
            Response::decode(&[0xB0, tag], Dialect::LATEST)
                .unwrap_err()
                .kind(),
            &ErrorKind::UnknownMessageTag(tag)
        );
    }
}

#[test]
fn wrong_field_counts_are_typed_errors() {
    let err = Request::decode(&[0xB1, 0x0F, 0x01], BoltVersion::V5_8).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::StructSize {
            tag: 0x0F,
            name: "RESET",
            expected: 0,
            found: 1
        }
    );
    let err = Request::decode(&[0xB2, 0x10, 0x80, 0xA0], BoltVersion::V5_8).unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::StructSize {
            name: "RUN",
            expected: 3,
            found: 2,
            ..
        }
    ));
    let err = Response::decode(&[0xB0, 0x70], Dialect::LATEST).unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::StructSize {
            name: "SUCCESS",
            ..
        }
    ));
}

#[test]
fn wrong_field_types_are_typed_errors() {
    let cases: [&[u8]; 5] = [
        &[0xB3, 0x10, 0x01, 0xA0, 0xA0],       // RUN 1 {} {}
        &[0xB3, 0x10, 0x80, 0x90, 0xA0],       // RUN "" [] {}
        &[0xB1, 0x3F, 0xA1, 0x81, b'n', 0x80], // PULL {n: ""}
        &[0xB1, 0x11, 0x01],                   // BEGIN 1
        &[0xB1, 0x54, 0x80],                   // TELEMETRY ""
    ];
    for body in cases {
        let err = Request::decode(body, BoltVersion::V5_8).unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::UnexpectedType { .. }),
            "{body:02X?}: {err}"
        );
    }
    let not_a_struct = Request::decode(&[0xA0], BoltVersion::V5_8).unwrap_err();
    assert!(matches!(
        not_a_struct.kind(),
        ErrorKind::UnexpectedType { .. }
    ));
    let record_not_list = Response::decode(&[0xB1, 0x71, 0xA0], Dialect::LATEST).unwrap_err();
    assert!(matches!(
        record_not_list.kind(),
        ErrorKind::UnexpectedType { .. }
    ));
}

#[test]
fn trailing_bytes_are_an_error() {
    assert!(matches!(
        Request::decode(&[0xB0, 0x0F, 0x00], BoltVersion::V5_8)
            .unwrap_err()
            .kind(),
        ErrorKind::TrailingBytes(1)
    ));
    assert!(matches!(
        Response::decode(&[0xB0, 0x7E, 0x00], Dialect::LATEST)
            .unwrap_err()
            .kind(),
        ErrorKind::TrailingBytes(1)
    ));
}

mod fuzz {
    //! Arbitrary bytes never panic the decoders.

    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn arbitrary_request_bodies_never_panic(body in proptest::collection::vec(any::<u8>(), 0..64)) {
            for version in BoltVersion::SUPPORTED {
                let _ = Request::decode(&body, version);
            }
        }

        #[test]
        fn arbitrary_response_bodies_never_panic(body in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(Response::Record(record)) = Response::decode(&body, Dialect::LATEST) {
                let _ = record.values();
            }
        }

        #[test]
        fn mutated_requests_never_panic(index in any::<prop::sample::Index>(), byte in any::<u8>()) {
            for version in [BoltVersion::V4_4, BoltVersion::V5_8] {
                for request in samples(version) {
                    let mut body = encode_ok(&request, version);
                    let i = index.index(body.len());
                    body[i] = byte;
                    let _ = Request::decode(&body, version);
                }
            }
        }
    }
}

#[test]
fn notifications_and_statuses_round_trip_through_their_maps() {
    use neo_bolt::message::{GqlStatusObject, Notification, Position};

    let mut notification = Notification::default();
    notification.code = "Neo.ClientNotification.Statement.CartesianProduct".into();
    notification.title = "cartesian".into();
    notification.description = "slow".into();
    notification.severity = "INFORMATION".into();
    notification.category = "PERFORMANCE".into();
    notification.position = Some(Position::new(3, 1, 4));
    let legacy = Success::new(map(&[(
        "notifications",
        Value::List(vec![Value::Map(notification.to_map())]),
    )]));
    assert_eq!(legacy.notifications(), [notification]);

    let mut status = GqlStatusObject::default();
    status.gql_status = "03N90".into();
    status.status_description = "info: cartesian product".into();
    status.diagnostic_record = map(&[
        ("OPERATION", Value::from("")),
        ("OPERATION_CODE", Value::from("0")),
        ("CURRENT_SCHEMA", Value::from("/")),
    ]);
    let modern = Success::new(map(&[(
        "statuses",
        Value::List(vec![Value::Map(status.to_map())]),
    )]));
    assert_eq!(modern.statuses(), [status]);
    assert!(modern.notifications().is_empty());
}
