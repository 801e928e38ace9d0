//! `denied`'s parser on the message shapes AWS documents (IAM's access-denied examples, the
//! CLI's and SDKs' wrappers, KMS's and STS's own sentences): the right principal, action,
//! resource and cause, and for a missing allow a proposed statement that makes the
//! simulator allow the request.

use rolesmith::catalog::Catalog;
use rolesmith::eval::denied::{Cause, parse_denial};
use rolesmith::eval::propose::propose;
use rolesmith::eval::{Decision, Policy, PolicyKind, PolicySet, Request};
use rolesmith::policy::PolicyDocument;

/// A message and what it says: (message, principal, action, resource, cause).
type Shape = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Cause,
);

const SHAPES: &[Shape] = &[
    (
        "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codecommit:ListRepositories because no identity-based policy allows the codecommit:ListRepositories action",
        Some("arn:aws:iam::123456789012:user/JohnDoe"),
        Some("codecommit:ListRepositories"),
        None,
        Cause::NoIdentityAllow,
    ),
    (
        "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: \ncodedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in an identity-based policy",
        Some("arn:aws:iam::123456789012:user/JohnDoe"),
        Some("codedeploy:ListDeployments"),
        Some("arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*"),
        Cause::ExplicitDenyIdentity,
    ),
    (
        "User: arn:aws:iam::777788889999:user/JohnDoe is not authorized to perform: codecommit:ListRepositories with an explicit deny in a service control policy",
        Some("arn:aws:iam::777788889999:user/JohnDoe"),
        Some("codecommit:ListRepositories"),
        None,
        Cause::ExplicitDenyScp,
    ),
    (
        "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* because no permissions boundary allows the codedeploy:ListDeployments action",
        Some("arn:aws:iam::123456789012:user/JohnDoe"),
        Some("codedeploy:ListDeployments"),
        Some("arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*"),
        Cause::NoBoundaryAllow,
    ),
    (
        "User: arn:aws:iam::777788889999:user/JohnDoe is not authorized to perform: sagemaker:ListModels with an explicit deny in a permissions boundary",
        Some("arn:aws:iam::777788889999:user/JohnDoe"),
        Some("sagemaker:ListModels"),
        None,
        Cause::ExplicitDenyBoundary,
    ),
    (
        "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codecommit:ListRepositories because no session policy allows the codecommit:ListRepositories action",
        Some("arn:aws:iam::123456789012:user/JohnDoe"),
        Some("codecommit:ListRepositories"),
        None,
        Cause::NoSessionAllow,
    ),
    (
        "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in a sessions policy",
        Some("arn:aws:iam::123456789012:user/JohnDoe"),
        Some("codedeploy:ListDeployments"),
        Some("arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*"),
        Cause::ExplicitDenySession,
    ),
    (
        "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: secretsmanager:GetSecretValue because no resource-based policy allows the secretsmanager:GetSecretValue action",
        Some("arn:aws:iam::123456789012:user/JohnDoe"),
        Some("secretsmanager:GetSecretValue"),
        None,
        Cause::NoResourceAllow,
    ),
    (
        "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:* with an explicit deny in a resource-based policy",
        Some("arn:aws:iam::123456789012:user/JohnDoe"),
        Some("secretsmanager:GetSecretValue"),
        Some("arn:aws:secretsmanager:us-east-1:123456789012:secret:*"),
        Cause::ExplicitDenyResource,
    ),
    (
        "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: codecommit:ListRepositories because no VPC endpoint policy allows the codecommit:ListRepositories action",
        Some("arn:aws:iam::123456789012:user/JohnDoe"),
        Some("codecommit:ListRepositories"),
        None,
        Cause::NoVpcEndpointAllow,
    ),
    (
        "User: arn:aws:sts::111122223333:assumed-role/role-name/role-session-name is not authorized to perform: SNS:Publish on resource: arn:aws:sns:us-east-1:444455556666:role-name-2 with an explicit deny in a VPC endpoint policy transitively through a service control policy",
        Some("arn:aws:sts::111122223333:assumed-role/role-name/role-session-name"),
        Some("sns:Publish"),
        Some("arn:aws:sns:us-east-1:444455556666:role-name-2"),
        Cause::ExplicitDenyScp,
    ),
    (
        "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform: sts:AssumeRole because the role trust policy allows the sts:AssumeRole action",
        Some("arn:aws:iam::123456789012:user/JohnDoe"),
        Some("sts:AssumeRole"),
        None,
        Cause::NoTrustAllow,
    ),
    (
        "User: arn:aws:iam::777788889999:user/JohnDoe is not authorized to perform: sts:AssumeRole with an explicit deny in the role trust policy",
        Some("arn:aws:iam::777788889999:user/JohnDoe"),
        Some("sts:AssumeRole"),
        None,
        Cause::ExplicitDenyTrust,
    ),
    // The AWS CLI's wrapper, the older sentence without a cause.
    (
        "An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::123456789012:assumed-role/reader/i-0abc is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::reports/2024/q1.csv\"",
        Some("arn:aws:sts::123456789012:assumed-role/reader/i-0abc"),
        Some("s3:GetObject"),
        Some("arn:aws:s3:::reports/2024/q1.csv"),
        Cause::Unknown,
    ),
    // The CLI's AccessDeniedException wrapper with the newer sentence.
    (
        "An error occurred (AccessDeniedException) when calling the PutItem operation: User: arn:aws:sts::123456789012:assumed-role/orders-api/fn is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/Orders because no identity-based policy allows the dynamodb:PutItem action",
        Some("arn:aws:sts::123456789012:assumed-role/orders-api/fn"),
        Some("dynamodb:PutItem"),
        Some("arn:aws:dynamodb:eu-west-1:123456789012:table/Orders"),
        Cause::NoIdentityAllow,
    ),
    // A JavaScript SDK error.
    (
        "AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/string-reverser/fn is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-pass-AbC123 because no identity-based policy allows the secretsmanager:GetSecretValue action",
        Some("arn:aws:sts::123456789012:assumed-role/string-reverser/fn"),
        Some("secretsmanager:GetSecretValue"),
        Some("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-pass-AbC123"),
        Cause::NoIdentityAllow,
    ),
    // A Java SDK error.
    (
        "User: arn:aws:sts::123456789012:assumed-role/worker/i-1 is not authorized to perform: sqs:SendMessage on resource: arn:aws:sqs:eu-west-1:123456789012:jobs because no identity-based policy allows the sqs:SendMessage action (Service: AmazonSQS; Status Code: 403; Error Code: AccessDenied; Request ID: 0a1b2c3d)",
        Some("arn:aws:sts::123456789012:assumed-role/worker/i-1"),
        Some("sqs:SendMessage"),
        Some("arn:aws:sqs:eu-west-1:123456789012:jobs"),
        Cause::NoIdentityAllow,
    ),
    // A Go SDK v2 error.
    (
        "operation error CloudWatch Logs: PutLogEvents, https response error StatusCode: 400, RequestID: 1234, api error AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/fn-role/fn is not authorized to perform: logs:PutLogEvents on resource: arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/fn:log-stream:2024/01/01/[$LATEST]abc because no identity-based policy allows the logs:PutLogEvents action",
        Some("arn:aws:sts::123456789012:assumed-role/fn-role/fn"),
        Some("logs:PutLogEvents"),
        Some(
            "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/fn:log-stream:2024/01/01/[$LATEST]abc",
        ),
        Cause::NoIdentityAllow,
    ),
    // KMS's own sentence.
    (
        "An error occurred (AccessDeniedException) when calling the Decrypt operation: User: arn:aws:sts::123456789012:assumed-role/app/s is not authorized to perform: kms:Decrypt on the resource associated with this ciphertext because the resource does not exist in this Region, no resource-based policies allow access, or a resource-based policy explicitly denies access",
        Some("arn:aws:sts::123456789012:assumed-role/app/s"),
        Some("kms:Decrypt"),
        None,
        Cause::NoResourceAllow,
    ),
    // A Lambda invocation from a role, a JSON error body.
    (
        r#"{"__type":"AccessDeniedException","Message":"User: arn:aws:sts::123456789012:assumed-role/caller/s is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:eu-west-1:123456789012:function:worker because no identity-based policy allows the lambda:InvokeFunction action"}"#,
        Some("arn:aws:sts::123456789012:assumed-role/caller/s"),
        Some("lambda:InvokeFunction"),
        Some("arn:aws:lambda:eu-west-1:123456789012:function:worker"),
        Cause::NoIdentityAllow,
    ),
    // An explicit deny naming the denying policy (newer messages).
    (
        "User: arn:aws:sts::123456789012:assumed-role/dev/s is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-east-1:123456789012:instance/* with an explicit deny in a service control policy: arn:aws:organizations::111111111111:policy/o-abc/service_control_policy/p-def",
        Some("arn:aws:sts::123456789012:assumed-role/dev/s"),
        Some("ec2:RunInstances"),
        Some("arn:aws:ec2:us-east-1:123456789012:instance/*"),
        Cause::ExplicitDenyScp,
    ),
    // A resource control policy.
    (
        "User: arn:aws:sts::123456789012:assumed-role/dev/s is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::data/x with an explicit deny in a resource control policy",
        Some("arn:aws:sts::123456789012:assumed-role/dev/s"),
        Some("s3:GetObject"),
        Some("arn:aws:s3:::data/x"),
        Cause::ExplicitDenyRcp,
    ),
    // EC2's encoded authorization message.
    (
        "An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not authorized to perform this operation. Encoded authorization failure message: 4GIOHlTkIaWHQD0Q0m6XSnuUMCm-abc",
        None,
        None,
        None,
        Cause::Encoded,
    ),
    // S3's bare answer.
    (
        "An error occurred (AccessDenied) when calling the PutObject operation: Access Denied",
        None,
        None,
        None,
        Cause::Unknown,
    ),
    // GitHub Actions' OIDC step.
    (
        "Error: Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity",
        None,
        Some("sts:AssumeRoleWithWebIdentity"),
        None,
        Cause::Unknown,
    ),
    // boto3's ClientError, an SSM parameter path.
    (
        "botocore.exceptions.ClientError: An error occurred (AccessDeniedException) when calling the GetParameter operation: User: arn:aws:sts::123456789012:assumed-role/app/s is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:eu-west-1:123456789012:parameter/app/db/password because no identity-based policy allows the ssm:GetParameter action",
        Some("arn:aws:sts::123456789012:assumed-role/app/s"),
        Some("ssm:GetParameter"),
        Some("arn:aws:ssm:eu-west-1:123456789012:parameter/app/db/password"),
        Cause::NoIdentityAllow,
    ),
    // The AWS CLI on SNS (AuthorizationError is SNS's code).
    (
        "An error occurred (AuthorizationError) when calling the Publish operation: User: arn:aws:sts::123456789012:assumed-role/notifier/s is not authorized to perform: SNS:Publish on resource: arn:aws:sns:eu-west-1:123456789012:alerts because no identity-based policy allows the SNS:Publish action",
        Some("arn:aws:sts::123456789012:assumed-role/notifier/s"),
        Some("sns:Publish"),
        Some("arn:aws:sns:eu-west-1:123456789012:alerts"),
        Cause::NoIdentityAllow,
    ),
    // An action that supports only "*".
    (
        "An error occurred (AccessDeniedException) when calling the GetAuthorizationToken operation: User: arn:aws:sts::123456789012:assumed-role/ci/s is not authorized to perform: ecr:GetAuthorizationToken on resource: * because no identity-based policy allows the ecr:GetAuthorizationToken action",
        Some("arn:aws:sts::123456789012:assumed-role/ci/s"),
        Some("ecr:GetAuthorizationToken"),
        Some("*"),
        Cause::NoIdentityAllow,
    ),
    // Step Functions through the JavaScript SDK v3.
    (
        "AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/starter/s is not authorized to perform: states:StartExecution on resource: arn:aws:states:eu-west-1:123456789012:stateMachine:orders because no identity-based policy allows the states:StartExecution action",
        Some("arn:aws:sts::123456789012:assumed-role/starter/s"),
        Some("states:StartExecution"),
        Some("arn:aws:states:eu-west-1:123456789012:stateMachine:orders"),
        Cause::NoIdentityAllow,
    ),
];

#[test]
fn every_documented_shape_is_read() {
    assert!(SHAPES.len() >= 12);
    for (message, principal, action, resource, cause) in SHAPES {
        let d = parse_denial(message).unwrap_or_else(|| panic!("not understood: {message}"));
        assert_eq!(d.principal.as_deref(), *principal, "{message}");
        assert_eq!(d.action.as_deref(), *action, "{message}");
        assert_eq!(d.resource.as_deref(), *resource, "{message}");
        assert_eq!(d.cause(), *cause, "{message}");
    }
}

#[test]
fn the_proposed_statement_makes_the_simulator_allow() {
    let catalog = Catalog::embedded();
    let mut tried = 0;
    for (message, ..) in SHAPES {
        let d = parse_denial(message).unwrap();
        let Some(action) = &d.action else { continue };
        if !(d.cause().role_can_fix() || d.cause() == Cause::NoResourceAllow) {
            continue;
        }
        let p = propose(
            action,
            d.resource.as_deref(),
            d.account.as_deref(),
            Some(catalog),
        );
        let request = Request::new(action, Some(d.resource.as_deref().unwrap_or(&p.resource)));
        for wider in [false, true] {
            let mut set = PolicySet::new();
            set.add_identity(Policy::new(
                PolicyKind::Inline,
                "fix",
                PolicyDocument::new(vec![p.statement(wider)]),
            ));
            let ev = set.evaluate(&request, Some(catalog));
            assert_eq!(
                ev.decision,
                Decision::Allowed,
                "{message}: {p:?} {:?}",
                ev.reasons
            );
        }
        assert!(
            p.resource != "*"
                || p.notes.iter().any(|n| n.contains("no resource-level"))
                || d.resource.is_none()
                || p.resource_type.is_none(),
            "{message}: {p:?}"
        );
        tried += 1;
    }
    assert!(tried >= 12, "only {tried} shapes propose a statement");
}

#[test]
fn what_is_not_an_access_denied_message_is_refused() {
    for text in [
        "",
        "hello",
        "An error occurred (ThrottlingException): Rate exceeded",
        "User: arn:aws:iam::1:user/x did something",
    ] {
        assert!(parse_denial(text).is_none(), "{text}");
    }
}
