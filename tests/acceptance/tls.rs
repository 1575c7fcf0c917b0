//! Mutual TLS: the driver presents a client certificate, a rotated one on
//! new connections, to a TLS endpoint that demands one and forwards to the
//! embedded server.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use neo_embedded::EmbeddedServer;
use neo_runtime::{
    ClientCertificate, Driver, DriverConfig, ErrorKind, QueryConfig,
    RotatingClientCertificateProvider, SessionConfig, TransactionConfig, TrustStrategy,
};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};

/// A directory of PEM files, removed when dropped.
struct Files(PathBuf);

impl Files {
    fn new() -> Files {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "neo-tests-tls-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Files(dir)
    }

    fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A certificate authority.
fn authority(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

/// A certificate for `name` signed by `issuer`, and its key.
fn issue(issuer: &CertifiedIssuer<'static, KeyPair>, name: &str) -> (rcgen::Certificate, KeyPair) {
    let mut params = CertificateParams::new(vec![name.to_owned()]).unwrap();
    params.distinguished_name.push(DnType::CommonName, name);
    let key = KeyPair::generate().unwrap();
    let certificate = params.signed_by(&key, issuer).unwrap();
    (certificate, key)
}

/// A client certificate issued by `issuer`, written as PEM files, and the
/// DER the server sees.
fn client_certificate(
    files: &Files,
    issuer: &CertifiedIssuer<'static, KeyPair>,
    name: &str,
) -> (ClientCertificate, CertificateDer<'static>) {
    let (certificate, key) = issue(issuer, name);
    let chain = files.write(&format!("{name}.pem"), &certificate.pem());
    let private_key = files.write(&format!("{name}.key"), &key.serialize_pem());
    (
        ClientCertificate::new(chain, private_key),
        certificate.der().clone(),
    )
}

/// A TLS endpoint for `localhost` that demands a client certificate issued
/// by `clients`, records the certificate each connection presents, and
/// forwards the connection to the embedded server.
struct Endpoint {
    port: u16,
    presented: Arc<Mutex<Vec<CertificateDer<'static>>>>,
}

async fn endpoint(
    server: &EmbeddedServer,
    servers: &CertifiedIssuer<'static, KeyPair>,
    clients: &CertifiedIssuer<'static, KeyPair>,
) -> Endpoint {
    let (certificate, key) = issue(servers, "localhost");
    let certificate = certificate.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let mut roots = rustls::RootCertStore::empty();
    roots.add(clients.der().clone()).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .unwrap();
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![certificate], key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let backend = server.address();
    let presented = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&presented);
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                if let Some(chain) = tls.get_ref().1.peer_certificates() {
                    seen.lock().unwrap().push(chain[0].clone());
                }
                let Ok(mut upstream) = TcpStream::connect(backend).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut upstream).await;
            });
        }
    });
    Endpoint { port, presented }
}

fn config(files: &Files, servers: &CertifiedIssuer<'static, KeyPair>) -> DriverConfig {
    let ca = files.write("server-ca.pem", &servers.pem());
    DriverConfig::default().with_trust(TrustStrategy::CustomCa(vec![ca]))
}

#[tokio::test]
async fn the_client_certificate_is_presented_and_a_rotated_one_used_by_new_connections() {
    let server = neo_tests::server();
    let files = Files::new();
    let servers = authority("server CA");
    let clients = authority("client CA");
    let endpoint = endpoint(&server, &servers, &clients).await;
    let (first, first_der) = client_certificate(&files, &clients, "client-1");
    let (second, second_der) = client_certificate(&files, &clients, "client-2");
    let provider = Arc::new(RotatingClientCertificateProvider::new(first));
    let driver = Driver::with_config(
        &format!("bolt://localhost:{}", endpoint.port),
        neo_tests::auth(),
        config(&files, &servers).with_client_certificate_provider(provider.clone()),
    )
    .unwrap();
    assert!(driver.is_encrypted());
    driver
        .execute_query("RETURN 1", QueryConfig::default())
        .await
        .unwrap();
    assert_eq!(
        *endpoint.presented.lock().unwrap(),
        std::slice::from_ref(&first_der)
    );

    provider.update_certificate(second);
    // The pooled connection keeps its certificate; a second connection,
    // opened while the first is busy, presents the new one.
    let mut busy = driver.session(SessionConfig::default()).unwrap();
    let tx = busy
        .begin_transaction(TransactionConfig::default())
        .await
        .unwrap();
    driver
        .execute_query("RETURN 1", QueryConfig::default())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    busy.close().await;
    assert_eq!(*endpoint.presented.lock().unwrap(), [first_der, second_der]);
    assert_eq!(server.controls().connections_accepted(), 2);
}

#[tokio::test]
async fn a_connection_without_an_accepted_client_certificate_is_refused() {
    let server = neo_tests::server();
    let files = Files::new();
    let servers = authority("server CA");
    let clients = authority("client CA");
    let endpoint = endpoint(&server, &servers, &clients).await;
    let uri = format!("bolt://localhost:{}", endpoint.port);

    let none = Driver::with_config(&uri, neo_tests::auth(), config(&files, &servers)).unwrap();
    let error = none.verify_connectivity().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServiceUnavailable, "{error}");

    let strangers = authority("another CA");
    let (stranger, _) = client_certificate(&files, &strangers, "stranger");
    let config = config(&files, &servers).with_client_certificate(stranger);
    let refused = Driver::with_config(&uri, neo_tests::auth(), config).unwrap();
    let error = refused.verify_connectivity().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ServiceUnavailable, "{error}");
    assert!(endpoint.presented.lock().unwrap().is_empty());
    assert_eq!(server.controls().connections_accepted(), 0);
}

#[tokio::test]
async fn client_certificate_settings_that_cannot_work_are_named() {
    let files = Files::new();
    let certificate = ClientCertificate::new(
        files.path().join("missing.pem"),
        files.path().join("missing.key"),
    );
    let error = Driver::with_config(
        "bolt://localhost:7687",
        neo_tests::auth(),
        DriverConfig::default().with_client_certificate(certificate.clone()),
    )
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidConfiguration);
    assert!(error.to_string().contains("encrypted"), "{error}");

    let server = neo_tests::server();
    let servers = authority("server CA");
    let clients = authority("client CA");
    let endpoint = endpoint(&server, &servers, &clients).await;
    let driver = Driver::with_config(
        &format!("bolt://localhost:{}", endpoint.port),
        neo_tests::auth(),
        config(&files, &servers).with_client_certificate(certificate),
    )
    .unwrap();
    let error = driver.verify_connectivity().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidConfiguration);
    assert!(error.to_string().contains("missing.pem"), "{error}");
}
