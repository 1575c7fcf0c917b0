//! TLS client settings: which certificates to trust, and the client
//! certificate to present.

use std::sync::{Arc, PoisonError, RwLock};

use rustls::client::ResolvesClientCert;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::sign::CertifiedKey;
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use crate::address::Address;
use crate::client_certificate::{ClientCertificate, ClientCertificateProvider};
use crate::config::TrustStrategy;
use crate::error::{Error, ErrorKind};
use crate::uri::Encryption;

/// A ready TLS client configuration, built once per driver.
#[derive(Clone)]
pub(crate) struct TlsSettings {
    /// Replaced when the client certificate changes, so that no session
    /// is resumed under the identity of the previous certificate.
    connector: Arc<RwLock<TlsConnector>>,
    /// The client certificate presented, reloaded when its provider has a
    /// new one.
    client: Option<Arc<ClientCertificateResolver>>,
}

impl std::fmt::Debug for TlsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsSettings").finish_non_exhaustive()
    }
}

impl TlsSettings {
    /// The TLS settings a URI scheme and an optional configured trust
    /// strategy ask for; `None` means plain TCP. A `+s`/`+ssc` scheme together
    /// with an explicit trust strategy is a configuration error, because the
    /// two would disagree.
    pub(crate) fn resolve(
        encryption: Encryption,
        trust: Option<&TrustStrategy>,
        client: Option<Arc<dyn ClientCertificateProvider>>,
    ) -> Result<Option<TlsSettings>, Error> {
        let trust = match (encryption, trust) {
            (Encryption::None, None) if client.is_some() => {
                return Err(Error::invalid_config(
                    "client_certificate needs an encrypted connection: use a `+s` or `+ssc` URI \
                     scheme, or a trust strategy",
                ));
            }
            (Encryption::None, None) => return Ok(None),
            (Encryption::None, Some(trust)) => trust.clone(),
            (Encryption::VerifyFull, None) => TrustStrategy::SystemRoots,
            (Encryption::TrustAny, None) => TrustStrategy::TrustAll,
            (_, Some(_)) => {
                return Err(Error::invalid_config(
                    "the `+s` and `+ssc` URI schemes choose the trust strategy themselves; \
                     use a `bolt` or `neo4j` URI with a trust strategy instead",
                ));
            }
        };
        TlsSettings::with_client(&trust, client).map(Some)
    }

    /// Builds the client configuration for a trust strategy.
    #[cfg(test)]
    pub(crate) fn new(trust: &TrustStrategy) -> Result<TlsSettings, Error> {
        TlsSettings::with_client(trust, None)
    }

    /// Builds the client configuration for a trust strategy and a client
    /// certificate.
    pub(crate) fn with_client(
        trust: &TrustStrategy,
        client: Option<Arc<dyn ClientCertificateProvider>>,
    ) -> Result<TlsSettings, Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let client = client.map(|source| {
            Arc::new(ClientCertificateResolver {
                source,
                crypto: Arc::clone(&provider),
                current: RwLock::new(None),
            })
        });
        let authenticate = |builder: rustls::ConfigBuilder<
            ClientConfig,
            rustls::client::WantsClientCert,
        >| match &client {
            Some(resolver) => builder
                .with_client_cert_resolver(Arc::clone(resolver) as Arc<dyn ResolvesClientCert>),
            None => builder.with_no_client_auth(),
        };
        let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::invalid_config("TLS protocol versions").with_source(e))?;
        let config = match trust {
            TrustStrategy::TrustAll => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(provider))),
            TrustStrategy::SystemRoots => {
                let found = rustls_native_certs::load_native_certs();
                let mut roots = RootCertStore::empty();
                let (added, _ignored) = roots.add_parsable_certificates(found.certs);
                if added == 0 {
                    return Err(Error::invalid_config(
                        "no trusted root certificates were found on this system; \
                         install them or use TrustStrategy::CustomCa",
                    ));
                }
                builder.with_root_certificates(roots)
            }
            TrustStrategy::CustomCa(paths) => {
                let mut roots = RootCertStore::empty();
                for path in paths {
                    let certificates: Vec<CertificateDer<'static>> =
                        CertificateDer::pem_file_iter(path)
                            .and_then(|iter| iter.collect::<Result<_, _>>())
                            .map_err(|e| {
                                Error::invalid_config(format!(
                                    "cannot read CA certificates from {}",
                                    path.display()
                                ))
                                .with_source(e)
                            })?;
                    if certificates.is_empty() {
                        return Err(Error::invalid_config(format!(
                            "{} holds no PEM certificate",
                            path.display()
                        )));
                    }
                    for certificate in certificates {
                        roots.add(certificate).map_err(|e| {
                            Error::invalid_config(format!(
                                "{} holds an unusable CA certificate",
                                path.display()
                            ))
                            .with_source(e)
                        })?;
                    }
                }
                builder.with_root_certificates(roots)
            }
        };
        let config = authenticate(config);
        Ok(TlsSettings {
            connector: Arc::new(RwLock::new(TlsConnector::from(Arc::new(config)))),
            client,
        })
    }

    /// Runs the TLS handshake on a connected socket.
    pub(crate) async fn wrap(
        &self,
        address: &Address,
        stream: TcpStream,
    ) -> Result<Box<TlsStream<TcpStream>>, Error> {
        if let Some(client) = &self.client
            && client.refresh()?
        {
            // A new identity: forget the sessions resumable under the old.
            let mut connector = self
                .connector
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            let mut config = ClientConfig::clone(connector.config());
            config.resumption = rustls::client::Resumption::default();
            *connector = TlsConnector::from(Arc::new(config));
        }
        let connector = self
            .connector
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let server_name = ServerName::try_from(address.host().to_owned()).map_err(|e| {
            Error::invalid_config(format!(
                "`{}` is not a valid TLS server name",
                address.host()
            ))
            .with_source(e)
        })?;
        connector
            .connect(server_name, stream)
            .await
            .map(Box::new)
            .map_err(|e| {
                Error::new(
                    ErrorKind::ServiceUnavailable,
                    format!("TLS handshake with {address} failed"),
                )
                .with_source(e)
            })
    }
}

/// Presents the client certificate of a provider, reloading it from its
/// files when the provider has a new one.
struct ClientCertificateResolver {
    source: Arc<dyn ClientCertificateProvider>,
    crypto: Arc<CryptoProvider>,
    current: RwLock<Option<Arc<CertifiedKey>>>,
}

impl std::fmt::Debug for ClientCertificateResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCertificateResolver")
            .finish_non_exhaustive()
    }
}

impl ClientCertificateResolver {
    /// Loads the provider's new certificate, if it has one; says whether
    /// it did.
    fn refresh(&self) -> Result<bool, Error> {
        let Some(certificate) = self.source.get_certificate() else {
            return Ok(false);
        };
        let key = self.load(&certificate)?;
        tracing::debug!(certificate = %certificate.certificate().display(), "client certificate loaded");
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(key));
        Ok(true)
    }

    fn load(&self, certificate: &ClientCertificate) -> Result<CertifiedKey, Error> {
        let chain_path = certificate.certificate();
        let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(chain_path)
            .and_then(|iter| iter.collect::<Result<_, _>>())
            .map_err(|e| {
                Error::invalid_config(format!(
                    "cannot read the client certificate from {}",
                    chain_path.display()
                ))
                .with_source(e)
            })?;
        if chain.is_empty() {
            return Err(Error::invalid_config(format!(
                "{} holds no PEM certificate",
                chain_path.display()
            )));
        }
        let key_path = certificate.private_key();
        let key = PrivateKeyDer::from_pem_file(key_path).map_err(|e| {
            Error::invalid_config(format!(
                "cannot read an unencrypted private key from {}",
                key_path.display()
            ))
            .with_source(e)
        })?;
        let signer = self
            .crypto
            .key_provider
            .load_private_key(key)
            .map_err(|e| {
                Error::invalid_config(format!(
                    "{} holds a private key TLS cannot sign with",
                    key_path.display()
                ))
                .with_source(e)
            })?;
        let key = CertifiedKey::new(chain, signer);
        key.keys_match().map_err(|e| {
            Error::invalid_config(format!(
                "the private key in {} does not belong to the certificate in {}",
                key_path.display(),
                chain_path.display()
            ))
            .with_source(e)
        })?;
        Ok(key)
    }
}

impl ResolvesClientCert for ClientCertificateResolver {
    fn resolve(
        &self,
        _root_hint_subjects: &[&[u8]],
        _sigschemes: &[SignatureScheme],
    ) -> Option<Arc<CertifiedKey>> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn has_certs(&self) -> bool {
        true
    }
}

/// Accepts any server certificate while still checking that the server
/// holds its key: encryption without authentication, for `+ssc` schemes.
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::net::{BoltStream, connect};
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A TLS echo server on 127.0.0.1 with a fresh self-signed certificate
    /// for `localhost`; returns its port and the CA file trusting it.
    async fn tls_echo_server() -> (u16, tempfile_path::TempPem) {
        let key = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
        let pem = tempfile_path::TempPem::write(&key.cert.pem());
        let cert = key.cert.der().clone();
        let private =
            rustls_pki_types::PrivateKeyDer::try_from(key.signing_key.serialize_der()).unwrap();
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert], private)
        .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    if let Ok(mut tls) = acceptor.accept(tcp).await {
                        let mut buf = [0u8; 4];
                        if tls.read_exact(&mut buf).await.is_ok() {
                            let _ = tls.write_all(&buf).await;
                            let _ = tls.flush().await;
                        }
                    }
                });
            }
        });
        (port, pem)
    }

    async fn echo(stream: &mut BoltStream) -> [u8; 4] {
        stream.write_all(b"ping").await.unwrap();
        stream.flush().await.unwrap();
        let mut buf = [0u8; 4];
        stream.read_exact(&mut buf).await.unwrap();
        buf
    }

    #[tokio::test]
    async fn a_custom_ca_authenticates_the_server() {
        let (port, pem) = tls_echo_server().await;
        let tls = TlsSettings::new(&TrustStrategy::CustomCa(vec![pem.path().to_owned()])).unwrap();
        let address = Address::new("localhost", port);
        let mut stream = connect(&address, Duration::from_secs(5), true, Some(&tls), None)
            .await
            .unwrap();
        assert!(matches!(stream, BoltStream::Tls(_)));
        assert_eq!(&echo(&mut stream).await, b"ping");
    }

    #[tokio::test]
    async fn certificates_are_verified_by_default() {
        let (port, _pem) = tls_echo_server().await;
        let address = Address::new("localhost", port);
        // `bolt+s` trusts the system roots, which never signed this certificate.
        match TlsSettings::resolve(Encryption::VerifyFull, None, None) {
            Ok(Some(tls)) => {
                let err = connect(&address, Duration::from_secs(5), true, Some(&tls), None)
                    .await
                    .unwrap_err();
                assert_eq!(err.kind(), ErrorKind::ServiceUnavailable);
                assert!(err.to_string().contains("TLS handshake"), "{err}");
            }
            Ok(None) => panic!("bolt+s must use TLS"),
            Err(err) => {
                assert!(err.is_invalid_configuration());
                assert!(err.to_string().contains("root certificates"), "{err}");
            }
        }
    }

    #[tokio::test]
    async fn a_certificate_from_another_ca_is_rejected() {
        let (port, _pem) = tls_echo_server().await;
        let (_other_port, other_ca) = tls_echo_server().await;
        let tls =
            TlsSettings::new(&TrustStrategy::CustomCa(vec![other_ca.path().to_owned()])).unwrap();
        let address = Address::new("localhost", port);
        let err = connect(&address, Duration::from_secs(5), true, Some(&tls), None)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ServiceUnavailable);
        assert!(err.to_string().contains("TLS handshake"), "{err}");
    }

    #[tokio::test]
    async fn a_wrong_host_name_is_rejected_even_with_the_right_ca() {
        let (port, pem) = tls_echo_server().await;
        let tls = TlsSettings::new(&TrustStrategy::CustomCa(vec![pem.path().to_owned()])).unwrap();
        let address = Address::new("127.0.0.1", port);
        let err = connect(&address, Duration::from_secs(5), true, Some(&tls), None)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("TLS handshake"), "{err}");
    }

    #[tokio::test]
    async fn ssc_trusts_a_self_signed_certificate() {
        let (port, _pem) = tls_echo_server().await;
        let tls = TlsSettings::resolve(Encryption::TrustAny, None, None)
            .unwrap()
            .unwrap();
        let address = Address::new("127.0.0.1", port);
        let mut stream = connect(&address, Duration::from_secs(5), true, Some(&tls), None)
            .await
            .unwrap();
        assert_eq!(&echo(&mut stream).await, b"ping");
    }

    #[test]
    fn secure_schemes_refuse_a_second_trust_setting() {
        for encryption in [Encryption::VerifyFull, Encryption::TrustAny] {
            let err =
                TlsSettings::resolve(encryption, Some(&TrustStrategy::TrustAll), None).unwrap_err();
            assert!(err.is_invalid_configuration());
        }
        assert!(
            TlsSettings::resolve(Encryption::None, None, None)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn an_unreadable_ca_file_is_named() {
        let err = TlsSettings::new(&TrustStrategy::CustomCa(vec!["/nonexistent/ca.pem".into()]))
            .unwrap_err();
        assert!(err.to_string().contains("/nonexistent/ca.pem"), "{err}");
    }

    /// A PEM file in the temp directory, removed on drop.
    mod tempfile_path {
        use std::path::{Path, PathBuf};
        use std::sync::atomic::{AtomicUsize, Ordering};

        pub(super) struct TempPem(PathBuf);

        impl TempPem {
            pub(super) fn write(contents: &str) -> TempPem {
                static NEXT: AtomicUsize = AtomicUsize::new(0);
                let path = std::env::temp_dir().join(format!(
                    "neo-runtime-test-ca-{}-{}.pem",
                    std::process::id(),
                    NEXT.fetch_add(1, Ordering::Relaxed)
                ));
                std::fs::write(&path, contents).unwrap();
                TempPem(path)
            }

            pub(super) fn path(&self) -> &Path {
                &self.0
            }
        }

        impl Drop for TempPem {
            fn drop(&mut self) {
                let _ = std::fs::remove_file(&self.0);
            }
        }
    }
}
