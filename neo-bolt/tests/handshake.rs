//! Bolt version negotiation: the client's opening and reply parsing, the
//! server's choice and manifest, VarInts, and both sides against each other.

use bytes::BytesMut;
use neo_bolt::handshake::{
    ClientHandshake, MAGIC, Manifest, ManifestChoice, Negotiated, ServerAnswer, ServerHandshake,
    VersionRange, read_varint, write_varint,
};
use neo_bolt::{BoltVersion, ErrorKind};
use proptest::prelude::*;

const MANIFEST_LISTING_5_8_TO_5_6_AND_4_4_TO_4_0: [u8; 14] = [
    0x00, 0x00, 0x01, 0xFF, 0x02, 0x00, 0x02, 0x08, 0x05, 0x00, 0x04, 0x04, 0x04, 0x09,
];

fn opening(slots: [[u8; 4]; 4]) -> BytesMut {
    let mut bytes = BytesMut::from(&MAGIC[..]);
    for slot in slots {
        bytes.extend_from_slice(&slot);
    }
    bytes
}

fn client_reads(client: &ClientHandshake, reply: &[u8]) -> Result<Negotiated, neo_bolt::Error> {
    let mut input = BytesMut::from(reply);
    let negotiated = client.read_reply(&mut input)?.expect("a complete reply");
    assert!(input.is_empty(), "the whole reply is consumed");
    Ok(negotiated)
}

fn server_answers(server: &ServerHandshake, opening: &[u8]) -> ServerAnswer {
    let mut input = BytesMut::from(opening);
    let answer = server.read_opening(&mut input).unwrap().expect("20 bytes");
    assert!(input.is_empty());
    answer
}

fn protocol_message(err: &neo_bolt::Error) -> &str {
    match err.kind() {
        ErrorKind::Protocol(message) => message,
        other => panic!("expected a protocol error, got {other:?}"),
    }
}

/// Asserts that every strict prefix of `bytes` parses as "need more" and
/// leaves the buffer alone.
fn assert_prefixes_need_more<T: std::fmt::Debug>(
    bytes: &[u8],
    parse: impl Fn(&mut BytesMut) -> Result<Option<T>, neo_bolt::Error>,
) {
    for len in 0..bytes.len() {
        let mut input = BytesMut::from(&bytes[..len]);
        match parse(&mut input) {
            Ok(None) => assert_eq!(&input[..], &bytes[..len], "prefix {len} is not consumed"),
            other => panic!("prefix of {len} bytes gave {other:?}"),
        }
    }
}

#[test]
fn varint_examples_from_the_reference() {
    for (bytes, value) in [
        (&[0x01][..], 1u64),
        (&[0x7F][..], 127),
        (&[0xFF, 0x82, 0x71][..], 1_851_775),
        (&[0x80, 0x01][..], 128),
        (&[0x00][..], 0),
    ] {
        assert_eq!(read_varint(bytes).unwrap(), Some((value, bytes.len())));
        let mut out = Vec::new();
        write_varint(&mut out, value);
        assert_eq!(out, bytes);
    }
}

#[test]
fn varint_of_u64_max_takes_ten_bytes() {
    let mut out = Vec::new();
    write_varint(&mut out, u64::MAX);
    assert_eq!(
        out,
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
    );
    assert_eq!(read_varint(&out).unwrap(), Some((u64::MAX, 10)));
}

#[test]
fn varints_beyond_64_bits_are_rejected() {
    let too_big = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02];
    assert!(matches!(
        read_varint(&too_big).unwrap_err().kind(),
        ErrorKind::Protocol(_)
    ));
    let too_long = [0x80; 11];
    assert!(read_varint(&too_long).is_err());
    assert_eq!(
        read_varint(&[0x80; 9]).unwrap(),
        None,
        "nine bytes may continue"
    );
}

#[test]
fn the_default_opening_offers_manifest_6_0_5_8_to_5_0_and_4_4_to_4_3() {
    assert_eq!(
        ClientHandshake::new().opening(),
        [
            0x60, 0x60, 0xB0, 0x17, 0x00, 0x00, 0x01, 0xFF, 0x00, 0x00, 0x00, 0x06, 0x00, 0x08,
            0x08, 0x05, 0x00, 0x01, 0x04, 0x04
        ]
    );
}

#[test]
fn the_opening_follows_the_builder() {
    let cases = [
        (
            ClientHandshake::new().max_version(BoltVersion::V5_4),
            [
                [0x00, 0x04, 0x04, 0x05],
                [0x00, 0x01, 0x04, 0x04],
                [0; 4],
                [0; 4],
            ],
        ),
        (
            ClientHandshake::new().manifest(false),
            [
                [0x00, 0x00, 0x00, 0x06],
                [0x00, 0x08, 0x08, 0x05],
                [0x00, 0x01, 0x04, 0x04],
                [0; 4],
            ],
        ),
        (
            ClientHandshake::new().max_version(BoltVersion::V5_8),
            [
                [0x00, 0x00, 0x01, 0xFF],
                [0x00, 0x08, 0x08, 0x05],
                [0x00, 0x01, 0x04, 0x04],
                [0; 4],
            ],
        ),
        (
            ClientHandshake::new().max_version(BoltVersion::V5_6),
            [
                [0x00, 0x06, 0x06, 0x05],
                [0x00, 0x01, 0x04, 0x04],
                [0; 4],
                [0; 4],
            ],
        ),
        (
            ClientHandshake::new().max_version(BoltVersion::V5_7),
            [
                [0x00, 0x00, 0x01, 0xFF],
                [0x00, 0x07, 0x07, 0x05],
                [0x00, 0x01, 0x04, 0x04],
                [0; 4],
            ],
        ),
        (
            ClientHandshake::new().max_version(BoltVersion::V4_4),
            [[0x00, 0x01, 0x04, 0x04], [0; 4], [0; 4], [0; 4]],
        ),
    ];
    for (client, slots) in cases {
        assert_eq!(client.opening()[..], opening(slots)[..], "{client:?}");
    }
}

#[test]
fn the_client_picks_5_8_from_the_reference_manifest_and_selects_no_capabilities() {
    let client = ClientHandshake::new();
    let negotiated = client_reads(&client, &MANIFEST_LISTING_5_8_TO_5_6_AND_4_4_TO_4_0).unwrap();
    assert_eq!(negotiated.version, BoltVersion::V5_8);
    let manifest = negotiated.manifest.as_ref().unwrap();
    assert_eq!(manifest.capabilities, 9);
    assert_eq!(
        manifest.ranges,
        [
            VersionRange::new(BoltVersion::V5_8, 2),
            VersionRange::new(BoltVersion::V4_4, 4)
        ]
    );
    let mut choice = Vec::new();
    negotiated.write_choice(&mut choice);
    assert_eq!(choice, [0x00, 0x00, 0x08, 0x05, 0x00]);
}

#[test]
fn the_server_answers_the_reference_opening_with_its_manifest() {
    let answer = server_answers(
        &ServerHandshake::new(),
        &opening([
            [0x00, 0x00, 0x01, 0xFF],
            [0x00, 0x00, 0x04, 0x04],
            [0x00, 0x00, 0x00, 0x03],
            [0x00, 0x00, 0x00, 0x02],
        ]),
    );
    let mut bytes = Vec::new();
    answer.write(&mut bytes);
    assert_eq!(
        bytes,
        [
            0x00, 0x00, 0x01, 0xFF, 0x04, // manifest, four ranges
            0x00, 0x00, 0x00, 0x06, // 6.0
            0x00, 0x02, 0x08, 0x05, // 5.8..5.6
            0x00, 0x04, 0x04, 0x05, // 5.4..5.0
            0x00, 0x01, 0x04, 0x04, // 4.4..4.3
            0x00, // no capabilities
        ]
    );
}

#[test]
fn the_server_accepts_the_reference_clients_choice_of_5_7_with_capability_8() {
    let mut input = BytesMut::from(&[0x00, 0x00, 0x07, 0x05, 0x08][..]);
    let choice = ServerHandshake::new().read_choice(&mut input).unwrap();
    assert_eq!(
        choice,
        Some(ManifestChoice {
            version: BoltVersion::V5_7,
            capabilities: 8
        })
    );
    assert!(input.is_empty());
}

#[test]
fn the_server_rejects_a_choice_it_did_not_offer() {
    let server = ServerHandshake::new().max_version(BoltVersion::V5_7);
    for choice in [
        [0x00, 0x00, 0x08, 0x05, 0x00], // above the server's maximum
        [0x00, 0x00, 0x05, 0x05, 0x00], // 5.5
        [0x00, 0x02, 0x07, 0x05, 0x00], // a range instead of one version
        [0x00, 0x00, 0x00, 0x06, 0x00], // 6.0
    ] {
        let err = server
            .read_choice(&mut BytesMut::from(&choice[..]))
            .unwrap_err();
        assert!(protocol_message(&err).contains("not one of the versions offered"));
    }
}

#[test]
fn a_4_4_only_server_answers_4_4_to_the_default_client() {
    let server = ServerHandshake::new().max_version(BoltVersion::V4_4);
    assert!(!server.offers_manifest());
    let client = ClientHandshake::new();
    let answer = server_answers(&server, &client.opening());
    assert_eq!(answer, ServerAnswer::Version(BoltVersion::V4_4));
    let mut reply = Vec::new();
    answer.write(&mut reply);
    assert_eq!(reply, [0x00, 0x00, 0x04, 0x04]);

    let negotiated = client_reads(&client, &reply).unwrap();
    assert_eq!(negotiated.version, BoltVersion::V4_4);
    assert_eq!(negotiated.manifest, None);
    let mut choice = Vec::new();
    negotiated.write_choice(&mut choice);
    assert!(choice.is_empty(), "nothing to send after a plain version");
}

#[test]
fn a_server_limited_to_5_4_never_offers_the_manifest() {
    let server = ServerHandshake::new().max_version(BoltVersion::V5_4);
    let answer = server_answers(&server, &ClientHandshake::new().opening());
    assert_eq!(answer, ServerAnswer::Version(BoltVersion::V5_4));
}

#[test]
fn the_server_takes_the_first_slot_it_can_serve_in_client_order() {
    let server = ServerHandshake::new();
    let four_four_first = opening([
        [0x00, 0x02, 0x04, 0x04],
        [0x00, 0x08, 0x08, 0x05],
        [0; 4],
        [0; 4],
    ]);
    assert_eq!(
        server_answers(&server, &four_four_first),
        ServerAnswer::Version(BoltVersion::V4_4)
    );

    let unknown_first = opening([
        [0x00, 0x00, 0x00, 0x03],
        [0x00, 0x00, 0x02, 0xFF], // a manifest version this crate does not know
        [0x00, 0x03, 0x04, 0x05],
        [0x00, 0x00, 0x04, 0x04],
    ]);
    assert_eq!(
        server_answers(&server, &unknown_first),
        ServerAnswer::Version(BoltVersion::V5_4)
    );
}

#[test]
fn the_server_answers_the_highest_version_it_speaks_inside_the_slot() {
    let slots = opening([[0x00, 0x08, 0x08, 0x05], [0; 4], [0; 4], [0; 4]]);
    for max in BoltVersion::SUPPORTED {
        let server = ServerHandshake::new().max_version(max);
        let expected = match max.major {
            5 => ServerAnswer::Version(max),
            6.. => ServerAnswer::Version(BoltVersion::V5_8),
            _ => ServerAnswer::NoCommonVersion,
        };
        assert_eq!(
            server_answers(&server, &slots),
            expected,
            "server max {max}"
        );
    }
}

#[test]
fn the_manifest_wins_when_offered_in_any_slot() {
    let manifest_last = opening([
        [0x00, 0x00, 0x04, 0x04],
        [0; 4],
        [0; 4],
        [0x00, 0x00, 0x01, 0xFF],
    ]);
    let answer = server_answers(&ServerHandshake::new(), &manifest_last);
    assert!(matches!(answer, ServerAnswer::Manifest(_)));
    let without = ServerHandshake::new().manifest(false);
    assert_eq!(
        server_answers(&without, &manifest_last),
        ServerAnswer::Version(BoltVersion::V4_4)
    );
}

#[test]
fn version_5_5_is_never_chosen() {
    // By the server, even when a slot spans it or offers only it.
    let server = ServerHandshake::new();
    let spanning = opening([[0x00, 0x01, 0x05, 0x05], [0; 4], [0; 4], [0; 4]]);
    assert_eq!(
        server_answers(&server, &spanning),
        ServerAnswer::Version(BoltVersion::V5_4)
    );
    let only = opening([[0x00, 0x00, 0x05, 0x05], [0; 4], [0; 4], [0; 4]]);
    assert_eq!(
        server_answers(&server, &only),
        ServerAnswer::NoCommonVersion
    );
    let manifest = server.manifest_answer();
    assert!(
        !manifest
            .ranges
            .iter()
            .any(|r| r.contains(BoltVersion::new(5, 5)))
    );

    // By the client, from a manifest range spanning it.
    let client = ClientHandshake::new();
    let spanning_manifest = [0x00, 0x00, 0x01, 0xFF, 0x01, 0x00, 0x05, 0x05, 0x05, 0x00];
    let negotiated = client_reads(&client, &spanning_manifest).unwrap();
    assert_eq!(negotiated.version, BoltVersion::V5_4);

    let only_5_5 = [0x00, 0x00, 0x01, 0xFF, 0x01, 0x00, 0x00, 0x05, 0x05, 0x00];
    let err = client_reads(&client, &only_5_5).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::NoCommonVersion { .. }));

    // And a server answering 5.5 outright is refused.
    let err = client_reads(&client, &[0x00, 0x00, 0x05, 0x05]).unwrap_err();
    assert!(protocol_message(&err).contains("not one of the versions offered"));
}

#[test]
fn the_client_ignores_manifest_versions_it_does_not_implement() {
    // 6.1 and 5.8..5.6: the client picks 5.8.
    let reply = [
        0x00, 0x00, 0x01, 0xFF, 0x02, 0x00, 0x00, 0x01, 0x06, 0x00, 0x02, 0x08, 0x05, 0x00,
    ];
    let negotiated = client_reads(&ClientHandshake::new(), &reply).unwrap();
    assert_eq!(negotiated.version, BoltVersion::V5_8);
    // 6.0 is implemented: offered, it is picked.
    let with_6_0 = [
        0x00, 0x00, 0x01, 0xFF, 0x02, 0x00, 0x00, 0x00, 0x06, 0x00, 0x02, 0x08, 0x05, 0x00,
    ];
    let negotiated = client_reads(&ClientHandshake::new(), &with_6_0).unwrap();
    assert_eq!(negotiated.version, BoltVersion::V6_0);

    let limited = ClientHandshake::new().max_version(BoltVersion::V5_7);
    let negotiated = client_reads(&limited, &reply).unwrap();
    assert_eq!(negotiated.version, BoltVersion::V5_7);
}

#[test]
fn an_http_reply_is_reported_as_the_http_port() {
    let err = client_reads(&ClientHandshake::new(), b"HTTP/1.1 400 Bad Request\r\n").unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::HttpPort);
}

#[test]
fn a_zero_reply_names_what_was_offered() {
    let err = client_reads(&ClientHandshake::new(), &[0; 4]).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::NoCommonVersion {
            offered: "manifest v1, 6.0, 5.8..5.0, 4.4..4.3".into()
        }
    );
    let limited = ClientHandshake::new().max_version(BoltVersion::V5_4);
    let err = client_reads(&limited, &[0; 4]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no common Bolt version; offered 5.4..5.0, 4.4..4.3"
    );
}

#[test]
fn the_client_refuses_versions_it_did_not_offer() {
    let limited = ClientHandshake::new().max_version(BoltVersion::V5_4);
    for reply in [
        [0x00, 0x00, 0x08, 0x05], // above the client's maximum
        [0x00, 0x00, 0x00, 0x03], // 3.0
        [0x00, 0x00, 0x02, 0x04], // 4.2, inside no slot
        [0x00, 0x02, 0x04, 0x05], // a range, not one version
        [0x00, 0x00, 0x00, 0x06], // 6.0
    ] {
        let err = client_reads(&limited, &reply).unwrap_err();
        assert!(protocol_message(&err).contains("not one of the versions offered"));
    }
    let err = client_reads(&limited, &MANIFEST_LISTING_5_8_TO_5_6_AND_4_4_TO_4_0).unwrap_err();
    assert!(protocol_message(&err).contains("manifest, which was not offered"));
}

#[test]
fn an_oversized_manifest_is_refused_before_its_entries_arrive() {
    let sixty_five = [0x00, 0x00, 0x01, 0xFF, 0x41];
    let err = ClientHandshake::new()
        .read_reply(&mut BytesMut::from(&sixty_five[..]))
        .unwrap_err();
    assert!(protocol_message(&err).contains("65 version ranges"));

    let huge = [
        0x00, 0x00, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
    ];
    assert!(
        ClientHandshake::new()
            .read_reply(&mut BytesMut::from(&huge[..]))
            .is_err()
    );

    // Sixty-four entries are fine.
    let mut reply = vec![0x00, 0x00, 0x01, 0xFF, 0x40];
    for _ in 0..63 {
        reply.extend_from_slice(&[0x00, 0x00, 0x00, 0x03]);
    }
    reply.extend_from_slice(&[0x00, 0x00, 0x04, 0x04, 0x00]);
    let negotiated = client_reads(&ClientHandshake::new(), &reply).unwrap();
    assert_eq!(negotiated.version, BoltVersion::V4_4);
}

#[test]
fn the_server_refuses_a_connection_without_the_magic() {
    let server = ServerHandshake::new();
    let err = server
        .read_opening(&mut BytesMut::from(&b"GET / HTTP/1.1\r\nHost: x\r\n"[..]))
        .unwrap_err();
    assert!(protocol_message(&err).contains("HTTP request (\"GET \")"));

    let err = server
        .read_opening(&mut BytesMut::from(&[0x60, 0x60, 0xB0, 0x18, 0, 0][..]))
        .unwrap_err();
    assert!(protocol_message(&err).contains("[60, 60, B0, 18]"));
}

#[test]
fn every_partial_input_needs_more_bytes() {
    let client = ClientHandshake::new();
    let server = ServerHandshake::new();
    assert_prefixes_need_more(&client.opening(), |input| server.read_opening(input));
    assert_prefixes_need_more(&[0x00, 0x00, 0x07, 0x05, 0x08], |input| {
        server.read_choice(input)
    });
    assert_prefixes_need_more(&[0x00, 0x00, 0x08, 0x05, 0xFF, 0x82, 0x71], |input| {
        server.read_choice(input)
    });
    assert_prefixes_need_more(&MANIFEST_LISTING_5_8_TO_5_6_AND_4_4_TO_4_0, |input| {
        client.read_reply(input)
    });
    assert_prefixes_need_more(&[0x00, 0x00, 0x08, 0x05], |input| client.read_reply(input));
    assert_prefixes_need_more(&[0xFF, 0x82, 0x71], |input| read_varint(input));
}

#[test]
fn bytes_after_the_handshake_are_left_for_the_messages() {
    let mut input = BytesMut::from(&MANIFEST_LISTING_5_8_TO_5_6_AND_4_4_TO_4_0[..]);
    input.extend_from_slice(&[0x00, 0x02, 0xB0, 0x0F, 0x00, 0x00]);
    ClientHandshake::new()
        .read_reply(&mut input)
        .unwrap()
        .unwrap();
    assert_eq!(&input[..], [0x00, 0x02, 0xB0, 0x0F, 0x00, 0x00]);

    let mut input = BytesMut::from(&ClientHandshake::new().opening()[..]);
    input.extend_from_slice(&[0x00, 0x00, 0x08, 0x05, 0x00, 0x00, 0x02]);
    let server = ServerHandshake::new();
    server.read_opening(&mut input).unwrap().unwrap();
    server.read_choice(&mut input).unwrap().unwrap();
    assert_eq!(&input[..], [0x00, 0x02]);
}

/// Runs a full handshake between this crate's client and server, checking
/// that both sides agree, and returns the version and whether the manifest
/// was used.
fn negotiate(
    client: &ClientHandshake,
    server: &ServerHandshake,
) -> Result<(BoltVersion, bool), neo_bolt::Error> {
    let mut to_server = BytesMut::new();
    client.write_opening(&mut to_server);
    let answer = server.read_opening(&mut to_server)?.expect("20 bytes");
    let mut to_client = BytesMut::new();
    answer.write(&mut to_client);
    let negotiated = client.read_reply(&mut to_client)?.expect("whole answer");
    assert!(to_client.is_empty());
    negotiated.write_choice(&mut to_server);
    match answer {
        ServerAnswer::Manifest(_) => {
            let choice = server.read_choice(&mut to_server)?.expect("whole choice");
            assert_eq!(choice.version, negotiated.version);
            assert_eq!(choice.capabilities, 0);
            assert!(to_server.is_empty());
            Ok((negotiated.version, true))
        }
        ServerAnswer::Version(version) => {
            assert_eq!(version, negotiated.version);
            assert!(to_server.is_empty());
            Ok((version, false))
        }
        ServerAnswer::NoCommonVersion => unreachable!("the client accepted a zero answer"),
    }
}

#[test]
fn client_and_server_agree_on_the_lower_maximum_for_every_pair() {
    for client_max in BoltVersion::SUPPORTED {
        for server_max in BoltVersion::SUPPORTED {
            for client_manifest in [true, false] {
                for server_manifest in [true, false] {
                    let client = ClientHandshake::new()
                        .max_version(client_max)
                        .manifest(client_manifest);
                    let server = ServerHandshake::new()
                        .max_version(server_max)
                        .manifest(server_manifest);
                    let (version, used_manifest) = negotiate(&client, &server).unwrap();
                    assert_eq!(
                        version,
                        client_max.min(server_max),
                        "{client:?} / {server:?}"
                    );
                    let both_speak_manifest = client_manifest
                        && server_manifest
                        && client_max >= BoltVersion::V5_7
                        && server_max >= BoltVersion::V5_7;
                    assert_eq!(
                        used_manifest, both_speak_manifest,
                        "{client:?} / {server:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_client_above_every_supported_version_still_negotiates() {
    let future = ClientHandshake::new().max_version(BoltVersion::new(7, 0));
    let (version, manifest) = negotiate(&future, &ServerHandshake::new()).unwrap();
    assert_eq!((version, manifest), (BoltVersion::V6_0, true));
}

#[test]
fn a_client_below_every_supported_version_has_nothing_in_common() {
    let old = ClientHandshake::new().max_version(BoltVersion::new(4, 2));
    assert_eq!(old.opening()[4..], [0; 16]);
    let err = negotiate(&old, &ServerHandshake::new()).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::NoCommonVersion {
            offered: "no version".into()
        }
    );
}

#[test]
fn manifest_round_trips_through_the_client() {
    let manifest = Manifest {
        ranges: vec![
            VersionRange::new(BoltVersion::V5_4, 4),
            VersionRange::single(BoltVersion::V4_4),
        ],
        capabilities: 1_851_775,
    };
    let mut bytes = Vec::new();
    manifest.write(&mut bytes);
    let negotiated = client_reads(&ClientHandshake::new(), &bytes).unwrap();
    assert_eq!(negotiated.version, BoltVersion::V5_4);
    assert_eq!(negotiated.manifest, Some(manifest));
}

#[test]
fn version_ranges_never_span_two_majors() {
    let range = VersionRange::from_bytes([0x00, 0x09, 0x04, 0x05]);
    assert_eq!(range.lowest(), BoltVersion::V5_0);
    assert!(!range.contains(BoltVersion::V4_4));
    assert_eq!(range.to_bytes(), [0x00, 0x04, 0x04, 0x05]);
}

proptest! {
    #[test]
    fn varints_round_trip(value in any::<u64>()) {
        let mut out = Vec::new();
        write_varint(&mut out, value);
        prop_assert!(out.len() <= 10);
        prop_assert_eq!(read_varint(&out).unwrap(), Some((value, out.len())));
    }

    #[test]
    fn garbage_never_panics(garbage in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = ClientHandshake::new().read_reply(&mut BytesMut::from(&garbage[..]));
        let _ = ClientHandshake::new().manifest(false).read_reply(&mut BytesMut::from(&garbage[..]));
        let _ = ServerHandshake::new().read_choice(&mut BytesMut::from(&garbage[..]));
        let mut opening = BytesMut::from(&MAGIC[..]);
        opening.extend_from_slice(&garbage);
        let _ = ServerHandshake::new().read_opening(&mut opening);
        let _ = read_varint(&garbage);
    }

    #[test]
    fn garbage_after_the_manifest_marker_never_panics(
        garbage in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let mut reply = BytesMut::from(&[0x00, 0x00, 0x01, 0xFF][..]);
        reply.extend_from_slice(&garbage);
        if let Ok(Some(negotiated)) = ClientHandshake::new().read_reply(&mut reply) {
            prop_assert!(negotiated.version.is_supported());
        }
    }
}
