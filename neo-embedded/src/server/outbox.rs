//! Responses waiting to be written, encoded for the connection's version.

use bytes::BytesMut;
use neo_bolt::StatusCode;
use neo_bolt::message::{Record, Response, Success};
use neo_bolt::packstream::{Dialect, Map, Packer, Value};
use neo_bolt::{BoltVersion, Error, ServerError};

/// Encodes responses into one buffer, flushed by the connection.
#[derive(Debug)]
pub(crate) struct Outbox {
    buffer: BytesMut,
    version: BoltVersion,
    dialect: Dialect,
    /// FAILUREs written so far.
    failures: u64,
}

impl Outbox {
    pub(crate) fn new(version: BoltVersion) -> Self {
        Outbox {
            buffer: BytesMut::with_capacity(8 * 1024),
            version,
            dialect: Dialect::for_version(version, false),
            failures: 0,
        }
    }

    /// Switches to the date-time shape agreed through the Bolt 4.4 `utc`
    /// patch.
    pub(crate) fn set_dialect(&mut self, dialect: Dialect) {
        self.dialect = dialect;
    }

    pub(crate) fn version(&self) -> BoltVersion {
        self.version
    }

    pub(crate) fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub(crate) fn buffer(&mut self) -> &mut BytesMut {
        &mut self.buffer
    }

    pub(crate) fn len(&self) -> usize {
        self.buffer.len()
    }

    /// Writes one message; on an encoding error nothing of it is left.
    fn message(
        &mut self,
        write: impl FnOnce(&mut Packer<&mut BytesMut>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mark = self.buffer.len();
        let start = neo_bolt::chunk::begin_message(&mut self.buffer);
        let mut packer = Packer::new(&mut self.buffer, self.dialect);
        match write(&mut packer) {
            Ok(()) => {
                neo_bolt::chunk::end_message(&mut self.buffer, start);
                Ok(())
            }
            Err(error) => {
                self.buffer.truncate(mark);
                Err(error)
            }
        }
    }

    fn response(&mut self, response: &Response<'_>) {
        let version = self.version;
        if let Err(error) = self.message(|packer| response.encode(packer, version)) {
            // Metadata the server builds itself always encodes; report the
            // impossible rather than dropping a summary.
            let failure = ServerError::new(
                StatusCode::UNKNOWN_ERROR,
                format!("the server could not encode its response: {error}"),
            );
            let _ = self.message(|packer| Response::Failure(failure).encode(packer, version));
        }
    }

    pub(crate) fn success(&mut self, metadata: Map) {
        self.response(&Response::Success(Success::new(metadata)));
    }

    pub(crate) fn ignored(&mut self) {
        self.response(&Response::Ignored);
    }

    pub(crate) fn failure(&mut self, error: &ServerError) {
        self.failures += 1;
        self.response(&Response::Failure(error.clone()));
    }

    /// How many FAILUREs have been written.
    pub(crate) fn failures(&self) -> u64 {
        self.failures
    }

    /// Writes a RECORD; fails (writing nothing) when a value cannot be
    /// carried by the connection's version.
    pub(crate) fn record(&mut self, values: &[Value]) -> Result<(), Error> {
        self.message(|packer| Record::encode_values(packer, values))
    }
}

/// Builds a metadata map from pairs.
pub(crate) fn metadata<const N: usize>(entries: [(&str, Value); N]) -> Map {
    entries
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect()
}
