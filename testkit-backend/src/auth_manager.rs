//! The auth token managers testkit asks for. Their token providers and
//! security-failure handlers live in the test and are reached through
//! callbacks:
//!
//! * `NewAuthTokenManager`: a manager of the test's own, both of whose
//!   methods are callbacks ([`TestkitAuthManager`]);
//! * `NewBasicAuthTokenManager`: the driver's [`BasicAuthManager`], whose
//!   password provider is a callback;
//! * `NewBearerAuthTokenManager`: the driver's [`BearerAuthManager`], whose
//!   token provider (with the token's lifetime) is a callback.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use neo_bolt::ServerError;
use neo_runtime::auth::{
    AuthManager, BasicAuthManager, BearerAuthManager, BoxFuture, ExpiringAuth,
};
use neo_runtime::clock::Clock;
use neo_runtime::{AuthToken, Error};

use crate::callbacks::{CALLBACK_TIMEOUT, Callbacks};
use crate::clock::TestkitClock;
use crate::handlers::driver::{auth_token, testkit_token};
use crate::protocol::requests::AuthorizationToken;
use crate::protocol::responses::Response;

/// The three kinds of manager, as testkit names them in its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ManagerKind {
    Custom,
    Basic,
    Bearer,
}

impl ManagerKind {
    /// The answer to the request that made a manager of this kind.
    pub(crate) fn created(self, id: String) -> Response {
        match self {
            ManagerKind::Custom => Response::AuthTokenManager { id },
            ManagerKind::Basic => Response::BasicAuthTokenManager { id },
            ManagerKind::Bearer => Response::BearerAuthTokenManager { id },
        }
    }
}

/// Builds the manager testkit asked for.
pub(crate) fn new_manager(
    kind: ManagerKind,
    id: String,
    callbacks: Callbacks,
    clock: &TestkitClock,
) -> Arc<dyn AuthManager> {
    match kind {
        ManagerKind::Custom => Arc::new(TestkitAuthManager { id, callbacks }),
        ManagerKind::Basic => Arc::new(BasicAuthManager::new(move || {
            let (callbacks, id) = (callbacks.clone(), id.clone());
            async move {
                let data = callbacks
                    .call(
                        |request| Response::BasicAuthTokenProviderRequest {
                            id: request,
                            basic_auth_token_manager_id: id.clone(),
                        },
                        CALLBACK_TIMEOUT,
                    )
                    .await
                    .map_err(Error::application)?;
                token_of(&data["auth"])
            }
        })),
        ManagerKind::Bearer => {
            let expiry_clock = clock.clone();
            let manager = BearerAuthManager::new(move || {
                let (callbacks, id, clock) = (callbacks.clone(), id.clone(), expiry_clock.clone());
                async move {
                    let data = callbacks
                        .call(
                            |request| Response::BearerAuthTokenProviderRequest {
                                id: request,
                                bearer_auth_token_manager_id: id.clone(),
                            },
                            CALLBACK_TIMEOUT,
                        )
                        .await
                        .map_err(Error::application)?;
                    expiring_token_of(&data["auth"], &clock)
                }
            });
            Arc::new(manager.with_clock(Arc::new(clock.clone())))
        }
    }
}

/// A manager whose `get_auth` and `handle_security_error` are the test's.
struct TestkitAuthManager {
    id: String,
    callbacks: Callbacks,
}

impl fmt::Debug for TestkitAuthManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestkitAuthManager")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl AuthManager for TestkitAuthManager {
    fn get_auth(&self) -> BoxFuture<'_, Result<AuthToken, Error>> {
        Box::pin(async move {
            let data = self
                .callbacks
                .call(
                    |request| Response::AuthTokenManagerGetAuthRequest {
                        id: request,
                        auth_token_manager_id: self.id.clone(),
                    },
                    CALLBACK_TIMEOUT,
                )
                .await
                .map_err(Error::application)?;
            token_of(&data["auth"])
        })
    }

    fn handle_security_error<'a>(
        &'a self,
        auth: &'a AuthToken,
        error: &'a ServerError,
    ) -> BoxFuture<'a, bool> {
        Box::pin(async move {
            let answer = self
                .callbacks
                .call(
                    |request| Response::AuthTokenManagerHandleSecurityExceptionRequest {
                        id: request,
                        auth_token_manager_id: self.id.clone(),
                        auth: Box::new(testkit_token(auth)),
                        error_code: error.code().to_string(),
                    },
                    CALLBACK_TIMEOUT,
                )
                .await;
            match answer {
                Ok(data) => data["handled"].as_bool().unwrap_or(false),
                Err(failure) => {
                    tracing::error!(manager = %self.id, %failure, "the security failure handler failed");
                    false
                }
            }
        })
    }
}

/// The auth token in a callback's answer.
fn token_of(json: &serde_json::Value) -> Result<AuthToken, Error> {
    let token: AuthorizationToken = serde_json::from_value(json.clone())
        .map_err(|error| Error::application(format!("testkit sent no auth token: {error}")))?;
    auth_token(&token).map_err(|unsupported| Error::application(unsupported.0))
}

/// The token and lifetime in a bearer provider's answer
/// (`AuthTokenAndExpiration`: `auth`, and `expiresInMs` unless it never
/// expires).
fn expiring_token_of(
    json: &serde_json::Value,
    clock: &TestkitClock,
) -> Result<ExpiringAuth, Error> {
    let data = &json["data"];
    let token = token_of(&data["auth"])?;
    let auth = ExpiringAuth::new(token);
    match data.get("expiresInMs").filter(|value| !value.is_null()) {
        None => Ok(auth),
        Some(ms) => {
            let ms = ms
                .as_f64()
                .filter(|ms| ms.is_finite())
                .ok_or_else(|| Error::application(format!("expiresInMs {ms} is not a number")))?;
            // A lifetime already over (or negative) expires at once.
            let lifetime = Duration::from_secs_f64(ms.max(0.0) / 1000.0);
            Ok(auth.valid_until(clock.system_now() + lifetime))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_answers_carry_a_lifetime_or_none() {
        let clock = TestkitClock::default();
        let json = serde_json::json!({"name": "AuthTokenAndExpiration", "data": {
            "auth": {"name": "AuthorizationToken", "data": {"scheme": "bearer", "credentials": "t"}},
            "expiresInMs": 2000}});
        let before = std::time::SystemTime::now();
        let auth = expiring_token_of(&json, &clock).unwrap();
        assert_eq!(auth.token(), &AuthToken::bearer("t"));
        let expiry = auth.expires_at().unwrap();
        assert!(expiry >= before + Duration::from_secs(2));
        let json = serde_json::json!({"name": "AuthTokenAndExpiration", "data": {
            "auth": {"name": "AuthorizationToken", "data": {"scheme": "bearer", "credentials": "t"}},
            "expiresInMs": null}});
        assert_eq!(expiring_token_of(&json, &clock).unwrap().expires_at(), None);
        assert!(expiring_token_of(&serde_json::json!({}), &clock).is_err());
    }
}
