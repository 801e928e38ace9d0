//! Generated policies of mixed real-world shapes, for the benchmark and the fuzz-style
//! property tests: Lambda and ECS workload policies, trust policies, Deny guardrails,
//! and the usual mistakes (bucket ARNs for object actions, wildcards, typos).

/// `n` policy texts (pretty JSON) with the kind each is, cycling through the shapes with
/// varying names so no two are identical.
pub fn generate(n: usize) -> Vec<(String, super::PolicyKind)> {
    (0..n).map(|i| shape(i % SHAPES, i)).collect()
}

/// A policy of `n` statements for the scaling benchmarks and the golden findings: each
/// reads its own bucket with a partial wildcard and a redundant action, and every tenth
/// repeats the statement before it (a duplicate), so findings grow with the statements.
pub fn policy_with_statements(n: usize) -> String {
    let statements: Vec<String> = (0..n)
        .map(|i| {
            let bucket = if i % 10 == 9 { i - 1 } else { i };
            format!(
                r#"{{"Effect":"Allow","Action":["s3:GetObject","s3:Get*","s3:ListBucket"],"Resource":["arn:aws:s3:::bucket-{bucket}","arn:aws:s3:::bucket-{bucket}/*"]}}"#
            )
        })
        .collect();
    format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[\n{}\n]}}\n",
        statements.join(",\n")
    )
}

/// One statement of `n` actions, taken in turn from `names` (so with fewer names than `n`
/// some repeat, as redundant entries), on one bucket.
pub fn statement_with_actions(names: &[String], n: usize) -> String {
    let actions: Vec<String> = names
        .iter()
        .cycle()
        .take(n)
        .map(|a| format!("\"{a}\""))
        .collect();
    format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":[{}],\"Resource\":\"arn:aws:s3:::bucket/*\"}}]}}\n",
        actions.join(",\n")
    )
}

/// A role file (TOML) of `n` statements shaped like [`policy_with_statements`].
pub fn role_file_with_statements(n: usize) -> String {
    let mut text = String::from(
        "name = \"large\"\n\n[trust]\nservices = [\"lambda.amazonaws.com\"]\n\n[[policy]]\nname = \"reads\"\n",
    );
    for i in 0..n {
        let bucket = if i % 10 == 9 { i - 1 } else { i };
        text.push_str(&format!(
            "\n[[policy.statement]]\nactions = [\"s3:GetObject\", \"s3:Get*\", \"s3:ListBucket\"]\nresources = [\"arn:aws:s3:::bucket-{bucket}\", \"arn:aws:s3:::bucket-{bucket}/*\"]\n"
        ));
    }
    text
}

const SHAPES: usize = 12;

fn shape(which: usize, i: usize) -> (String, super::PolicyKind) {
    use super::PolicyKind::{Identity, Trust};
    let account = format!("{:012}", 100_000_000_000u64 + i as u64);
    let region = ["eu-west-1", "us-east-1", "ap-southeast-2"][i % 3];
    let name = format!("app-{i}");
    let doc = |statements: String| {
        format!("{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n{statements}\n  ]\n}}\n")
    };
    match which {
        0 => (
            doc(format!(
                r#"    {{"Sid": "WriteObjects", "Effect": "Allow", "Action": ["s3:PutObject", "s3:PutObjectAcl"], "Resource": "arn:aws:s3:::{name}-bucket/*"}}"#
            )),
            Identity,
        ),
        1 => (
            doc(format!(
                r#"    {{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::{name}-bucket"}},
    {{"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"], "Resource": "arn:aws:s3:::{name}-bucket"}}"#
            )),
            Identity,
        ),
        2 => (
            doc(format!(
                r#"    {{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"], "Resource": ["arn:aws:dynamodb:{region}:{account}:table/{name}", "arn:aws:dynamodb:{region}:{account}:table/{name}/index/*"]}}"#
            )),
            Identity,
        ),
        3 => (
            doc(format!(
                r#"    {{"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "arn:aws:logs:{region}:{account}:log-group:/aws/lambda/{name}:*"}},
    {{"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], "Resource": "arn:aws:sqs:{region}:{account}:{name}"}}"#
            )),
            Identity,
        ),
        4 => (
            doc(
                r#"    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
    {"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"}"#
                    .to_string(),
            ),
            Identity,
        ),
        5 => (
            doc(
                r#"    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}"#
                    .to_string(),
            ),
            Trust,
        ),
        6 => (
            doc(format!(
                r#"    {{"Effect": "Allow", "Principal": {{"Federated": "arn:aws:iam::{account}:oidc-provider/token.actions.githubusercontent.com"}}, "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {{"StringEquals": {{"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}, "StringLike": {{"token.actions.githubusercontent.com:sub": "repo:octo-org/{name}:ref:refs/heads/*"}}}}}}"#
            )),
            Trust,
        ),
        7 => (
            doc(format!(
                r#"    {{"Sid": "DenyOutsideRegion", "Effect": "Deny", "NotAction": ["iam:*", "sts:*", "route53:*"], "Resource": "*", "Condition": {{"StringNotEquals": {{"aws:RequestedRegion": ["{region}"]}}}}}}"#
            )),
            Identity,
        ),
        8 => (
            doc(format!(
                r#"    {{"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": "arn:aws:secretsmanager:{region}:{account}:secret:{name}/db-*"}},
    {{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:{region}:{account}:key/1234abcd-12ab-34cd-56ef-1234567890ab", "Condition": {{"StringEquals": {{"kms:ViaService": "secretsmanager.{region}.amazonaws.com"}}}}}}"#
            )),
            Identity,
        ),
        9 => (
            doc(format!(
                r#"    {{"Effect": "Allow", "Action": ["s3:GetObjects", "s3:Get*", "ssm:GetParameter*", "workspaces:DescribeWorkspaces"], "Resource": "*"}},
    {{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{name}/*", "Condition": {{"NumericLessThan": {{"aws:SourceIp": "10.0.0.0/8"}}, "StringEqual": {{"aws:SourceAccount": "{account}"}}}}}}"#
            )),
            Identity,
        ),
        10 => (
            doc(format!(
                r#"    {{"Effect": "Allow", "Action": ["ecs:UpdateService", "ecs:DescribeServices"], "Resource": "arn:aws:ecs:{region}:{account}:service/prod/{name}"}},
    {{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::{account}:role/{name}-task", "Condition": {{"StringEquals": {{"iam:PassedToService": "ecs-tasks.amazonaws.com"}}}}}}"#
            )),
            Identity,
        ),
        _ => (
            doc(format!(
                r#"    {{"Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::{account}:root"}}, "Action": "sts:AssumeRole", "Condition": {{"StringEquals": {{"sts:ExternalId": "{name}"}}}}}},
    {{"Effect": "Allow", "Principal": {{"Service": "ecs-tasks.amazonaws.com"}}, "Action": "sts:AssumeRole"}}"#
            )),
            Trust,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_policies_are_json_and_distinct() {
        let all = generate(2 * SHAPES);
        for (text, _) in &all {
            serde_json::from_str::<serde_json::Value>(text).expect(text);
        }
        assert_ne!(all[0].0, all[SHAPES].0);
    }
}
