//! What the backend claims (`GetFeatures`) and which tests it declines
//! (`StartTest`).

use crate::protocol::responses::Response;

/// The flags claimed: every Bolt version the driver negotiates that this
/// testkit revision knows, and every API, configuration and optimisation
/// flag whose behaviour the driver has and whose tests pass. The flags left
/// out, and why, are listed in the README's conformance section.
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
    "Optimization:ImplicitDefaultArguments",
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

/// Tests the backend declines, with the reason. Each names a behaviour the
/// driver deliberately does not have, or a test that cannot pass for any
/// driver testkit does not know by name.
const SKIPPED: &[(&str, &str)] = &[];

/// The answer to `StartTest`.
pub(crate) fn start_test(test_name: &str) -> Response {
    match SKIPPED.iter().find(|(name, _)| *name == test_name) {
        Some((_, reason)) => Response::SkipTest {
            reason: (*reason).to_owned(),
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
    fn unknown_tests_run() {
        assert_eq!(start_test("stub.no.such.Test.test"), Response::RunTest);
    }
}
