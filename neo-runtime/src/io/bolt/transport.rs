//! Framed Bolt I/O over one socket: the handshake, then whole messages in
//! and out.
//!
//! Outgoing messages are encoded straight into one write buffer, chunked in
//! place, and sent with a single write per flush, so a pipeline such as
//! RUN + PULL costs one system call. Incoming bytes are read in large blocks
//! and split into messages without copying when a message sits in one chunk.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use neo_bolt::chunk::{self, Dechunker};
use neo_bolt::handshake::ClientHandshake;
use neo_bolt::packstream::{Dialect, Packer};
use neo_bolt::{BoltVersion, ErrorKind as CodecErrorKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::address::Address;
use crate::error::{Error, ErrorKind};
use crate::io::net::BoltStream;
use crate::io::records::RecordQueue;

/// How much to read from the socket at a time.
const READ_BLOCK: usize = 64 * 1024;

/// A socket speaking framed Bolt messages.
#[derive(Debug)]
pub(crate) struct Transport {
    stream: BoltStream,
    address: Address,
    read_buffer: BytesMut,
    write_buffer: BytesMut,
    dechunker: Dechunker,
    read_timeout: Option<Duration>,
}

impl Transport {
    /// Runs the version handshake on a fresh socket, waiting at most
    /// `timeout` for the server at a time.
    pub(crate) async fn handshake(
        stream: BoltStream,
        address: Address,
        client: &ClientHandshake,
        timeout: Option<Duration>,
    ) -> Result<(Transport, BoltVersion), Error> {
        let mut transport = Transport {
            stream,
            address,
            read_buffer: BytesMut::with_capacity(READ_BLOCK),
            write_buffer: BytesMut::with_capacity(READ_BLOCK),
            dechunker: Dechunker::new(),
            read_timeout: timeout,
        };
        client.write_opening(&mut transport.write_buffer);
        transport.flush().await?;
        let negotiated = loop {
            match client.read_reply(&mut transport.read_buffer) {
                Ok(Some(negotiated)) => break negotiated,
                Ok(None) => transport.fill().await?,
                Err(error) => return Err(transport.handshake_error(error)),
            }
        };
        // The choice needs no answer: it goes out with the first message.
        negotiated.write_choice(&mut transport.write_buffer);
        transport.read_timeout = None;
        Ok((transport, negotiated.version))
    }

    fn handshake_error(&self, error: neo_bolt::Error) -> Error {
        let kind = match error.kind() {
            CodecErrorKind::HttpPort | CodecErrorKind::NoCommonVersion { .. } => {
                ErrorKind::ServiceUnavailable
            }
            _ => ErrorKind::Protocol,
        };
        Error::new(kind, format!("handshake with {} failed", self.address)).with_source(error)
    }

    /// Whether the server closed the socket while it was idle.
    pub(crate) fn peer_closed(&self) -> bool {
        self.stream.peer_closed()
    }

    /// Sets how long a read may wait for the server (the server's
    /// `connection.recv_timeout_seconds` hint); `None` waits forever.
    pub(crate) fn set_read_timeout(&mut self, timeout: Option<Duration>) {
        self.read_timeout = timeout;
    }

    /// Encodes one message into the write buffer; nothing is sent until
    /// [`flush`](Self::flush). On an encoding error the buffer is left as it
    /// was.
    pub(crate) fn write_message(
        &mut self,
        dialect: Dialect,
        encode: impl FnOnce(&mut Packer<&mut BytesMut>) -> Result<(), neo_bolt::Error>,
    ) -> Result<(), Error> {
        let rollback = self.write_buffer.len();
        let start = chunk::begin_message(&mut self.write_buffer);
        let mut packer = Packer::new(&mut self.write_buffer, dialect);
        if let Err(error) = encode(&mut packer) {
            self.write_buffer.truncate(rollback);
            if let CodecErrorKind::NotInVersion { .. } = error.kind() {
                // A field or value this server's protocol version lacks.
                return Err(Error::new(
                    ErrorKind::UnsupportedFeature,
                    format!("{}: {error}", self.address),
                ));
            }
            return Err(
                Error::new(ErrorKind::Usage, "a message could not be encoded").with_source(error),
            );
        }
        chunk::end_message(&mut self.write_buffer, start);
        Ok(())
    }

    /// Whether messages are waiting in the write buffer.
    pub(crate) fn has_unsent(&self) -> bool {
        !self.write_buffer.is_empty()
    }

    /// Sends everything written so far in one write. Cancel-safe: if the
    /// future is dropped half-way, what was not sent stays in the buffer.
    pub(crate) async fn flush(&mut self) -> Result<(), Error> {
        if self.write_buffer.is_empty() {
            return Ok(());
        }
        let write = async {
            self.stream.write_all_buf(&mut self.write_buffer).await?;
            self.stream.flush().await
        };
        // A peer that stops reading fills the socket's buffers: the same
        // bound as for reading applies to writing.
        let result = match self.read_timeout {
            None => write.await.map_err(|e| self.lost(e)),
            Some(timeout) => match tokio::time::timeout(timeout, write).await {
                Ok(result) => result.map_err(|e| self.lost(e)),
                Err(_) => Err(Error::new(
                    ErrorKind::ServiceUnavailable,
                    format!(
                        "{} accepted nothing for {timeout:?}; the connection is considered dead",
                        self.address
                    ),
                )),
            },
        };
        if result.is_err() {
            self.write_buffer.clear();
        }
        result
    }

    /// Reads the next whole message body, skipping NOOP keep-alives.
    pub(crate) async fn read_message(&mut self) -> Result<Bytes, Error> {
        loop {
            match self.dechunker.decode(&mut self.read_buffer) {
                Ok(Some(message)) => return Ok(message),
                Ok(None) => self.fill().await?,
                Err(error) => return Err(self.malformed(error)),
            }
        }
    }

    /// Reads the next message that `is_queued` does not accept, appending
    /// the bodies of the accepted messages before it to `queue`.
    ///
    /// Runs of accepted single-chunk messages (a batch of RECORDs) are split
    /// off the read buffer in one piece each. Cancel-safe: what was read is
    /// in `queue`, the rest stays in the read buffer.
    pub(crate) async fn read_message_queueing(
        &mut self,
        is_queued: fn(&[u8]) -> bool,
        queue: &mut RecordQueue,
    ) -> Result<Bytes, Error> {
        loop {
            let mut bodies = Vec::new();
            if let Some(block) =
                self.dechunker
                    .split_run(&mut self.read_buffer, is_queued, &mut bodies)
            {
                queue.push_block(block, bodies);
            }
            match self.dechunker.decode(&mut self.read_buffer) {
                Ok(Some(message)) if is_queued(&message) => queue.push(message),
                Ok(Some(message)) => return Ok(message),
                Ok(None) => self.fill().await?,
                Err(error) => return Err(self.malformed(error)),
            }
        }
    }

    fn malformed(&self, error: neo_bolt::Error) -> Error {
        Error::new(
            ErrorKind::Protocol,
            format!("{} sent a malformed message", self.address),
        )
        .with_source(error)
    }

    /// Reads more bytes from the socket into the read buffer.
    async fn fill(&mut self) -> Result<(), Error> {
        self.read_buffer.reserve(READ_BLOCK);
        let read = self.stream.read_buf(&mut self.read_buffer);
        let outcome = match self.read_timeout {
            None => read.await,
            Some(timeout) => match tokio::time::timeout(timeout, read).await {
                Ok(outcome) => outcome,
                Err(_) => {
                    return Err(Error::new(
                        ErrorKind::ServiceUnavailable,
                        format!(
                            "{} sent nothing for {timeout:?}; the connection is considered dead",
                            self.address
                        ),
                    ));
                }
            },
        };
        match outcome {
            Ok(0) => Err(Error::new(
                ErrorKind::ServiceUnavailable,
                format!("{} closed the connection", self.address),
            )),
            Ok(_) => Ok(()),
            Err(e) => Err(self.lost(e)),
        }
    }

    fn lost(&self, error: std::io::Error) -> Error {
        Error::new(
            ErrorKind::ServiceUnavailable,
            format!("the connection to {} was lost", self.address),
        )
        .with_source(error)
    }

    /// Closes the socket of a connection found dead, so the server sees it
    /// go at once; anything still unsent is dropped.
    pub(crate) async fn abort(&mut self) {
        self.write_buffer.clear();
        let _ = tokio::time::timeout(Duration::from_millis(100), self.stream.shutdown()).await;
    }

    /// Closes the socket (after flushing anything pending, such as GOODBYE).
    pub(crate) async fn shutdown(mut self) {
        let _ = self.flush().await;
        let _ = self.stream.shutdown().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use neo_bolt::handshake::{ServerAnswer, ServerHandshake};
    use tokio::net::TcpListener;

    /// Accepts one connection and hands the raw socket to `serve`.
    async fn peer<F, Fut>(serve: F) -> Address
    where
        F: FnOnce(tokio::net::TcpStream) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            serve(socket).await;
        });
        Address::new("127.0.0.1", port)
    }

    async fn open(address: &Address) -> Result<(Transport, BoltVersion), Error> {
        let stream =
            crate::io::net::connect(address, Duration::from_secs(5), true, None, None).await?;
        Transport::handshake(
            stream,
            address.clone(),
            &ClientHandshake::new(),
            Some(Duration::from_secs(5)),
        )
        .await
    }

    /// A peer that negotiates like a Bolt server, then echoes every message
    /// back, split into one-byte chunks with NOOPs in between.
    async fn echo_server(mut socket: tokio::net::TcpStream) {
        let server = ServerHandshake::new();
        let mut input = BytesMut::new();
        let answer = loop {
            socket.read_buf(&mut input).await.unwrap();
            if let Some(answer) = server.read_opening(&mut input).unwrap() {
                break answer;
            }
        };
        let mut reply = Vec::new();
        answer.write(&mut reply);
        socket.write_all(&reply).await.unwrap();
        if matches!(answer, ServerAnswer::Manifest(_)) {
            while server.read_choice(&mut input).unwrap().is_none() {
                socket.read_buf(&mut input).await.unwrap();
            }
        }
        let mut dechunker = Dechunker::new();
        loop {
            while let Some(message) = dechunker.decode(&mut input).unwrap() {
                let mut out = BytesMut::new();
                chunk::write_noop(&mut out);
                for byte in message.iter() {
                    out.extend_from_slice(&[0x00, 0x01, *byte]);
                }
                out.extend_from_slice(&[0x00, 0x00]);
                socket.write_all(&out).await.unwrap();
            }
            if socket.read_buf(&mut input).await.unwrap() == 0 {
                return;
            }
        }
    }

    #[tokio::test]
    async fn negotiates_the_latest_version_and_exchanges_messages() {
        let address = peer(echo_server).await;
        let (mut transport, version) = open(&address).await.unwrap();
        assert_eq!(version, BoltVersion::LATEST);
        for tag in [0x0F_u8, 0x12, 0x13] {
            transport
                .write_message(Dialect::LATEST, |p| p.write_struct_header(tag, 0))
                .unwrap();
        }
        assert!(transport.has_unsent());
        transport.flush().await.unwrap();
        for tag in [0x0F_u8, 0x12, 0x13] {
            assert_eq!(&transport.read_message().await.unwrap()[..], [0xB0, tag]);
        }
    }

    #[tokio::test]
    async fn a_failed_encoding_leaves_nothing_in_the_buffer() {
        let address = peer(echo_server).await;
        let (mut transport, _) = open(&address).await.unwrap();
        let before = transport.write_buffer.clone();
        let err = transport
            .write_message(Dialect::LATEST, |p| p.write_struct_header(0x10, 16))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Usage);
        assert_eq!(transport.write_buffer, before);
    }

    #[tokio::test]
    async fn an_http_port_is_reported_as_such() {
        let address = peer(|mut socket| async move {
            let mut opening = [0u8; 20];
            socket.read_exact(&mut opening).await.unwrap();
            socket
                .write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n")
                .await
                .unwrap();
        })
        .await;
        let err = open(&address).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ServiceUnavailable);
        assert!(err.to_string().contains("HTTP port"), "{err}");
    }

    #[tokio::test]
    async fn a_peer_that_hangs_up_gives_service_unavailable() {
        let address = peer(|socket| async move { drop(socket) }).await;
        let err = open(&address).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ServiceUnavailable);
        assert!(err.to_string().contains(&address.to_string()), "{err}");
    }

    #[tokio::test]
    async fn silence_beyond_the_read_timeout_is_a_dead_connection() {
        let address = peer(|mut socket| async move {
            let mut opening = [0u8; 20];
            socket.read_exact(&mut opening).await.unwrap();
            socket.write_all(&[0, 0, 4, 4]).await.unwrap();
            tokio::time::sleep(Duration::from_secs(5)).await;
        })
        .await;
        let (mut transport, version) = open(&address).await.unwrap();
        assert_eq!(version, BoltVersion::V4_4);
        transport.set_read_timeout(Some(Duration::from_millis(50)));
        let err = transport.read_message().await.unwrap_err();
        assert!(err.to_string().contains("sent nothing"), "{err}");
    }

    #[tokio::test]
    async fn garbage_is_a_protocol_error() {
        let address = peer(|mut socket| async move {
            let mut opening = [0u8; 20];
            socket.read_exact(&mut opening).await.unwrap();
            socket.write_all(&[0, 0, 4, 4]).await.unwrap();
            // A chunk that promises 65535 bytes, repeatedly, past the limit.
            let garbage = vec![0xFF; 1 << 20];
            let _ = socket.write_all(&garbage).await;
            tokio::time::sleep(Duration::from_secs(1)).await;
        })
        .await;
        let (mut transport, _) = open(&address).await.unwrap();
        transport.dechunker = Dechunker::with_max_message_size(256 * 1024);
        let err = transport.read_message().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Protocol);
    }
}
