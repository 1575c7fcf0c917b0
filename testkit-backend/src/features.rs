//! What the backend claims (`GetFeatures`) and which tests it declines
//! (`StartTest`).

use crate::protocol::responses::Response;

/// The flags claimed: every Bolt version the driver negotiates that this
/// testkit revision knows, and every API, configuration and optimisation
/// flag whose behaviour the driver has. The flags of testkit's recommended
/// set left out are in [`NOT_CLAIMED`], each with the reason.
pub(crate) const FEATURES: &[&str] = &[
    // Protocol versions (5.5 was withdrawn; 5.8 is newer than this testkit).
    "Feature:Bolt:4.4",
    "Feature:Bolt:5.0",
    "Feature:Bolt:5.1",
    "Feature:Bolt:5.2",
    "Feature:Bolt:5.3",
    "Feature:Bolt:5.4",
    "Feature:Bolt:5.6",
    "Feature:Bolt:5.7",
    "Feature:Bolt:Patch:UTC",
    // API.
    "Feature:API:BookmarkManager",
    "Feature:API:ConnectionAcquisitionTimeout",
    "Feature:API:Driver:GetServerInfo",
    "Feature:API:Driver.VerifyConnectivity",
    "Feature:API:Liveness.Check",
    "Feature:API:Result.List",
    "Feature:API:Result.Single",
    "Feature:API:RetryableExceptions",
    "Feature:API:SSLConfig",
    "Feature:API:SSLSchemes",
    "Feature:API:Type.Spatial",
    "Feature:API:Type.Temporal",
    // Auth schemes.
    "Feature:Auth:Bearer",
    "Feature:Auth:Custom",
    "Feature:Auth:Kerberos",
    "Feature:Impersonation",
    // TLS versions (rustls speaks 1.2 and 1.3, never 1.1).
    "Feature:TLS:1.2",
    "Feature:TLS:1.3",
    // Server hints and optimisations.
    "ConfHint:connection.recv_timeout_seconds",
    "Optimization:AuthPipelining",
    "Optimization:ConnectionReuse",
    "Optimization:MinimalBookmarksSet",
    "Optimization:MinimalResets",
    "Optimization:PullPipelining",
];

/// The target set of testkit's guide for a driver speaking Bolt 4.4 and
/// 5.0-5.8, claimed instead of [`FEATURES`] when the environment variable
/// [`CLAIMS_VARIABLE`] is `recommended`: it measures how much of the suite
/// the full feature set reaches (tests of flags the driver lacks then fail
/// with a `BackendError` naming what is missing).
pub(crate) const RECOMMENDED: &[&str] = &[
    "Feature:Bolt:4.4",
    "Feature:Bolt:5.0",
    "Feature:Bolt:5.1",
    "Feature:Bolt:5.2",
    "Feature:Bolt:5.3",
    "Feature:Bolt:5.4",
    "Feature:Bolt:5.6",
    "Feature:Bolt:5.7",
    "Feature:Bolt:Patch:UTC",
    "Feature:API:BookmarkManager",
    "Feature:API:ConnectionAcquisitionTimeout",
    "Feature:API:Driver.ExecuteQuery",
    "Feature:API:Driver.ExecuteQuery:WithAuth",
    "Feature:API:Driver:GetServerInfo",
    "Feature:API:Driver.IsEncrypted",
    "Feature:API:Driver:NotificationsConfig",
    "Feature:API:Driver.VerifyAuthentication",
    "Feature:API:Driver.VerifyConnectivity",
    "Feature:API:Driver.SupportsSessionAuth",
    "Feature:API:Liveness.Check",
    "Feature:API:Result.List",
    "Feature:API:Result.Peek",
    "Feature:API:Result.Single",
    "Feature:API:Result.SingleOptional",
    "Feature:API:RetryableExceptions",
    "Feature:API:Session:AuthConfig",
    "Feature:API:Session:NotificationsConfig",
    "Feature:API:Summary:GqlStatusObjects",
    "Feature:API:Type.Spatial",
    "Feature:API:Type.Temporal",
    "Feature:API:SSLConfig",
    "Feature:API:SSLSchemes",
    "Feature:Auth:Bearer",
    "Feature:Auth:Custom",
    "Feature:Auth:Kerberos",
    "Feature:Auth:Managed",
    "Feature:Impersonation",
    "Feature:TLS:1.2",
    "Feature:TLS:1.3",
    "AuthorizationExpiredTreatment",
    "ConfHint:connection.recv_timeout_seconds",
    "Backend:MockTime",
    "Backend:RTFetch",
    "Backend:RTForceUpdate",
    "Optimization:ConnectionReuse",
    "Optimization:EagerTransactionBegin",
    "Optimization:ImplicitDefaultArguments",
    "Optimization:MinimalResets",
    "Optimization:PullPipelining",
    "Optimization:ExecuteQueryPipelining",
    "Optimization:AuthPipelining",
    "Optimization:MinimalBookmarksSet",
    "Optimization:MinimalVerifyAuthentication",
];

/// The flags of [`RECOMMENDED`] that are not claimed, and why.
pub(crate) const NOT_CLAIMED: &[(&str, &str)] = &[
    (
        "Feature:API:Driver.ExecuteQuery",
        "no driver-level `execute_query`",
    ),
    (
        "Feature:API:Driver.ExecuteQuery:WithAuth",
        "no driver-level `execute_query`",
    ),
    (
        "Optimization:ExecuteQueryPipelining",
        "no driver-level `execute_query`",
    ),
    ("Feature:Auth:Managed", "no auth token managers"),
    ("Feature:API:Session:AuthConfig", "no session-level auth"),
    (
        "Feature:API:Driver.SupportsSessionAuth",
        "no session-level auth",
    ),
    (
        "Feature:API:Driver.VerifyAuthentication",
        "no `verify_authentication`",
    ),
    (
        "Optimization:MinimalVerifyAuthentication",
        "no `verify_authentication`",
    ),
    (
        "Feature:API:Driver:NotificationsConfig",
        "no notification filters",
    ),
    (
        "Feature:API:Session:NotificationsConfig",
        "no notification filters",
    ),
    ("Feature:API:Result.Peek", "results have no peek"),
    (
        "Feature:API:Result.SingleOptional",
        "results have no optional single",
    ),
    (
        "Feature:API:Summary:GqlStatusObjects",
        "GQL statuses are exposed as a 5.6+ server sends them; none are synthesized for 4.4 servers",
    ),
    (
        "Feature:API:Driver.IsEncrypted",
        "no `Driver::is_encrypted`",
    ),
    (
        "AuthorizationExpiredTreatment",
        "other pooled connections are not retired after `AuthorizationExpired`",
    ),
    (
        "Optimization:EagerTransactionBegin",
        "transaction functions send BEGIN with their first query",
    ),
    (
        "Optimization:ImplicitDefaultArguments",
        "`qid` of the latest result and empty custom auth fields are sent explicitly",
    ),
    (
        "Backend:MockTime",
        "the driver's clock cannot be replaced from outside",
    ),
    (
        "Backend:RTFetch",
        "routing tables are not part of the public API",
    ),
    (
        "Backend:RTForceUpdate",
        "routing tables are not part of the public API",
    ),
];

/// The environment variable that selects the claimed set: unset (or
/// `driver`) for [`FEATURES`], `recommended` for [`RECOMMENDED`].
pub(crate) const CLAIMS_VARIABLE: &str = "NEO_TESTKIT_CLAIMS";

/// The flags to claim, as the environment selects them.
pub(crate) fn claimed() -> Result<&'static [&'static str], String> {
    match std::env::var(CLAIMS_VARIABLE) {
        Err(std::env::VarError::NotPresent) => Ok(FEATURES),
        Ok(value) if value == "driver" => Ok(FEATURES),
        Ok(value) if value == "recommended" => Ok(RECOMMENDED),
        Ok(other) => Err(format!(
            "{CLAIMS_VARIABLE}={other:?}: expected `driver` or `recommended`"
        )),
        Err(error) => Err(format!("{CLAIMS_VARIABLE}: {error}")),
    }
}

/// Why the tests of [`ERROR_CLASS_ONLY`] are declined.
const ERROR_CLASS_REASON: &str = "the driver passes every check of this test but one: the \
     test asserts an official driver's exception class and fails any other driver by name \
     (`no error mapping is defined`); testkit has no generic path for that assertion";

/// Tests that pass, with the driver and this backend, everything but the
/// official drivers' exception class names (verified with those
/// assertions taken out of a copy of testkit).
const ERROR_CLASS_ONLY: &[&str] = &[];

/// The reason the backend declines a test, if it does.
fn skip_reason(test_name: &str) -> Option<&'static str> {
    ERROR_CLASS_ONLY
        .contains(&test_name)
        .then_some(ERROR_CLASS_REASON)
}

/// The answer to `StartTest`.
pub(crate) fn start_test(test_name: &str) -> Response {
    match skip_reason(test_name) {
        Some(reason) => Response::SkipTest {
            reason: reason.to_owned(),
        },
        None => Response::RunTest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_unique_and_inside_the_recommended_set() {
        let mut seen = std::collections::HashSet::new();
        for flag in FEATURES {
            assert!(seen.insert(flag), "{flag} claimed twice");
            assert!(
                RECOMMENDED.contains(flag),
                "{flag} is not a flag of the target set"
            );
        }
        assert!(!FEATURES.contains(&"Feature:Bolt:5.5"));
    }

    #[test]
    fn every_recommended_flag_is_claimed_or_has_a_reason() {
        for flag in RECOMMENDED {
            let claimed = FEATURES.contains(flag);
            let explained = NOT_CLAIMED.iter().any(|(name, _)| name == flag);
            assert!(
                claimed != explained,
                "{flag}: claimed {claimed}, explained {explained}"
            );
        }
        assert_eq!(FEATURES.len() + NOT_CLAIMED.len(), RECOMMENDED.len());
    }

    #[test]
    fn unknown_tests_run_and_declined_ones_say_why() {
        assert_eq!(start_test("stub.no.such.Test.test"), Response::RunTest);
        let Response::SkipTest { reason } = start_test(ERROR_CLASS_ONLY[0]) else {
            panic!("not skipped");
        };
        assert!(reason.contains("exception class"));
    }
}
