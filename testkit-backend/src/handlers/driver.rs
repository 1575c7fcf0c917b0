//! Drivers: `NewDriver` and the requests on a driver.

use std::time::Duration;

use neo_runtime::{
    AuthToken, DriverConfig, MinimumSeverity, NotificationClassification, NotificationFilter,
    TrustStrategy,
};

use super::session::duration_from_millis;
use crate::handlers::summary::plain_json;
use crate::protocol::requests::{AuthFields, AuthorizationToken, NewDriver};
use crate::protocol::values::from_plain_json;

/// Why a `NewDriver` cannot be served: a setting the driver does not have,
/// or a value it cannot take. Settings are never dropped silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unsupported(pub(crate) String);

/// The auth token of a request.
pub(crate) fn auth_token(token: &AuthorizationToken) -> Result<AuthToken, Unsupported> {
    let AuthorizationToken::AuthorizationToken(fields) = token;
    let AuthFields {
        scheme,
        principal,
        credentials,
        realm,
        parameters,
    } = fields.clone();
    let parameters = parameters
        .map(|parameters| {
            parameters
                .into_iter()
                .map(|(key, value)| from_plain_json(value).map(|value| (key, value)))
                .collect::<Result<neo_bolt::packstream::Map, _>>()
        })
        .transpose()
        .map_err(|error| Unsupported(format!("auth parameters: {error}")))?;
    Ok(match scheme.as_str() {
        "basic" if parameters.is_none() => AuthToken::Basic {
            principal: principal.unwrap_or_default(),
            credentials: credentials.unwrap_or_default(),
            realm,
        },
        "bearer" if principal.is_none() && realm.is_none() && parameters.is_none() => {
            AuthToken::bearer(credentials.unwrap_or_default())
        }
        "kerberos" if principal.is_none() && realm.is_none() && parameters.is_none() => {
            AuthToken::kerberos(credentials.unwrap_or_default())
        }
        "none" if principal.is_none() && credentials.is_none() => AuthToken::None,
        _ => AuthToken::Custom {
            scheme,
            principal,
            credentials,
            realm,
            parameters,
        },
    })
}

/// An auth token as testkit writes it (for callbacks that hand one back):
/// only the fields that are set.
pub(crate) fn testkit_token(token: &AuthToken) -> AuthorizationToken {
    let fields = match token {
        AuthToken::None => AuthFields {
            scheme: "none".into(),
            principal: None,
            credentials: None,
            realm: None,
            parameters: None,
        },
        AuthToken::Basic {
            principal,
            credentials,
            realm,
        } => AuthFields {
            scheme: "basic".into(),
            principal: Some(principal.clone()),
            credentials: Some(credentials.clone()),
            realm: realm.clone(),
            parameters: None,
        },
        AuthToken::Bearer { token } => AuthFields {
            scheme: "bearer".into(),
            principal: None,
            credentials: Some(token.clone()),
            realm: None,
            parameters: None,
        },
        AuthToken::Kerberos { ticket } => AuthFields {
            scheme: "kerberos".into(),
            principal: None,
            credentials: Some(ticket.clone()),
            realm: None,
            parameters: None,
        },
        AuthToken::Custom {
            scheme,
            principal,
            credentials,
            realm,
            parameters,
        } => AuthFields {
            scheme: scheme.clone(),
            principal: principal.clone(),
            credentials: credentials.clone(),
            realm: realm.clone(),
            parameters: parameters.as_ref().map(|parameters| {
                parameters
                    .iter()
                    .map(|(key, value)| (key.clone(), plain_json(value)))
                    .collect()
            }),
        },
    };
    AuthorizationToken::AuthorizationToken(fields)
}

/// The notification filter of a driver or session: `None` when testkit
/// sets neither field (the server's defaults).
pub(crate) fn notification_filter(
    min_severity: Option<&str>,
    disabled_categories: Option<&[String]>,
) -> Result<Option<NotificationFilter>, Unsupported> {
    if min_severity.is_none() && disabled_categories.is_none() {
        return Ok(None);
    }
    let mut filter = NotificationFilter::default();
    if let Some(name) = min_severity {
        let severity = MinimumSeverity::from_name(name).ok_or_else(|| {
            Unsupported(format!(
                "notificationsMinSeverity `{name}` is none of OFF, WARNING, INFORMATION"
            ))
        })?;
        filter = filter.with_minimum_severity(severity);
    }
    if let Some(names) = disabled_categories {
        let classifications = names
            .iter()
            .map(|name| {
                NotificationClassification::from_name(name).ok_or_else(|| {
                    Unsupported(format!(
                        "notificationsDisabledCategories: `{name}` is not a notification category"
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        filter = filter.with_disabled_classifications(classifications);
    }
    Ok(Some(filter))
}

/// The driver configuration a `NewDriver` asks for.
pub(crate) fn config(request: &NewDriver) -> Result<DriverConfig, Unsupported> {
    if request.client_certificate.is_some() || request.client_certificate_provider_id.is_some() {
        return Err(Unsupported(
            "the driver has no client certificates (clientCertificate)".into(),
        ));
    }
    let mut config = DriverConfig::default();
    if let Some(filter) = notification_filter(
        request.notifications_min_severity.as_deref(),
        request.notifications_disabled_categories.as_deref(),
    )? {
        config = config.with_notification_filter(filter);
    }
    if let Some(user_agent) = &request.user_agent {
        config = config.with_user_agent(user_agent.clone());
    }
    if let Some(ms) = request.connection_timeout_ms {
        config = config.with_connection_timeout(millis("connectionTimeoutMs", ms)?);
    }
    if let Some(fetch_size) = request.fetch_size {
        config = config.with_fetch_size(fetch_size);
    }
    if let Some(ms) = request.max_tx_retry_time_ms {
        config = config.with_max_transaction_retry_time(millis("maxTxRetryTimeMs", ms)?);
    }
    if let Some(ms) = request.liveness_check_timeout_ms {
        config = config.with_liveness_check_timeout(Some(millis("livenessCheckTimeoutMs", ms)?));
    }
    if let Some(size) = request.max_connection_pool_size {
        let size = usize::try_from(size).map_err(|_| {
            Unsupported(format!(
                "maxConnectionPoolSize must not be negative; got {size}"
            ))
        })?;
        config = config.with_max_connection_pool_size(size);
    }
    if let Some(ms) = request.connection_acquisition_timeout_ms {
        config = config
            .with_connection_acquisition_timeout(millis("connectionAcquisitionTimeoutMs", ms)?);
    }
    if let Some(disabled) = request.telemetry_disabled {
        config = config.with_telemetry_disabled(disabled);
    }
    if request.encrypted == Some(true) {
        let trust = match &request.trusted_certificates {
            None => TrustStrategy::SystemRoots,
            Some(paths) if paths.is_empty() => TrustStrategy::TrustAll,
            Some(paths) => TrustStrategy::CustomCa(paths.iter().map(Into::into).collect()),
        };
        config = config.with_trust(trust);
    } else if request.trusted_certificates.is_some() {
        return Err(Unsupported(
            "trustedCertificates without encrypted=true would be ignored".into(),
        ));
    }
    Ok(config)
}

fn millis(name: &str, ms: f64) -> Result<Duration, Unsupported> {
    duration_from_millis(ms).map_err(|message| Unsupported(format!("{name}: {message}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::requests::Request;

    fn new_driver(json: &str) -> NewDriver {
        let Request::NewDriver(request) = Request::decode(json).unwrap() else {
            panic!()
        };
        *request
    }

    fn auth(json: serde_json::Value) -> AuthToken {
        let token: AuthorizationToken = serde_json::from_value(json).unwrap();
        auth_token(&token).unwrap()
    }

    #[test]
    fn every_scheme_maps_to_its_token() {
        assert_eq!(
            auth(serde_json::json!({"name": "AuthorizationToken", "data": {
                "scheme": "basic", "principal": "neo4j", "credentials": "pass"}})),
            AuthToken::basic("neo4j", "pass")
        );
        assert_eq!(
            auth(serde_json::json!({"name": "AuthorizationToken", "data": {
                "scheme": "bearer", "credentials": "token"}})),
            AuthToken::bearer("token")
        );
        assert_eq!(
            auth(serde_json::json!({"name": "AuthorizationToken", "data": {
                "scheme": "kerberos", "credentials": "ticket"}})),
            AuthToken::kerberos("ticket")
        );
        let custom = auth(serde_json::json!({"name": "AuthorizationToken", "data": {
            "scheme": "wild-west", "principal": "p", "credentials": "c", "realm": "r",
            "parameters": {"n": 1, "yes": true}}}));
        let AuthToken::Custom {
            scheme, parameters, ..
        } = custom
        else {
            panic!()
        };
        assert_eq!(scheme, "wild-west");
        assert_eq!(parameters.unwrap()["n"], neo_runtime::Value::Integer(1));
    }

    #[test]
    fn settings_reach_the_driver_config() {
        let config = config(&new_driver(
            r#"{"name": "NewDriver", "data": {"uri": "bolt://h", "userAgent": "agent/1",
                "fetchSize": 2, "maxTxRetryTimeMs": 1500, "connectionTimeoutMs": 250,
                "livenessCheckTimeoutMs": 0, "maxConnectionPoolSize": 3,
                "connectionAcquisitionTimeoutMs": 700, "telemetryDisabled": true}}"#,
        ))
        .unwrap();
        assert_eq!(config.user_agent(), "agent/1");
        assert_eq!(config.fetch_size(), 2);
        assert_eq!(
            config.retry_policy().max_retry_time(),
            Duration::from_millis(1500)
        );
        assert_eq!(config.connection_timeout(), Duration::from_millis(250));
        assert_eq!(config.liveness_check_timeout(), Some(Duration::ZERO));
        assert_eq!(config.max_connection_pool_size(), 3);
        assert_eq!(
            config.connection_acquisition_timeout(),
            Duration::from_millis(700)
        );
        assert!(config.telemetry_disabled());
        assert_eq!(config.trust(), None);
    }

    #[test]
    fn trust_settings_follow_testkit_conventions() {
        let system = config(&new_driver(
            r#"{"name": "NewDriver", "data": {"uri": "bolt://h", "encrypted": true}}"#,
        ))
        .unwrap();
        assert_eq!(system.trust(), Some(&TrustStrategy::SystemRoots));
        let any = config(&new_driver(
            r#"{"name": "NewDriver", "data": {"uri": "bolt://h", "encrypted": true,
                "trustedCertificates": []}}"#,
        ))
        .unwrap();
        assert_eq!(any.trust(), Some(&TrustStrategy::TrustAll));
        let custom = config(&new_driver(
            r#"{"name": "NewDriver", "data": {"uri": "bolt://h", "encrypted": true,
                "trustedCertificates": ["ca.pem"]}}"#,
        ))
        .unwrap();
        assert_eq!(
            custom.trust(),
            Some(&TrustStrategy::CustomCa(vec!["ca.pem".into()]))
        );
    }

    #[test]
    fn settings_the_driver_lacks_are_refused_not_dropped() {
        for json in [
            r#"{"name": "NewDriver", "data": {"uri": "bolt://h", "notificationsMinSeverity": "LOUD"}}"#,
            r#"{"name": "NewDriver", "data": {"uri": "bolt://h", "trustedCertificates": []}}"#,
            r#"{"name": "NewDriver", "data": {"uri": "bolt://h", "connectionTimeoutMs": -5}}"#,
        ] {
            assert!(config(&new_driver(json)).is_err(), "{json}");
        }
    }
}
