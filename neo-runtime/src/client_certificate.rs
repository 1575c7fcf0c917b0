//! Client certificates for mutual TLS, and providers that can rotate them.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// A client certificate for mutual TLS: the certificate chain and its
/// (unencrypted) private key, as PEM files.
///
/// ```
/// use neo_runtime::ClientCertificate;
///
/// let certificate = ClientCertificate::new("/etc/app/client.pem", "/etc/app/client.key");
/// assert_eq!(certificate.certificate().to_str(), Some("/etc/app/client.pem"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ClientCertificate {
    certificate: PathBuf,
    private_key: PathBuf,
}

impl ClientCertificate {
    /// The certificate chain in `certificate` (the client's certificate
    /// first) and its private key in `private_key`, both PEM files. They
    /// are read when a connection needs them; a file that cannot be read
    /// is an [`InvalidConfiguration`](crate::ErrorKind::InvalidConfiguration)
    /// error naming it.
    pub fn new(certificate: impl Into<PathBuf>, private_key: impl Into<PathBuf>) -> Self {
        ClientCertificate {
            certificate: certificate.into(),
            private_key: private_key.into(),
        }
    }

    /// The certificate chain file.
    pub fn certificate(&self) -> &Path {
        &self.certificate
    }

    /// The private key file.
    pub fn private_key(&self) -> &Path {
        &self.private_key
    }
}

impl fmt::Debug for ClientCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCertificate")
            .field("certificate", &self.certificate)
            .field("private_key", &self.private_key)
            .finish()
    }
}

/// Hands the driver the client certificate to present, and a new one when
/// it changes.
///
/// The driver asks before opening each connection; connections already
/// open keep the certificate they were opened with.
///
/// ```
/// use std::sync::atomic::{AtomicBool, Ordering};
/// use neo_runtime::{ClientCertificate, ClientCertificateProvider};
///
/// /// A certificate read once from fixed paths.
/// struct Fixed {
///     given: AtomicBool,
/// }
///
/// impl ClientCertificateProvider for Fixed {
///     fn get_certificate(&self) -> Option<ClientCertificate> {
///         (!self.given.swap(true, Ordering::AcqRel))
///             .then(|| ClientCertificate::new("client.pem", "client.key"))
///     }
/// }
/// ```
pub trait ClientCertificateProvider: Send + Sync {
    /// The certificate to present from now on if it changed since the last
    /// call (the first call gives the first certificate); `None` keeps the
    /// one in use.
    fn get_certificate(&self) -> Option<ClientCertificate>;
}

/// A client certificate the application replaces when it rotates it
/// (before the current one expires, say): connections opened afterwards
/// present the new one.
///
/// ```no_run
/// use std::sync::Arc;
/// use neo_runtime::{ClientCertificate, DriverConfig, RotatingClientCertificateProvider, TrustStrategy};
///
/// let provider = Arc::new(RotatingClientCertificateProvider::new(ClientCertificate::new(
///     "client-2024.pem",
///     "client-2024.key",
/// )));
/// let config = DriverConfig::default()
///     .with_trust(TrustStrategy::CustomCa(vec!["ca.pem".into()]))
///     .with_client_certificate_provider(provider.clone());
/// // Later, when the certificate is renewed:
/// provider.update_certificate(ClientCertificate::new("client-2025.pem", "client-2025.key"));
/// ```
pub struct RotatingClientCertificateProvider {
    /// The current certificate, and whether the driver has not had it yet.
    state: Mutex<(ClientCertificate, bool)>,
}

impl RotatingClientCertificateProvider {
    /// A provider starting with `certificate`.
    pub fn new(certificate: ClientCertificate) -> Self {
        RotatingClientCertificateProvider {
            state: Mutex::new((certificate, true)),
        }
    }

    /// Replaces the certificate: the next connection presents this one.
    pub fn update_certificate(&self, certificate: ClientCertificate) {
        *self.state.lock().unwrap_or_else(PoisonError::into_inner) = (certificate, true);
    }
}

impl fmt::Debug for RotatingClientCertificateProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("RotatingClientCertificateProvider")
            .field("certificate", &state.0)
            .finish()
    }
}

impl ClientCertificateProvider for RotatingClientCertificateProvider {
    fn get_certificate(&self) -> Option<ClientCertificate> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let (certificate, fresh) = &mut *state;
        std::mem::take(fresh).then(|| certificate.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rotating_provider_gives_each_certificate_once() {
        let first = ClientCertificate::new("a.pem", "a.key");
        let provider = RotatingClientCertificateProvider::new(first.clone());
        assert_eq!(provider.get_certificate(), Some(first));
        assert_eq!(provider.get_certificate(), None);
        let second = ClientCertificate::new("b.pem", "b.key");
        provider.update_certificate(second.clone());
        assert_eq!(provider.get_certificate(), Some(second));
        assert_eq!(provider.get_certificate(), None);
    }
}
