//! Opening a socket to a server.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpSocket, TcpStream};
use tokio_rustls::client::TlsStream;

use super::tls::TlsSettings;
use crate::address::Address;
use crate::error::{Error, ErrorKind};
use crate::resolver::HostNameResolver;

/// A connected socket, plain or TLS.
#[derive(Debug)]
pub(crate) enum BoltStream {
    /// Plain TCP.
    Plain(TcpStream),
    /// TLS over TCP.
    Tls(Box<TlsStream<TcpStream>>),
}

/// Resolves `address` (with `names` when given, else the system's DNS) and
/// connects to the first of its socket addresses that answers within
/// `timeout`, with TCP_NODELAY on, keep-alive as asked, and TLS when `tls`
/// is given.
pub(crate) async fn connect(
    address: &Address,
    timeout: Duration,
    keep_alive: bool,
    tls: Option<&TlsSettings>,
    names: Option<&dyn HostNameResolver>,
) -> Result<BoltStream, Error> {
    let unavailable = |what: String, source: io::Error| {
        Error::new(ErrorKind::ServiceUnavailable, what).with_source(source)
    };
    let too_slow = || {
        Error::new(
            ErrorKind::ServiceUnavailable,
            format!("resolving {address} took longer than {timeout:?}"),
        )
    };
    let resolved: Vec<SocketAddr> = match (names, address.host().parse::<IpAddr>()) {
        (_, Ok(ip)) => vec![SocketAddr::new(ip, address.port())],
        (Some(names), Err(_)) => tokio::time::timeout(timeout, names.resolve(address.host()))
            .await
            .map_err(|_| too_slow())?
            .map_err(|e| {
                Error::new(
                    ErrorKind::ServiceUnavailable,
                    format!("cannot resolve {address}"),
                )
                .with_source(e)
            })?
            .into_iter()
            .map(|ip| SocketAddr::new(ip, address.port()))
            .collect(),
        (None, Err(_)) => tokio::time::timeout(
            timeout,
            tokio::net::lookup_host((address.host(), address.port())),
        )
        .await
        .map_err(|_| too_slow())?
        .map_err(|e| unavailable(format!("cannot resolve {address}"), e))?
        .collect(),
    };

    let mut last_error = None;
    for socket_address in resolved {
        let attempt = async {
            let socket = if socket_address.is_ipv4() {
                TcpSocket::new_v4()?
            } else {
                TcpSocket::new_v6()?
            };
            socket.set_keepalive(keep_alive)?;
            let stream = socket.connect(socket_address).await?;
            stream.set_nodelay(true)?;
            Ok::<_, io::Error>(stream)
        };
        match tokio::time::timeout(timeout, attempt).await {
            Ok(Ok(stream)) => {
                return match tls {
                    None => Ok(BoltStream::Plain(stream)),
                    Some(tls) => tls.wrap(address, stream).await.map(BoltStream::Tls),
                };
            }
            Ok(Err(e)) => {
                last_error = Some(unavailable(
                    format!("cannot connect to {address} ({socket_address})"),
                    e,
                ))
            }
            Err(_) => {
                last_error = Some(Error::new(
                    ErrorKind::ServiceUnavailable,
                    format!(
                        "connecting to {address} ({socket_address}) took longer than {timeout:?}"
                    ),
                ))
            }
        }
    }
    Err(last_error.unwrap_or_else(|| {
        Error::new(
            ErrorKind::ServiceUnavailable,
            format!("{address} resolved to no socket address"),
        )
    }))
}

impl BoltStream {
    /// Whether the server has closed its end of the socket (or the socket
    /// failed) while nothing was asked of it, as seen without waiting and
    /// without taking any byte: what the server sent (a TLS session ticket,
    /// say) stays for the next read.
    pub(crate) fn peer_closed(&self) -> bool {
        let socket = match self {
            BoltStream::Plain(socket) => socket,
            BoltStream::Tls(stream) => stream.get_ref().0,
        };
        let mut context = Context::from_waker(std::task::Waker::noop());
        let mut byte = [0u8; 1];
        let mut peeked = ReadBuf::new(&mut byte);
        match socket.poll_peek(&mut context, &mut peeked) {
            Poll::Ready(Ok(0) | Err(_)) => true,
            Poll::Ready(Ok(_)) | Poll::Pending => false,
        }
    }
}

impl AsyncRead for BoltStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            BoltStream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            BoltStream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for BoltStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            BoltStream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            BoltStream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            BoltStream::Plain(s) => Pin::new(s).poll_flush(cx),
            BoltStream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            BoltStream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            BoltStream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            BoltStream::Plain(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            BoltStream::Tls(s) => Pin::new(s.as_mut()).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            BoltStream::Plain(s) => s.is_write_vectored(),
            BoltStream::Tls(s) => s.is_write_vectored(),
        }
    }
}
