//! ARNs that are well formed but can name nothing, by AWS's naming rules: a region that
//! does not exist (or belongs to another partition), an S3 bucket name no bucket can have,
//! a Secrets Manager secret without its random suffix, an SSM parameter written with a
//! double slash. Such a statement grants nothing for that resource and the workload fails
//! with AccessDenied.
//!
//! Codes: `invalid-arn` (the region), `resource-never-matches` (the others). Wildcards and
//! `${…}` placeholders stand for text we cannot judge: only literal text is checked.

use crate::catalog::regions;
use crate::policy::arn::ArnParts;

/// What is wrong with an ARN: the code, a message, and a resource that would match.
pub(crate) struct ArnProblem {
    pub code: &'static str,
    pub message: String,
    pub instead: Option<String>,
}

fn literal(s: &str) -> bool {
    !s.contains(['*', '?']) && !s.contains("${")
}

/// The first problem of `arn` (written as `raw`), if any.
pub(crate) fn check(arn: &ArnParts<'_>, raw: &str) -> Option<ArnProblem> {
    region(arn)
        .or_else(|| bucket(arn))
        .or_else(|| secret(arn, raw))
        .or_else(|| parameter(arn, raw))
}

fn region(arn: &ArnParts<'_>) -> Option<ArnProblem> {
    if arn.region.is_empty() || !literal(arn.region) || !regions::known() {
        return None;
    }
    match regions::partition_of(arn.region) {
        Some(p) if literal(arn.partition) && p != arn.partition => Some(ArnProblem {
            code: "invalid-arn",
            message: format!(
                "the region \"{}\" is in partition {p}, not {}: this ARN names nothing",
                arn.region, arn.partition
            ),
            instead: None,
        }),
        Some(_) => None,
        None => {
            let nearest = regions::nearest(arn.region);
            let instead = nearest.map(|r| {
                let mut fixed = arn.to_arn();
                fixed.region = r.to_string();
                fixed.to_string()
            });
            Some(ArnProblem {
                code: "invalid-arn",
                message: format!(
                    "the region \"{}\" is not an AWS region{}",
                    arn.region,
                    nearest
                        .map(|r| format!(" (did you mean {r}?)"))
                        .unwrap_or_default()
                ),
                instead,
            })
        }
    }
}

/// S3 bucket names: at most 63 characters of lower-case letters, digits, dots and hyphens,
/// starting and ending with a letter or digit, no two dots together.
fn bucket(arn: &ArnParts<'_>) -> Option<ArnProblem> {
    if arn.service != "s3" || !arn.region.is_empty() || !arn.account.is_empty() {
        return None;
    }
    let name = arn.resource.split('/').next().unwrap_or("");
    if name.contains("${") {
        return None;
    }
    let never = |why: &str| {
        Some(ArnProblem {
            code: "resource-never-matches",
            message: format!(
                "\"{name}\" is not a bucket name ({why}): no bucket matches arn:{}:s3:::{}",
                arn.partition, arn.resource
            ),
            instead: None,
        })
    };
    let pattern = name.contains(['*', '?']);
    if let Some(c) = name
        .chars()
        .find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '.' | '-' | '*' | '?'))
    {
        let legacy = c.is_ascii_uppercase() || c == '_';
        // A pattern with upper case (`*SageMaker*`) is how AWS's own policies cover the
        // buckets made before March 2018, which could have such names: only a name
        // written out is surely a typo.
        if legacy && pattern {
            return None;
        }
        let legacy = if legacy {
            "; only buckets made in us-east-1 before March 2018 may break this rule"
        } else {
            ""
        };
        return never(&format!(
            "{c:?} is not allowed: bucket names are lower-case letters, digits, dots and hyphens{legacy}"
        ));
    }
    if name.contains("..") {
        return never("two dots in a row");
    }
    // (Names shorter than 3 characters are left alone: one-letter names are the usual
    // placeholder of examples, and the character rules catch the real typos.)
    if !name.contains('*') && name.chars().count() > 63 {
        return never("bucket names are at most 63 characters long");
    }
    let first = name.chars().next();
    let last = name.chars().last();
    if first.is_some_and(|c| c == '.' || c == '-') || last.is_some_and(|c| c == '.' || c == '-') {
        return never("it must start and end with a letter or digit");
    }
    None
}

/// A secret's ARN ends in `-` and six random characters: `secret:db-creds` names nothing,
/// `secret:db-creds-??????` (or `db-creds-*`) names the secret `db-creds`.
fn secret(arn: &ArnParts<'_>, raw: &str) -> Option<ArnProblem> {
    if arn.service != "secretsmanager" {
        return None;
    }
    let name = arn.resource.strip_prefix("secret:")?;
    if name.is_empty() || name.contains('*') || name.contains("${") {
        return None;
    }
    let chars: Vec<char> = name.chars().collect();
    let n = chars.len();
    let suffixed = n >= 7
        && matches!(chars[n - 7], '-' | '?')
        && chars[n - 6..]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == '?');
    if suffixed {
        return None;
    }
    Some(ArnProblem {
        code: "resource-never-matches",
        message: format!(
            "{raw} names no secret: a secret's ARN ends in -XXXXXX (six random characters Secrets Manager adds); write {raw}-?????? to match the secret \"{name}\""
        ),
        instead: Some(format!("{raw}-??????")),
    })
}

/// `parameter//app` names nothing: the ARN of the parameter `/app` is `parameter/app`.
fn parameter(arn: &ArnParts<'_>, raw: &str) -> Option<ArnProblem> {
    if arn.service != "ssm" {
        return None;
    }
    let path = arn.resource.strip_prefix("parameter/")?;
    if !path.starts_with('/') {
        return None;
    }
    let mut fixed = arn.to_arn();
    fixed.resource = format!("parameter/{}", path.trim_start_matches('/'));
    let fixed = fixed.to_string();
    Some(ArnProblem {
        code: "resource-never-matches",
        message: format!(
            "{raw} names no parameter: the ARN of the parameter /{} is {fixed} (one slash after parameter)",
            path.trim_start_matches('/')
        ),
        instead: Some(fixed),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(raw: &str) -> Option<(&'static str, String)> {
        check(&ArnParts::parse(raw).unwrap(), raw).map(|p| (p.code, p.message))
    }

    #[test]
    fn arns_that_can_never_match() {
        let (code, message) = problem("arn:aws:sqs:eu-wst-1:123456789012:q").unwrap();
        assert_eq!(code, "invalid-arn");
        assert!(message.contains("did you mean eu-west-1?"), "{message}");
        assert!(problem("arn:aws:sqs:cn-north-1:123456789012:q").is_some());
        assert!(problem("arn:aws-cn:sqs:cn-north-1:123456789012:q").is_none());
        assert!(problem("arn:aws:sqs:*:123456789012:q").is_none());
        assert_eq!(
            problem("arn:aws:s3:::My_Bucket/*").unwrap().0,
            "resource-never-matches"
        );
        assert!(problem(&format!("arn:aws:s3:::{}", "a".repeat(64))).is_some());
        assert!(problem("arn:aws:s3:::-bucket").is_some());
        assert!(problem("arn:aws:s3:::my-bucket-*").is_none());
        assert!(problem("arn:aws:s3:::logs-??/*").is_none());
        assert!(problem("arn:aws:s3:::*SageMaker*").is_none());
        assert!(problem("arn:aws:s3:::${aws:PrincipalTag/bucket}/*").is_none());
        assert!(problem("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-creds").is_some());
        for ok in [
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-creds-??????",
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-creds-a1B2c3",
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-*",
        ] {
            assert!(problem(ok).is_none(), "{ok}");
        }
        let (_, message) = problem("arn:aws:ssm:eu-west-1:123456789012:parameter//app").unwrap();
        assert!(
            message.contains("arn:aws:ssm:eu-west-1:123456789012:parameter/app"),
            "{message}"
        );
        assert!(problem("arn:aws:ssm:eu-west-1:123456789012:parameter/app/*").is_none());
    }
}
