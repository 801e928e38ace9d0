//! The curated data the wizard offers: service principals, OIDC presets, managed policies,
//! action presets and ARN placeholder hints.
//!
//! The TUI's one window onto `catalog::curated`, so the screens depend on a handful of
//! functions rather than on the curated file layout.

use crate::catalog::curated::{
    ManagedPolicy, ManagedPolicyRisk, OidcPreset, PlaceholderHint, Preset, ServicePrincipal,
    curated,
};

/// AWS service principals, in the curated order.
pub fn principals() -> &'static [ServicePrincipal] {
    &curated().principals
}

/// The curated entry of a service principal.
pub fn principal(principal: &str) -> Option<&'static ServicePrincipal> {
    curated().principal(principal)
}

/// AWS managed policies workload roles commonly attach.
pub fn managed_policies() -> &'static [ManagedPolicy] {
    &curated().managed_policies
}

/// The curated entry of a managed policy, by name or ARN.
pub fn managed_info(name_or_arn: &str) -> Option<&'static ManagedPolicy> {
    curated().managed_policy(name_or_arn)
}

/// Presets for one service.
pub fn presets_for(service: &str) -> Vec<&'static Preset> {
    curated()
        .presets
        .iter()
        .filter(|p| p.service.eq_ignore_ascii_case(service))
        .collect()
}

/// OIDC presets other than GitHub's (the role file has a dedicated `github` trust).
pub fn oidc_presets() -> Vec<&'static OidcPreset> {
    curated()
        .oidc_presets
        .iter()
        .filter(|p| p.family != "github")
        .collect()
}

/// Hint (example, default, help) for an ARN placeholder such as `BucketName`.
pub fn placeholder_hint(name: &str) -> Option<&'static PlaceholderHint> {
    curated().placeholder_hint(name)
}

/// A short label for a risk rating.
pub fn risk_label(r: ManagedPolicyRisk) -> &'static str {
    match r {
        ManagedPolicyRisk::Fine => "fine",
        ManagedPolicyRisk::Moderate => "moderate",
        ManagedPolicyRisk::Broad => "broad",
        ManagedPolicyRisk::Admin => "admin",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wizard_has_data_to_offer() {
        assert!(principal("lambda.amazonaws.com").is_some());
        assert!(managed_info("AWSLambdaBasicExecutionRole").is_some());
        assert!(!presets_for("s3").is_empty());
        assert!(oidc_presets().iter().all(|p| p.family != "github"));
        assert!(!oidc_presets().is_empty());
    }
}
