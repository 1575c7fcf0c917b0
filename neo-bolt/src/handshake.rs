//! Version negotiation, client and server side.
//!
//! The client opens with the magic `60 60 B0 17` and four 4-byte version
//! slots, `[00][range][minor][major]`, in order of preference. The server
//! answers with one concrete version, with `00 00 00 00` when there is none
//! in common, or, when the client offered the manifest slot `00 00 01 FF`
//! and the server understands it, with a manifest: the ranges it speaks and a
//! capability mask, both preceded by a [VarInt](write_varint). The client
//! then writes its choice (4 bytes and a VarInt of capabilities) and, with no
//! answer to wait for, its first message.
//!
//! [`ClientHandshake`] and [`ServerHandshake`] hold no IO: they write into a
//! buffer and parse what was read so far, returning `Ok(None)` while more
//! bytes are needed.
//!
//! ```
//! use bytes::BytesMut;
//! use neo_bolt::handshake::{ClientHandshake, ServerAnswer, ServerHandshake};
//! use neo_bolt::BoltVersion;
//!
//! let client = ClientHandshake::new();
//! let server = ServerHandshake::new().max_version(BoltVersion::V5_4);
//!
//! let mut to_server = BytesMut::new();
//! client.write_opening(&mut to_server);
//! let answer = server.read_opening(&mut to_server)?.expect("20 bytes");
//! assert_eq!(answer, ServerAnswer::Version(BoltVersion::V5_4));
//!
//! let mut to_client = BytesMut::new();
//! answer.write(&mut to_client);
//! let agreed = client.read_reply(&mut to_client)?.expect("4 bytes");
//! assert_eq!(agreed.version, BoltVersion::V5_4);
//! # Ok::<(), neo_bolt::Error>(())
//! ```

use std::fmt;

use bytes::{Buf, BufMut, BytesMut};

use crate::{BoltVersion, Error, ErrorKind};

/// The four bytes that open every Bolt connection.
pub const MAGIC: [u8; 4] = [0x60, 0x60, 0xB0, 0x17];

/// The version slot that offers the manifest handshake, version 1; also the
/// first four bytes of a manifest answer.
pub const MANIFEST_V1: [u8; 4] = [0x00, 0x00, 0x01, 0xFF];

/// The most version ranges a manifest may list; a longer one is refused
/// before its entries are awaited.
pub const MAX_MANIFEST_RANGES: u64 = 64;

/// Length of the client's opening: the magic and four slots.
pub const OPENING_LEN: usize = 20;

/// The answer meaning "no version in common".
const NO_VERSION: [u8; 4] = [0x00; 4];

/// What an HTTP server's reply starts with.
const HTTP_REPLY: [u8; 4] = *b"HTTP";

/// A 64-bit VarInt takes at most ten bytes.
const MAX_VARINT_LEN: usize = 10;

/// Writes `value` as a VarInt: seven bits per byte, least significant group
/// first, with the high bit set on every byte but the last.
///
/// ```
/// let mut out = Vec::new();
/// neo_bolt::handshake::write_varint(&mut out, 1_851_775);
/// assert_eq!(out, [0xFF, 0x82, 0x71]);
/// ```
pub fn write_varint(out: &mut impl BufMut, mut value: u64) {
    loop {
        let group = (value & 0x7F) as u8;
        value >>= 7;
        if value == 0 {
            out.put_u8(group);
            return;
        }
        out.put_u8(group | 0x80);
    }
}

/// Reads a VarInt from the start of `src`, returning the value and the bytes
/// it took, or `Ok(None)` if `src` ends inside it.
///
/// Fails when the value needs more than 64 bits (or more than ten bytes).
///
/// ```
/// use neo_bolt::handshake::read_varint;
///
/// assert_eq!(read_varint(&[0x7F])?, Some((127, 1)));
/// assert_eq!(read_varint(&[0xFF, 0x82, 0x71, 0xAA])?, Some((1_851_775, 3)));
/// assert_eq!(read_varint(&[0xFF, 0x82])?, None);
/// # Ok::<(), neo_bolt::Error>(())
/// ```
pub fn read_varint(src: &[u8]) -> Result<Option<(u64, usize)>, Error> {
    let mut value = 0u64;
    for (index, &byte) in src.iter().take(MAX_VARINT_LEN).enumerate() {
        // The tenth group holds only bit 63 and must be the last.
        if index == MAX_VARINT_LEN - 1 && byte > 1 {
            return Err(Error::new(ErrorKind::Protocol(
                "VarInt longer than 64 bits".into(),
            )));
        }
        value |= u64::from(byte & 0x7F) << (7 * index);
        if byte & 0x80 == 0 {
            return Ok(Some((value, index + 1)));
        }
    }
    Ok(None)
}

/// A handshake slot or manifest entry: a version and the number of minor
/// versions just below it (same major) that it also covers.
///
/// ```
/// use neo_bolt::handshake::VersionRange;
/// use neo_bolt::BoltVersion;
///
/// let range = VersionRange::new(BoltVersion::V5_8, 8);
/// assert_eq!(range.to_bytes(), [0x00, 0x08, 0x08, 0x05]);
/// assert!(range.contains(BoltVersion::V5_0));
/// assert!(!range.contains(BoltVersion::V4_4));
/// assert_eq!(range.to_string(), "5.8..5.0");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VersionRange {
    highest: BoltVersion,
    range: u8,
}

impl VersionRange {
    /// The versions from `highest` down `range` minors; a range never spans
    /// two majors, so it stops at minor 0.
    pub const fn new(highest: BoltVersion, range: u8) -> Self {
        let range = if range > highest.minor {
            highest.minor
        } else {
            range
        };
        VersionRange { highest, range }
    }

    /// Just `version`.
    pub const fn single(version: BoltVersion) -> Self {
        VersionRange::new(version, 0)
    }

    /// Reads a slot `[reserved][range][minor][major]`; the reserved byte is
    /// ignored.
    pub const fn from_bytes(bytes: [u8; 4]) -> Self {
        VersionRange::new(BoltVersion::new(bytes[3], bytes[2]), bytes[1])
    }

    /// The slot's wire form, `[00][range][minor][major]`.
    pub const fn to_bytes(self) -> [u8; 4] {
        [0x00, self.range, self.highest.minor, self.highest.major]
    }

    /// The highest version covered.
    pub const fn highest(self) -> BoltVersion {
        self.highest
    }

    /// The lowest version covered.
    pub const fn lowest(self) -> BoltVersion {
        BoltVersion::new(self.highest.major, self.highest.minor - self.range)
    }

    /// Whether `version` lies in the range.
    pub fn contains(self, version: BoltVersion) -> bool {
        (self.lowest()..=self.highest).contains(&version)
    }

    /// The highest version in the range accepted by `accepts`, trying only
    /// versions this crate implements (so never 5.5).
    fn best(self, accepts: impl Fn(BoltVersion) -> bool) -> Option<BoltVersion> {
        BoltVersion::SUPPORTED
            .iter()
            .rev()
            .copied()
            .find(|&version| self.contains(version) && accepts(version))
    }
}

impl fmt::Display for VersionRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.range == 0 {
            write!(f, "{}", self.highest)
        } else {
            write!(f, "{}..{}", self.highest, self.lowest())
        }
    }
}

/// Groups the implemented versions accepted by `accepts` into ranges,
/// highest first. With `split_gaps`, a range never spans a version that is
/// left out (such as 5.5); without, one range per major suffices.
fn ranges_of(accepts: impl Fn(BoltVersion) -> bool, split_gaps: bool) -> Vec<VersionRange> {
    let mut ranges: Vec<VersionRange> = Vec::new();
    for version in BoltVersion::SUPPORTED.iter().rev().copied() {
        if !accepts(version) {
            continue;
        }
        match ranges.last_mut() {
            Some(last)
                if last.highest.major == version.major
                    && (!split_gaps || last.lowest().minor == version.minor + 1) =>
            {
                *last = VersionRange::new(last.highest, last.highest.minor - version.minor);
            }
            _ => ranges.push(VersionRange::single(version)),
        }
    }
    ranges
}

/// Lists ranges for error messages: `"5.8..5.0, 4.4..4.3"`.
fn describe(ranges: &[VersionRange]) -> String {
    let names: Vec<String> = ranges.iter().map(ToString::to_string).collect();
    if names.is_empty() {
        "no version".into()
    } else {
        names.join(", ")
    }
}

/// A manifest: the server's answer listing every version range it speaks.
///
/// ```
/// use neo_bolt::handshake::{Manifest, VersionRange};
/// use neo_bolt::BoltVersion;
///
/// let manifest = Manifest {
///     ranges: vec![VersionRange::new(BoltVersion::V5_8, 2), VersionRange::single(BoltVersion::V4_4)],
///     capabilities: 0,
/// };
/// let mut out = Vec::new();
/// manifest.write(&mut out);
/// assert_eq!(out, [0x00, 0x00, 0x01, 0xFF, 0x02, 0x00, 0x02, 0x08, 0x05, 0x00, 0x00, 0x04, 0x04, 0x00]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The version ranges offered.
    pub ranges: Vec<VersionRange>,
    /// The capability bits offered (none are defined yet).
    pub capabilities: u64,
}

impl Manifest {
    /// Writes the whole answer: [`MANIFEST_V1`], the range count, the ranges
    /// and the capabilities.
    pub fn write(&self, out: &mut impl BufMut) {
        out.put_slice(&MANIFEST_V1);
        write_varint(out, self.ranges.len() as u64);
        for range in &self.ranges {
            out.put_slice(&range.to_bytes());
        }
        write_varint(out, self.capabilities);
    }

    /// Parses what follows [`MANIFEST_V1`], returning the manifest and the
    /// bytes it took, or `Ok(None)` if `src` ends inside it.
    fn read(src: &[u8]) -> Result<Option<(Manifest, usize)>, Error> {
        let Some((count, mut pos)) = read_varint(src)? else {
            return Ok(None);
        };
        if count > MAX_MANIFEST_RANGES {
            return Err(Error::new(ErrorKind::Protocol(format!(
                "the server's manifest lists {count} version ranges, more than {MAX_MANIFEST_RANGES}"
            ))));
        }
        // `count` is at most 64, so the entries are at most 256 bytes.
        let entries_len = count as usize * 4;
        let Some(entries) = src.get(pos..pos + entries_len) else {
            return Ok(None);
        };
        let ranges = entries
            .chunks_exact(4)
            .map(|entry| VersionRange::from_bytes([entry[0], entry[1], entry[2], entry[3]]))
            .collect();
        pos += entries_len;
        let Some((capabilities, len)) = read_varint(&src[pos..])? else {
            return Ok(None);
        };
        let manifest = Manifest {
            ranges,
            capabilities,
        };
        Ok(Some((manifest, pos + len)))
    }
}

/// The client's answer to a manifest: one version and the capability bits
/// it selects.
///
/// ```
/// use neo_bolt::handshake::ManifestChoice;
/// use neo_bolt::BoltVersion;
///
/// let mut out = Vec::new();
/// ManifestChoice { version: BoltVersion::V5_8, capabilities: 0 }.write(&mut out);
/// assert_eq!(out, [0x00, 0x00, 0x08, 0x05, 0x00]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ManifestChoice {
    /// The chosen version.
    pub version: BoltVersion,
    /// The capability bits selected.
    pub capabilities: u64,
}

impl ManifestChoice {
    /// Writes `00 00 minor major` and the capabilities as a VarInt.
    pub fn write(&self, out: &mut impl BufMut) {
        out.put_slice(&VersionRange::single(self.version).to_bytes());
        write_varint(out, self.capabilities);
    }
}

/// The client side: writes the opening and reads the server's reply.
///
/// By default it offers the manifest, Bolt 6.0, 5.8 down to 5.0, and 4.4
/// down to 4.3:
/// `60 60 B0 17 | 00 00 01 FF | 00 00 00 06 | 00 08 08 05 | 00 01 04 04`.
///
/// ```
/// use neo_bolt::handshake::ClientHandshake;
/// use neo_bolt::BoltVersion;
///
/// let opening = ClientHandshake::new().max_version(BoltVersion::V5_4).opening();
/// assert_eq!(opening[4..12], [0x00, 0x04, 0x04, 0x05, 0x00, 0x01, 0x04, 0x04]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientHandshake {
    max_version: BoltVersion,
    manifest: bool,
}

impl Default for ClientHandshake {
    fn default() -> Self {
        ClientHandshake::new()
    }
}

impl ClientHandshake {
    /// Offers every implemented version, with the manifest.
    pub fn new() -> Self {
        ClientHandshake {
            max_version: BoltVersion::LATEST,
            manifest: true,
        }
    }

    /// Offers no version above `max_version`. Below 5.7 the manifest, which
    /// came with 5.7, is not offered either.
    pub fn max_version(mut self, max_version: BoltVersion) -> Self {
        self.max_version = max_version;
        self
    }

    /// Whether to offer the manifest handshake (on by default).
    pub fn manifest(mut self, enabled: bool) -> Self {
        self.manifest = enabled;
        self
    }

    /// Whether the client would use `version`: implemented and within the
    /// maximum.
    pub fn supports(&self, version: BoltVersion) -> bool {
        version.is_supported() && version <= self.max_version
    }

    /// Whether the opening offers the manifest.
    pub fn offers_manifest(&self) -> bool {
        self.manifest && self.max_version >= BoltVersion::V5_7
    }

    /// The version ranges offered, one per major, highest first.
    pub fn offered_ranges(&self) -> Vec<VersionRange> {
        ranges_of(|version| self.supports(version), false)
    }

    /// The 20-byte opening: the magic and four slots.
    pub fn opening(&self) -> [u8; OPENING_LEN] {
        let mut opening = [0u8; OPENING_LEN];
        let mut slots = Vec::with_capacity(4);
        if self.offers_manifest() {
            slots.push(MANIFEST_V1);
        }
        slots.extend(self.offered_ranges().iter().map(|range| range.to_bytes()));
        opening[..4].copy_from_slice(&MAGIC);
        for (slot, bytes) in opening[4..].chunks_exact_mut(4).zip(slots) {
            slot.copy_from_slice(&bytes);
        }
        opening
    }

    /// Writes the opening into `out`.
    pub fn write_opening(&self, out: &mut impl BufMut) {
        out.put_slice(&self.opening());
    }

    /// What the opening offers, for error messages.
    fn describe_offer(&self) -> String {
        let ranges = describe(&self.offered_ranges());
        if self.offers_manifest() {
            format!("manifest v1, {ranges}")
        } else {
            ranges
        }
    }

    /// Reads the server's reply from `src`, consuming it once complete.
    ///
    /// Returns `Ok(None)` while more bytes are needed. Fails with
    /// [`ErrorKind::NoCommonVersion`] on `00 00 00 00` or when a manifest
    /// lists nothing the client speaks, with [`ErrorKind::HttpPort`] when an
    /// HTTP server answered, and with [`ErrorKind::Protocol`] when the server
    /// picked a version that was not offered.
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use neo_bolt::handshake::ClientHandshake;
    /// use neo_bolt::BoltVersion;
    ///
    /// let client = ClientHandshake::new();
    /// // A manifest listing 5.8..5.6 and 4.4, then no capabilities.
    /// let mut reply = BytesMut::from(&[0x00, 0x00, 0x01, 0xFF, 0x02, 0x00, 0x02, 0x08, 0x05][..]);
    /// assert_eq!(client.read_reply(&mut reply)?, None);
    /// reply.extend_from_slice(&[0x00, 0x00, 0x04, 0x04, 0x00]);
    /// let agreed = client.read_reply(&mut reply)?.expect("complete");
    /// assert_eq!(agreed.version, BoltVersion::V5_8);
    ///
    /// let mut choice = Vec::new();
    /// agreed.write_choice(&mut choice);
    /// assert_eq!(choice, [0x00, 0x00, 0x08, 0x05, 0x00]);
    /// # Ok::<(), neo_bolt::Error>(())
    /// ```
    pub fn read_reply(&self, src: &mut BytesMut) -> Result<Option<Negotiated>, Error> {
        let Some(&[reserved, range, minor, major]) = src.get(..4) else {
            return Ok(None);
        };
        match [reserved, range, minor, major] {
            NO_VERSION => Err(Error::new(ErrorKind::NoCommonVersion {
                offered: self.describe_offer(),
            })),
            HTTP_REPLY => Err(Error::new(ErrorKind::HttpPort)),
            MANIFEST_V1 if self.offers_manifest() => {
                let Some((manifest, len)) = Manifest::read(&src[4..])? else {
                    return Ok(None);
                };
                let version = manifest
                    .ranges
                    .iter()
                    .filter_map(|range| range.best(|version| self.supports(version)))
                    .max()
                    .ok_or_else(|| {
                        Error::new(ErrorKind::NoCommonVersion {
                            offered: format!(
                                "{}; the server's manifest lists {}",
                                describe(&self.offered_ranges()),
                                describe(&manifest.ranges)
                            ),
                        })
                    })?;
                src.advance(4 + len);
                Ok(Some(Negotiated {
                    version,
                    manifest: Some(manifest),
                }))
            }
            MANIFEST_V1 => Err(Error::new(ErrorKind::Protocol(
                "the server answered with a manifest, which was not offered".into(),
            ))),
            _ => {
                let version = BoltVersion::new(major, minor);
                let offered = self
                    .offered_ranges()
                    .iter()
                    .any(|range| range.contains(version));
                if reserved != 0 || range != 0 || !offered || !self.supports(version) {
                    return Err(Error::new(ErrorKind::Protocol(format!(
                        "the server chose {:02X?}, which is not one of the versions offered ({})",
                        [reserved, range, minor, major],
                        self.describe_offer()
                    ))));
                }
                src.advance(4);
                Ok(Some(Negotiated {
                    version,
                    manifest: None,
                }))
            }
        }
    }
}

/// The outcome of the handshake on the client side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Negotiated {
    /// The agreed version.
    pub version: BoltVersion,
    /// The manifest, when the server answered with one; the client must then
    /// send its choice (see [`Negotiated::write_choice`]).
    pub manifest: Option<Manifest>,
}

impl Negotiated {
    /// The choice the client must send, when the server sent a manifest. No
    /// capability is defined yet, so none is selected.
    pub fn choice(&self) -> Option<ManifestChoice> {
        self.manifest.as_ref().map(|_| ManifestChoice {
            version: self.version,
            capabilities: 0,
        })
    }

    /// Writes what the client sends before its first message: the manifest
    /// choice, or nothing after a plain version answer.
    pub fn write_choice(&self, out: &mut impl BufMut) {
        if let Some(choice) = self.choice() {
            choice.write(out);
        }
    }
}

/// The server side: reads the client's opening, picks an answer, and reads
/// the client's manifest choice.
///
/// ```
/// use bytes::BytesMut;
/// use neo_bolt::handshake::{ClientHandshake, ServerAnswer, ServerHandshake};
/// use neo_bolt::BoltVersion;
///
/// let server = ServerHandshake::new();
/// let mut input = BytesMut::new();
/// ClientHandshake::new().write_opening(&mut input);
/// let answer = server.read_opening(&mut input)?.expect("20 bytes");
/// assert!(matches!(answer, ServerAnswer::Manifest(_)));
///
/// input.extend_from_slice(&[0x00, 0x00, 0x08, 0x05, 0x00]);
/// let choice = server.read_choice(&mut input)?.expect("5 bytes");
/// assert_eq!(choice.version, BoltVersion::V5_8);
/// # Ok::<(), neo_bolt::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerHandshake {
    max_version: BoltVersion,
    manifest: bool,
}

impl Default for ServerHandshake {
    fn default() -> Self {
        ServerHandshake::new()
    }
}

impl ServerHandshake {
    /// Speaks every implemented version, with the manifest.
    pub fn new() -> Self {
        ServerHandshake {
            max_version: BoltVersion::LATEST,
            manifest: true,
        }
    }

    /// Speaks no version above `max_version`, like an older server. Below 5.7
    /// the manifest is not offered either.
    pub fn max_version(mut self, max_version: BoltVersion) -> Self {
        self.max_version = max_version;
        self
    }

    /// Whether to answer with a manifest when the client offers one (on by
    /// default).
    pub fn manifest(mut self, enabled: bool) -> Self {
        self.manifest = enabled;
        self
    }

    /// Whether the server speaks `version`.
    pub fn supports(&self, version: BoltVersion) -> bool {
        version.is_supported() && version <= self.max_version
    }

    /// Whether the server answers a manifest offer with a manifest.
    pub fn offers_manifest(&self) -> bool {
        self.manifest && self.max_version >= BoltVersion::V5_7
    }

    /// The manifest this server sends: its versions as gap-free ranges,
    /// highest first (so 5.5 is never listed), and no capabilities.
    pub fn manifest_answer(&self) -> Manifest {
        Manifest {
            ranges: ranges_of(|version| self.supports(version), true),
            capabilities: 0,
        }
    }

    /// Reads the client's 20-byte opening from `src`, consuming it once
    /// complete, and picks the answer.
    ///
    /// A manifest offer wins when the server speaks the manifest. Otherwise
    /// the first slot, in client order, holding a version the server speaks
    /// decides, and the answer is the highest such version in that slot.
    /// Returns `Ok(None)` while more bytes are needed; fails with
    /// [`ErrorKind::Protocol`] when the connection does not open with the
    /// magic (naming an HTTP request when it looks like one).
    pub fn read_opening(&self, src: &mut BytesMut) -> Result<Option<ServerAnswer>, Error> {
        if let Some(&[a, b, c, d]) = src.get(..4) {
            let start = [a, b, c, d];
            if start != MAGIC {
                return Err(Error::at(ErrorKind::Protocol(bad_magic(start)), 0));
            }
        }
        let Some(slots) = src.get(4..OPENING_LEN) else {
            return Ok(None);
        };
        let slots: Vec<[u8; 4]> = slots
            .chunks_exact(4)
            .map(|slot| [slot[0], slot[1], slot[2], slot[3]])
            .collect();
        let answer = if self.offers_manifest() && slots.iter().any(|slot| is_manifest_v1(*slot)) {
            ServerAnswer::Manifest(self.manifest_answer())
        } else {
            slots
                .iter()
                .filter(|slot| !is_manifest_v1(**slot))
                .find_map(|slot| {
                    VersionRange::from_bytes(*slot).best(|version| self.supports(version))
                })
                .map_or(ServerAnswer::NoCommonVersion, ServerAnswer::Version)
        };
        src.advance(OPENING_LEN);
        Ok(Some(answer))
    }

    /// Reads the client's answer to a manifest (4 bytes and a VarInt),
    /// consuming it once complete.
    ///
    /// Fails with [`ErrorKind::Protocol`] when the client chose a version the
    /// server does not speak or wrote a range. The capability bits are
    /// returned as sent; none are defined yet.
    pub fn read_choice(&self, src: &mut BytesMut) -> Result<Option<ManifestChoice>, Error> {
        let Some(&[reserved, range, minor, major]) = src.get(..4) else {
            return Ok(None);
        };
        let Some((capabilities, len)) = read_varint(&src[4..])? else {
            return Ok(None);
        };
        let version = BoltVersion::new(major, minor);
        if reserved != 0 || range != 0 || !self.supports(version) {
            return Err(Error::at(
                ErrorKind::Protocol(format!(
                    "the client chose {:02X?}, which is not one of the versions offered ({})",
                    [reserved, range, minor, major],
                    describe(&self.manifest_answer().ranges)
                )),
                0,
            ));
        }
        src.advance(4 + len);
        Ok(Some(ManifestChoice {
            version,
            capabilities,
        }))
    }
}

/// Whether a slot offers manifest v1 (the reserved bytes are ignored).
fn is_manifest_v1(slot: [u8; 4]) -> bool {
    slot[2..] == MANIFEST_V1[2..]
}

/// Explains a connection that did not open with the magic.
fn bad_magic(start: [u8; 4]) -> String {
    const HTTP_METHODS: [&[u8; 4]; 9] = [
        b"GET ", b"POST", b"PUT ", b"HEAD", b"DELE", b"OPTI", b"PATC", b"CONN", b"TRAC",
    ];
    if HTTP_METHODS.contains(&&start) {
        format!(
            "an HTTP request ({:?}) arrived on the Bolt port",
            String::from_utf8_lossy(&start)
        )
    } else {
        format!("not a Bolt client: expected the magic 60 60 B0 17, found {start:02X?}")
    }
}

/// The server's answer to the opening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerAnswer {
    /// This version was agreed; messages follow.
    Version(BoltVersion),
    /// Send this manifest, then read the client's choice with
    /// [`ServerHandshake::read_choice`].
    Manifest(Manifest),
    /// No version in common: send `00 00 00 00` and close the connection.
    NoCommonVersion,
}

impl ServerAnswer {
    /// Writes the answer's bytes.
    pub fn write(&self, out: &mut impl BufMut) {
        match self {
            ServerAnswer::Version(version) => {
                out.put_slice(&VersionRange::single(*version).to_bytes());
            }
            ServerAnswer::Manifest(manifest) => manifest.write(out),
            ServerAnswer::NoCommonVersion => out.put_slice(&NO_VERSION),
        }
    }
}
