//! What the backend claims (`GetFeatures`) and its answer to `StartTest`.

use crate::protocol::responses::Response;

/// The flags of testkit's recommended set that are claimed: every API,
/// configuration and optimisation flag whose behaviour the driver has, and
/// every Bolt version of the set. The flags left out are in
/// [`NOT_CLAIMED`], each with the reason; those claimed beyond the set in
/// [`BEYOND_RECOMMENDED`].
pub(crate) const FEATURES: &[&str] = RECOMMENDED;

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
pub(crate) const NOT_CLAIMED: &[(&str, &str)] = &[];

/// Flags claimed beyond the recommended set: behaviour the driver has too,
/// whose tests pass (Bolt 4.3, which Neo4j 4.3 speaks).
pub(crate) const BEYOND_RECOMMENDED: &[&str] = &["Feature:Bolt:4.3"];

/// Which set of flags the backend claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Claims {
    /// What the driver does: [`FEATURES`] and [`BEYOND_RECOMMENDED`].
    Driver,
    /// Testkit's recommended set, [`RECOMMENDED`], whatever the driver does.
    Recommended,
}

impl Claims {
    /// The flags claimed.
    pub(crate) fn flags(self) -> Vec<&'static str> {
        match self {
            Claims::Driver => FEATURES.iter().chain(BEYOND_RECOMMENDED).copied().collect(),
            Claims::Recommended => RECOMMENDED.to_vec(),
        }
    }
}

/// The environment variable that selects the claimed set: unset (or
/// `driver`) for [`FEATURES`], `recommended` for [`RECOMMENDED`].
pub(crate) const CLAIMS_VARIABLE: &str = "NEO_TESTKIT_CLAIMS";

/// The flags to claim, as the environment selects them.
pub(crate) fn claimed() -> Result<Claims, String> {
    match std::env::var(CLAIMS_VARIABLE) {
        Err(std::env::VarError::NotPresent) => Ok(Claims::Driver),
        Ok(value) if value == "driver" => Ok(Claims::Driver),
        Ok(value) if value == "recommended" => Ok(Claims::Recommended),
        Ok(other) => Err(format!(
            "{CLAIMS_VARIABLE}={other:?}: expected `driver` or `recommended`"
        )),
        Err(error) => Err(format!("{CLAIMS_VARIABLE}: {error}")),
    }
}

/// The answer to `StartTest`: every test runs. The backend declines
/// none, so every failure shows in the results (including the tests that
/// assert an official driver's exception class and fail any other
/// driver by name).
pub(crate) fn start_test(_test_name: &str) -> Response {
    Response::RunTest
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
    fn the_driver_claims_the_recommended_flags_and_bolt_4_3() {
        let flags = Claims::Driver.flags();
        assert_eq!(flags.len(), FEATURES.len() + BEYOND_RECOMMENDED.len());
        assert!(flags.contains(&"Feature:Bolt:4.3"));
        assert!(!RECOMMENDED.contains(&"Feature:Bolt:4.3"));
        assert!(FEATURES.iter().all(|flag| flags.contains(flag)));
        assert_eq!(Claims::Recommended.flags(), RECOMMENDED);
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
    fn every_test_runs() {
        assert_eq!(start_test("stub.no.such.Test.test"), Response::RunTest);
        assert_eq!(
            start_test(
                "stub.iteration.test_result_single.TestResultSingle.test_result_single_with_0_records"
            ),
            Response::RunTest
        );
    }
}
