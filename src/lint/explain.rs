//! The finding codes of guide §7 with their severities and explanations.
//!
//! This table is the single list of codes: checks take their default severity from it,
//! `rolesmith explain` prints it, SARIF rules are generated from it, and a test makes sure
//! every code has a bad example in `tests/policies/bad/`.

use super::finding::Severity;

/// One finding code and what `explain` says about it.
#[derive(Clone, Copy, Debug)]
pub struct CodeInfo {
    pub code: &'static str,
    pub severity: Severity,
    /// One line: what fires it.
    pub title: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// A bad example (a policy fragment).
    pub bad: &'static str,
    /// The same example, fixed.
    pub good: &'static str,
}

use Severity::{Error as E, Suggestion as S, Warning as W};

macro_rules! code {
    ($code:literal, $sev:expr, $title:literal, $why:literal, $fix:literal, $bad:literal, $good:literal) => {
        CodeInfo {
            code: $code,
            severity: $sev,
            title: $title,
            why: $why,
            fix: $fix,
            bad: $bad,
            good: $good,
        }
    };
}

/// Every code, in the guide's order.
pub const CODES: &[CodeInfo] = &[
    code!(
        "json-syntax",
        E,
        "The text is not valid JSON, or writes a key twice in one object.",
        "IAM rejects the document outright; nothing else can be checked until it parses. A repeated key (two \"Statement\" keys) is refused too: JSON readers disagree on which one counts, so a reviewer may see one statement and AWS another.",
        "Look at the line and column reported: usually a missing comma, a trailing comma or an unquoted key.",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",}]}"#,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#
    ),
    code!(
        "invalid-element",
        E,
        "An element has the wrong type, an unknown key, a wrong value (such as Effect \"allow\") or a character IAM does not accept.",
        "IAM's policy grammar is strict and case-sensitive: an unknown key like `Actions` is rejected, and a lower-case `allow` is not `Allow`. Characters are checked after JSON escapes are decoded, so \\u0430 (a Cyrillic look-alike of a) fails as the raw character does.",
        "Use the exact key names (Version, Id, Statement, Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource, Condition) and value types: strings or arrays of strings; only tab, LF, CR and U+0020-U+00FF characters.",
        r#"{"Effect": "allow", "Actions": "s3:GetObject", "Resource": "*"}"#,
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#
    ),
    code!(
        "missing-element",
        E,
        "A required element is missing: Effect, Action/NotAction, Resource/NotResource (permission policy) or Principal (trust policy).",
        "IAM refuses a statement without them; a permission policy statement without a resource grants nothing.",
        "Add the missing element.",
        r#"{"Effect": "Allow", "Action": "s3:GetObject"}"#,
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#
    ),
    code!(
        "invalid-version",
        E,
        "Version is neither 2012-10-17 nor 2008-10-17.",
        "IAM only knows these two versions; a date you make up is rejected.",
        "Use \"Version\": \"2012-10-17\" (the current version, needed for policy variables).",
        r#"{"Version": "2024-01-01", "Statement": []}"#,
        r#"{"Version": "2012-10-17", "Statement": []}"#
    ),
    code!(
        "missing-version",
        W,
        "The document has no Version.",
        "Without it IAM uses the 2008-10-17 language, in which policy variables such as ${aws:username} are plain text.",
        "Add \"Version\": \"2012-10-17\" at the top.",
        r#"{"Statement": [...]}"#,
        r#"{"Version": "2012-10-17", "Statement": [...]}"#
    ),
    code!(
        "duplicate-sid",
        E,
        "Two statements share a Sid.",
        "IAM requires Sids to be unique within a policy, and duplicates make reviews and error messages ambiguous.",
        "Rename one of them.",
        r#"[{"Sid": "Read", ...}, {"Sid": "Read", ...}]"#,
        r#"[{"Sid": "ReadObjects", ...}, {"Sid": "ReadTable", ...}]"#
    ),
    code!(
        "invalid-sid",
        E,
        "A Sid holds characters other than A-Z, a-z and 0-9.",
        "IAM accepts only ASCII letters and digits in identity policy Sids.",
        "Remove spaces, hyphens and other punctuation.",
        r#"{"Sid": "read-objects", ...}"#,
        r#"{"Sid": "ReadObjects", ...}"#
    ),
    code!(
        "action-format",
        E,
        "An action is not of the form service:Action.",
        "IAM rejects it, or it never matches a request, so the permission you meant to grant is missing.",
        "Write the service prefix, a colon and the action name; wildcards are allowed in the action part only.",
        r#""Action": "s3 GetObject""#,
        r#""Action": "s3:GetObject""#
    ),
    code!(
        "unknown-action",
        E,
        "The service is known but no action of it matches.",
        "A misspelt action grants nothing: the workload fails with AccessDenied at run time.",
        "Use the closest name the message suggests, or look it up with `rolesmith catalog actions SERVICE`.",
        r#""Action": "s3:GetObjects""#,
        r#""Action": "s3:GetObject""#
    ),
    code!(
        "unknown-service",
        W,
        "The service prefix is not in the loaded catalog.",
        "The prefix may be misspelt, or the embedded catalog may simply not cover the service, so this is not a certain error.",
        "Check the prefix; run `rolesmith catalog update` to load AWS's full service list.",
        r#""Action": "s4:GetObject""#,
        r#""Action": "s3:GetObject""#
    ),
    code!(
        "invalid-arn",
        E,
        "A resource is not a well-formed ARN (parts, partition, region, account id or service case).",
        "A malformed ARN matches no resource, so the statement grants nothing or IAM rejects it.",
        "Write arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE with a 12-digit account id and a lower-case service.",
        r#""Resource": "arn:aws:S3::my-bucket""#,
        r#""Resource": "arn:aws:s3:::my-bucket""#
    ),
    code!(
        "resource-never-matches",
        E,
        "A well-formed ARN that names nothing AWS can have: a secret without its random suffix, an SSM parameter written with a double slash, an S3 bucket name no bucket can have.",
        "The statement grants nothing for that resource: the workload fails with AccessDenied although the policy looks right.",
        "A secret's ARN ends in -XXXXXX (six random characters): write secret:NAME-?????? or name the full ARN. The ARN of the parameter /app is parameter/app. Bucket names are lower-case letters, digits, dots and hyphens.",
        r#""Resource": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-creds""#,
        r#""Resource": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-creds-??????""#
    ),
    code!(
        "resource-mismatch",
        E,
        "An action applies to none of the statement's resources.",
        "The classic mistake: s3:PutObject granted on the bucket ARN instead of the objects in it. The statement grants nothing for that action and the workload fails with AccessDenied.",
        "Use the ARN form the action needs (the message shows it); when bucket- and object-level actions share a statement, split it.",
        r#"{"Action": "s3:PutObject", "Resource": "arn:aws:s3:::my-bucket"}"#,
        r#"{"Action": "s3:PutObject", "Resource": "arn:aws:s3:::my-bucket/*"}"#
    ),
    code!(
        "unknown-condition-operator",
        E,
        "A condition operator is not one IAM knows.",
        "IAM rejects the policy; operators are case-sensitive and only some take IfExists or ForAllValues:/ForAnyValue:.",
        "Use one of IAM's operators (StringEquals, StringLike, ArnLike, NumericLessThan, DateGreaterThan, Bool, IpAddress, Null, ...).",
        r#""Condition": {"StringEqual": {"aws:SourceAccount": "111122223333"}}"#,
        r#""Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}"#
    ),
    code!(
        "condition-type-mismatch",
        W,
        "The operator does not fit the condition key's type.",
        "IAM compares the value with the wrong semantics and the condition never matches (or always fails), silently.",
        "Use an operator of the key's type: IpAddress for aws:SourceIp, Numeric* for numbers, Date* for dates, Arn* for ARNs, Bool for booleans.",
        r#""Condition": {"NumericLessThan": {"aws:SourceIp": "10.0.0.0/8"}}"#,
        r#""Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#
    ),
    code!(
        "condition-key-not-applicable",
        W,
        "A service condition key that no action of the statement supports.",
        "IAM treats a key absent from the request as not matching, so the statement never applies (Allow) or never protects (Deny).",
        "Use a key the actions support (see `rolesmith catalog show SERVICE:ACTION`), or move the condition to the statement of the actions that support it.",
        r#"{"Action": "s3:GetObject", "Condition": {"StringEquals": {"s3:x-amz-acl": "private"}}}"#,
        r#"{"Action": "s3:PutObject", "Condition": {"StringEquals": {"s3:x-amz-acl": "private"}}}"#
    ),
    code!(
        "policy-too-large",
        E,
        "The policy is over IAM's size quota (characters without whitespace): trust 2,048; managed 6,144; inline policies of a role together 10,240.",
        "IAM refuses to save it; the deployment fails.",
        "Merge statements that share resources, use wildcards in action names sparingly and carefully, or move permissions into a customer managed policy.",
        r#"(a 12,000-character inline policy)"#,
        r#"(statements merged, or part moved to a managed policy)"#
    ),
    code!(
        "unknown-managed-policy",
        E,
        "An AWS managed policy ARN that AWS does not have: a wrong path or case, a name that does not exist, or a deprecated policy.",
        "The path is part of the ARN (service-role/, job-function/, aws-service-role/): arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole does not exist, and attaching it fails at deploy time.",
        "Use the ARN the message gives, or write the policy's name in the role file and let rolesmith find its ARN.",
        r#"managed_policies = ["arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole"]"#,
        r#"managed_policies = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]"#
    ),
    code!(
        "too-many-managed-policies",
        W,
        "More than 10 managed policies are attached to the role.",
        "10 is IAM's default quota (20 with an increase); creating the role fails without the increase.",
        "Merge policies, or request a quota increase.",
        r#"managed_policies = [11 policies]"#,
        r#"managed_policies = [up to 10 policies]"#
    ),
    code!(
        "action-wildcard",
        W,
        "The statement allows `*` or `service:*`.",
        "It grants every action of the service, including future ones and the Permissions management actions that let the holder change who can do what.",
        "List the actions the workload calls.",
        r#""Action": "s3:*""#,
        r#""Action": ["s3:GetObject", "s3:PutObject"]"#
    ),
    code!(
        "action-wildcard-partial",
        S,
        "An action name with a wildcard, such as s3:Get*; the finding lists what it expands to (a warning when that includes Permissions management).",
        "Wildcards grant more than they seem to, and they grow when AWS adds actions.",
        "Replace the wildcard by the actions you need.",
        r#""Action": "s3:Get*""#,
        r#""Action": ["s3:GetObject", "s3:GetObjectVersion"]"#
    ),
    code!(
        "resource-wildcard",
        W,
        "`*` as resource for an action that supports resource-level permissions.",
        "The action works on every resource of its type in the account, not just the one the workload needs.",
        "Name the resource with the ARN template the message shows. Actions that only work on `*` never get this finding.",
        r#"{"Action": "dynamodb:GetItem", "Resource": "*"}"#,
        r#"{"Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders"}"#
    ),
    code!(
        "allow-not-action",
        W,
        "An Allow statement with NotAction.",
        "Allow + NotAction grants everything except the listed actions, including every action AWS adds later.",
        "List the allowed actions with Action; keep NotAction for Deny guardrails.",
        r#"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#,
        r#"{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::b/*"}"#
    ),
    code!(
        "allow-not-resource",
        W,
        "An Allow statement with NotResource.",
        "Allow + NotResource grants the actions on every resource except the listed ones, including resources created later.",
        "List the allowed resources with Resource.",
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"}"#,
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::public/*"}"#
    ),
    code!(
        "pass-role-wildcard",
        W,
        "iam:PassRole is allowed on `*`.",
        "The holder can hand any role of the account, administrators included, to a service it controls: a direct path to privilege escalation.",
        "Name the role(s) that may be passed and restrict the receiving service with iam:PassedToService.",
        r#"{"Action": "iam:PassRole", "Resource": "*"}"#,
        r#"{"Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/app-task", "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}}"#
    ),
    code!(
        "permissions-management",
        W,
        "The statement allows actions of the Permissions management access level.",
        "These actions change who may do what (ACLs, resource policies, IAM): s3:PutObjectAcl can make objects public. Workloads rarely need them.",
        "Remove them unless the workload really manages permissions; if it does, scope them to exact resources and add conditions (e.g. s3:x-amz-acl), or accept the finding with a reason.",
        r#""Action": ["s3:PutObject", "s3:PutObjectAcl"]"#,
        r#""Action": ["s3:PutObject"]"#
    ),
    code!(
        "privilege-escalation",
        W,
        "The allowed actions complete a known privilege escalation path.",
        "Together these actions let the holder grant itself more permissions than the policy shows (e.g. iam:PassRole with lambda:CreateFunction and lambda:InvokeFunction runs code as any role).",
        "Remove one of the actions, or scope them (a role ARN for iam:PassRole, exact resources, conditions).",
        r#""Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*""#,
        r#""Action": "ec2:RunInstances" ... and iam:PassRole only on arn:aws:iam::123456789012:role/app-instance"#
    ),
    code!(
        "data-exfiltration",
        W,
        "Sensitive reads on `*` (object contents, secrets, parameters, ...).",
        "Reading every object, secret or parameter of the account is what an attacker holding the credentials wants.",
        "Scope the read to the resources the workload needs.",
        r#"{"Action": "secretsmanager:GetSecretValue", "Resource": "*"}"#,
        r#"{"Action": "secretsmanager:GetSecretValue", "Resource": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-*"}"#
    ),
    code!(
        "credentials-exposure",
        W,
        "Actions that return credentials (iam:CreateAccessKey, ecr:GetAuthorizationToken, ...).",
        "Credentials outlive the role session and can be used from anywhere.",
        "Make sure the workload needs them; scope them to exact resources where the action allows it.",
        r#""Action": "iam:CreateAccessKey", "Resource": "*""#,
        r#"(no credentials-returning action, or one scoped to one user)"#
    ),
    code!(
        "trust-any-principal",
        E,
        "The trust policy lets anyone (`*` or {\"AWS\": \"*\"}) assume the role, without a restricting condition.",
        "Any AWS account in the world can assume the role.",
        "Name the principal, or restrict with a condition such as aws:PrincipalOrgID.",
        r#"{"Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}"#,
        r#"{"Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}"#
    ),
    code!(
        "trust-action-mismatch",
        E,
        "The principal type and the action disagree.",
        "Services and accounts assume roles with sts:AssumeRole, OIDC providers with sts:AssumeRoleWithWebIdentity, SAML with sts:AssumeRoleWithSAML; the wrong one means nobody can assume the role.",
        "Use the action that matches the principal (sts:TagSession and sts:SetSourceIdentity may accompany it).",
        r#"{"Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRole"}"#,
        r#"{"Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}"#
    ),
    code!(
        "trust-has-resource",
        E,
        "A trust policy statement has Resource or NotResource.",
        "IAM rejects trust policies with a resource: the role itself is the resource.",
        "Remove Resource/NotResource from the trust policy.",
        r#"{"Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}"#,
        r#"{"Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}"#
    ),
    code!(
        "trust-cross-account",
        W,
        "Another account may assume the role with no sts:ExternalId or MFA condition.",
        "A third party trusted without an External ID can be tricked into acting for another of its customers (the confused deputy); people without MFA are weaker principals.",
        "Add an sts:ExternalId condition for third parties, or aws:MultiFactorAuthPresent for people.",
        r#"{"Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}"#,
        r#"{"Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "abc-123"}}}"#
    ),
    code!(
        "trust-oidc-unrestricted",
        W,
        "OIDC trust without a `sub` condition, or a GitHub `sub` that matches any repository.",
        "Every identity of the provider (for GitHub: every workflow of every repository on github.com) can assume the role.",
        "Add a sub condition naming the repository and branch or environment (repo:OWNER/REPO:ref:refs/heads/main).",
        r#""Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}"#,
        r#""Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:octo-org/app:ref:refs/heads/main"}}"#
    ),
    code!(
        "trust-principal-missing",
        E,
        "The trust policy does not let the principal given with --assumed-by (or listed in the role file's `assumed_by`) assume the role.",
        "The workload cannot assume the role: typically the role was created for EC2 and picked for a Lambda function.",
        "Add the principal to the trust policy (a Service principal with sts:AssumeRole for services).",
        r#"{"Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}  (lint --assumed-by lambda.amazonaws.com)"#,
        r#"{"Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}"#
    ),
    code!(
        "expectation-failed",
        E,
        "An [[expect]] entry of the role file does not hold: the simulator allows what must be denied, or does not allow what must be allowed.",
        "The role will not do what its author said it must (the function gets AccessDenied at run time), or it can do what it must not.",
        "Read the reason: it names the statement that decides and what did not match (the action, the resource part by part, a condition). Fix the statement, or the expectation if it was wrong. `rolesmith simulate ROLE` shows every expectation.",
        r#"[[policy.statement]] actions = ["s3:PutObject"], resources = ["arn:aws:s3:::my-bucket"]  with  [[expect]] allow = "s3:PutObject", resource = "arn:aws:s3:::my-bucket/out.txt""#,
        r#"[[policy.statement]] actions = ["s3:PutObject"], resources = ["arn:aws:s3:::my-bucket/*"]  with  [[expect]] allow = "s3:PutObject", resource = "arn:aws:s3:::my-bucket/out.txt""#
    ),
    code!(
        "trust-confused-deputy",
        S,
        "A service principal without an aws:SourceAccount or aws:SourceArn condition, for a service that sends them.",
        "Without them the service may assume the role on behalf of another account's resources (the cross-service confused deputy).",
        "Add aws:SourceAccount (your account) or aws:SourceArn (the resource that acts).",
        r#"{"Principal": {"Service": "sns.amazonaws.com"}, "Action": "sts:AssumeRole"}"#,
        r#"{"Principal": {"Service": "sns.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}"#
    ),
    code!(
        "managed-policy-broad",
        W,
        "The role attaches a managed policy rated broad (AdministratorAccess, PowerUserAccess, *FullAccess).",
        "These grant far more than a workload needs, often across every resource of a service or of the account.",
        "Replace it with an inline policy of the actions and resources the workload uses.",
        r#"managed_policies = ["AmazonS3FullAccess"]"#,
        r#"[[policy]] with s3:GetObject on arn:aws:s3:::my-bucket/*"#
    ),
    code!(
        "redundant-action",
        S,
        "An action is already covered by another entry of the same statement (s3:GetObject next to s3:Get*).",
        "It adds nothing and hides what the statement really grants.",
        "Remove the redundant entry (or, better, the wildcard).",
        r#""Action": ["s3:Get*", "s3:GetObject"]"#,
        r#""Action": ["s3:GetObject"]"#
    ),
    code!(
        "duplicate-statement",
        S,
        "Two statements grant the same thing.",
        "Duplicates make the policy longer (closer to the size quota) and harder to review.",
        "Remove one of them.",
        r#"[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}, (the same again)]"#,
        r#"[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]"#
    ),
    code!(
        "missing-logs-permissions",
        S,
        "A role trusted by Lambda that cannot write CloudWatch Logs.",
        "The function runs but its logs go nowhere, so the first failure cannot be diagnosed.",
        "Attach AWSLambdaBasicExecutionRole, or allow logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents on the function's log group.",
        r#"managed_policies = []  (Lambda role)"#,
        r#"managed_policies = ["AWSLambdaBasicExecutionRole"]"#
    ),
    code!(
        "invalid-tag",
        E,
        "A tag of the role breaks IAM's tag rules.",
        "IAM refuses the whole role (or the tagging call) for one bad tag: more than 50 tags, a key that is empty, longer than 128 characters or starts with the reserved aws: prefix, a value over 256 characters, a character outside letters, digits, spaces and _ . : / = + - @, or two keys that differ only in case (IAM treats them as one).",
        "Rename or shorten the tag; keep one of two keys that differ only in case.",
        r#"[tags]  "aws:team" = "orders"  Team = "a"  team = "b""#,
        r#"[tags]  team = "orders""#
    ),
    code!(
        "boundary-blocks-grant",
        W,
        "A policy of the role grants an action that its permissions boundary does not allow.",
        "A role may only do what both its policies and its boundary allow, so this grant has no effect: the workload still gets AccessDenied, and the policy promises a permission the role does not have.",
        "Remove the grant, or widen the boundary (if the boundary is the organisation's, ask its owners). Check the resources too: the boundary may allow the action on other resources only.",
        r#"boundary: Allow s3:GetObject on arn:aws:s3:::b/*   policy: Allow s3:PutObject on arn:aws:s3:::b/*"#,
        r#"boundary: Allow s3:GetObject, s3:PutObject on arn:aws:s3:::b/*   policy: Allow s3:PutObject on arn:aws:s3:::b/*"#
    ),
];

/// For codes whose rule was narrowed so that it stops firing where it was wrong: what it
/// does not flag, with an example.
pub const NOT_FLAGGED: &[(&str, &str)] = &[
    (
        "invalid-sid",
        "Resource-based policies (bucket, key, queue policies) may use other characters, as AWS's own key policies do: {\"Sid\": \"Enable IAM User Permissions\"} in a key policy is not flagged.",
    ),
    (
        "invalid-arn",
        "Policy variables and wildcards are text it cannot judge, and a final * spans the missing parts: arn:aws:iam::${aws:PrincipalAccount}:role/x, arn:aws:cloudfront::*, arn:aws:ssm:*::document/AWS-* (AWS-owned, empty account) are not flagged. A region AWS does not have is: arn:aws:sqs:eu-wst-1:123456789012:q (did you mean eu-west-1?).",
    ),
    (
        "resource-mismatch",
        "IAM matches the whole ARN: a * spans colons and a policy variable stands for any text, so arn:aws:s3:::${aws:PrincipalTag/team}/* fits objects, arn:aws:ssm:*::parameter/aws/service/* fits public parameters, and arn:aws:events:*:*:event-bus/aws.partner/* fits partner event buses.",
    ),
    (
        "unknown-service",
        "Reported once per service and document, with how many of its actions could not be checked, not once per action.",
    ),
    (
        "condition-key-not-applicable",
        "Only claimed where the reference proves it: global aws: keys, keys of another service (ec2:SourceInstanceARN, lambda:SourceFunctionArn), tag keys and template keys (kms:EncryptionContext:aws:s3:arn, secretsmanager:ResourceTag/NAME) are not flagged.",
    ),
    (
        "condition-type-mismatch",
        "Arn operators on string keys that hold ARNs are not flagged: {\"ArnLike\": {\"kms:EncryptionContext:aws:s3:arn\": \"arn:aws:s3:::b/*\"}}.",
    ),
    (
        "policy-too-large",
        "Each kind has its quota: AWS managed policies (AWS's to size) and resource-based policies (the service's quota) are not held to the customer managed 6,144; a service control policy is held to 5,120.",
    ),
    (
        "pass-role-wildcard",
        "A wildcard limited by iam:PassedToService is not flagged: {\"Action\": \"iam:PassRole\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"iam:PassedToService\": \"ec2.amazonaws.com\"}}}.",
    ),
    (
        "privilege-escalation",
        "iam:PassRole completes a path only on any role (*, role/*) and only for a service iam:PassedToService allows: iam:PassRole on arn:aws:iam::123456789012:role/app-task with ecs:RegisterTaskDefinition is not flagged.",
    ),
    (
        "trust-action-mismatch",
        "A statement of companion actions beside the one that assumes the role is not flagged: {\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/ci\"}, \"Action\": \"sts:TagSession\"} next to the same principal's sts:AssumeRole.",
    ),
    (
        "trust-cross-account",
        "When the role's own account is unknown (a trust policy on its own, a role file without `account`), the message says the account may be the role's own; with `account` set, that account is not flagged.",
    ),
    (
        "trust-has-resource",
        "Bucket, queue, key and endpoint policies (Principal and Resource, any action) are resource-based policies, not trust policies: no trust rules apply to them.",
    ),
    (
        "action-wildcard",
        "The Allow statements of resource-based policies and service control policies do not hand actions to a holder: \"kms:*\" for the account root in a key policy, or FullAWSAccess forced with --kind scp, are not flagged.",
    ),
    (
        "resource-wildcard",
        "Not in resource-based policies (in a key policy, \"*\" is the key itself) or service control policies.",
    ),
];

/// What [`NOT_FLAGGED`] says for `code`, if anything.
pub fn not_flagged(code: &str) -> Option<&'static str> {
    NOT_FLAGGED
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, text)| *text)
}

/// The explanation of `code`, if it is one.
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.code == code)
}

/// The canonical `&'static str` for a code (so user-given codes can be compared cheaply).
pub fn canonical(code: &str) -> Option<&'static str> {
    lookup(code).map(|c| c.code)
}

/// The severity the guide gives `code` (warning for a code that is not in the table,
/// which only a bug in a check can produce).
pub fn default_severity(code: &str) -> Severity {
    lookup(code).map_or(Severity::Warning, |c| c.severity)
}

/// The full text `rolesmith explain CODE` prints.
pub fn render(info: &CodeInfo) -> String {
    let mut text = format!(
        "{code} ({severity})\n\n{title}\n\nWhy it matters:\n  {why}\n\nHow to fix:\n  {fix}\n\nBad:\n  {bad}\n\nGood:\n  {good}\n",
        code = info.code,
        severity = info.severity,
        title = info.title,
        why = info.why,
        fix = info.fix,
        bad = info.bad,
        good = info.good,
    );
    if let Some(not) = not_flagged(info.code) {
        text.push_str(&format!("\nNot flagged:\n  {not}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_complete() {
        let mut seen = std::collections::HashSet::new();
        for c in CODES {
            assert!(seen.insert(c.code), "duplicate {}", c.code);
            assert!(
                c.code
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{}",
                c.code
            );
            assert!(!c.why.is_empty() && !c.bad.is_empty() && !c.good.is_empty());
        }
        assert_eq!(CODES.len(), 43);
        for (code, _) in NOT_FLAGGED {
            assert!(lookup(code).is_some(), "{code}");
        }
        assert_eq!(default_severity("missing-version"), Severity::Warning);
        assert_eq!(
            default_severity("trust-confused-deputy"),
            Severity::Suggestion
        );
        assert!(render(lookup("resource-mismatch").unwrap()).contains("my-bucket/*"));
    }
}
