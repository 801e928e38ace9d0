//! ARN templates as AWS's service reference writes them (`arn:${Partition}:s3:::${BucketName}`):
//! their placeholders, filling them in, and taking an ARN apart into a template's values.
//!
//! Kept apart from the editor that uses them so the rules (a value is never empty, holds no
//! `:` before the resource part, no `/` where no template of the service allows one) are one
//! piece of domain logic with its own tests, reusable outside the TUI.

use std::collections::HashSet;

use crate::policy::arn::{Arn, pattern_fits_template_with};

/// `${Name}` placeholders of an ARN template, in order, each once.
pub fn placeholders(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = after[..end].to_string();
        if !out.contains(&name) {
            out.push(name);
        }
        rest = &after[end + 1..];
    }
    out
}

/// What follows the account in an ARN template: the part that tells a type's formats apart.
pub fn resource_part(template: &str) -> &str {
    template.splitn(6, ':').nth(5).unwrap_or(template)
}

/// Puts `values` (placeholder, value) into `template` and checks that the ARN is well formed
/// and names the type. The error says what to fix (a placeholder to fill, a `/` not allowed).
pub fn fill_template(
    type_name: &str,
    template: &str,
    values: &[(String, String)],
    slash_free: &HashSet<String>,
) -> Result<String, String> {
    let mut arn = template.to_string();
    for (ph, v) in values {
        if v.is_empty() {
            return Err(format!("fill in {ph}"));
        }
        if slash_free.contains(ph) && v.contains('/') {
            return Err(format!("{ph} cannot contain '/'"));
        }
        arn = arn.replace(&format!("${{{ph}}}"), v);
    }
    Arn::parse_strict(&arn).map_err(|e| e.to_string())?;
    if !pattern_fits_template_with(&arn, template, slash_free) {
        return Err(format!("{arn} does not name a {type_name}"));
    }
    Ok(arn)
}

/// A piece of an ARN template: literal text or a `${Placeholder}`.
#[derive(Debug)]
enum TemplatePart<'a> {
    Literal(&'a str),
    /// Name, and whether it sits in the resource part (where `:` is allowed).
    Placeholder(&'a str, bool),
}

fn template_parts(template: &str) -> Vec<TemplatePart<'_>> {
    let mut parts = Vec::new();
    let mut rest = template;
    let mut colons = 0;
    while let Some(start) = rest.find("${") {
        let Some(len) = rest[start + 2..].find('}') else {
            break;
        };
        if start > 0 {
            parts.push(TemplatePart::Literal(&rest[..start]));
            colons += rest[..start].matches(':').count();
        }
        parts.push(TemplatePart::Placeholder(
            &rest[start + 2..start + 2 + len],
            colons >= 5,
        ));
        rest = &rest[start + 3 + len..];
    }
    if !rest.is_empty() {
        parts.push(TemplatePart::Literal(rest));
    }
    parts
}

/// Splits `arn` into the values of `template`'s placeholders by matching the template's
/// literal text: `arn:aws:s3:::my-bucket/*` on `arn:${Partition}:s3:::${BucketName}/${ObjectName}`
/// gives Partition=aws, BucketName=my-bucket, ObjectName=*. A value is never empty, holds no
/// `:` before the resource part, and no `/` for a placeholder in `slash_free`. `None` when
/// the ARN does not decompose. Policy variables such as `${aws:username}` are plain text here.
pub fn decompose_arn(
    arn: &str,
    template: &str,
    slash_free: &HashSet<String>,
) -> Option<Vec<(String, String)>> {
    let parts = template_parts(template);
    let mut values: Vec<(String, String)> = Vec::new();
    decompose_from(arn, &parts, slash_free, &mut values).then_some(values)
}

fn decompose_from(
    text: &str,
    parts: &[TemplatePart<'_>],
    slash_free: &HashSet<String>,
    values: &mut Vec<(String, String)>,
) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return text.is_empty();
    };
    match first {
        TemplatePart::Literal(lit) => text
            .strip_prefix(lit)
            .is_some_and(|t| decompose_from(t, rest, slash_free, values)),
        TemplatePart::Placeholder(name, in_resource) => {
            // The longest text the placeholder may take, then shorter ones.
            let allowed = text
                .char_indices()
                .find(|&(_, c)| {
                    (c == ':' && !in_resource) || (c == '/' && slash_free.contains(*name))
                })
                .map_or(text.len(), |(i, _)| i);
            let ends: Vec<usize> = text[..allowed]
                .char_indices()
                .map(|(i, c)| i + c.len_utf8())
                .collect();
            for &end in ends.iter().rev() {
                let value = &text[..end];
                if let Some((_, v)) = values.iter().find(|(n, _)| n == name) {
                    if v != value {
                        continue;
                    }
                    if decompose_from(&text[end..], rest, slash_free, values) {
                        return true;
                    }
                    continue;
                }
                values.push((name.to_string(), value.to_string()));
                if decompose_from(&text[end..], rest, slash_free, values) {
                    return true;
                }
                values.pop();
            }
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OBJECT: &str = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
    const TABLE: &str = "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}";

    fn slash_free(names: &[&str]) -> HashSet<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn placeholders_in_order_without_duplicates() {
        assert_eq!(
            placeholders(OBJECT),
            vec!["Partition", "BucketName", "ObjectName"]
        );
        assert_eq!(placeholders("${A}:${B}:${A}"), vec!["A", "B"]);
        assert!(placeholders("arn:aws:s3:::b").is_empty());
        assert!(placeholders("arn:${Unclosed").is_empty());
    }

    #[test]
    fn the_resource_part_follows_the_account() {
        assert_eq!(resource_part(TABLE), "table/${TableName}");
        assert_eq!(resource_part(OBJECT), "${BucketName}/${ObjectName}");
        assert_eq!(resource_part("not-an-arn"), "not-an-arn");
    }

    #[test]
    fn filling_checks_each_value_and_the_result() {
        let free = slash_free(&["BucketName"]);
        let values = pairs(&[
            ("Partition", "aws"),
            ("BucketName", "b"),
            ("ObjectName", "*"),
        ]);
        assert_eq!(
            fill_template("object", OBJECT, &values, &free).as_deref(),
            Ok("arn:aws:s3:::b/*")
        );
        let empty = pairs(&[("Partition", "aws"), ("BucketName", "")]);
        assert_eq!(
            fill_template("object", OBJECT, &empty, &free),
            Err("fill in BucketName".into())
        );
        let slash = pairs(&[
            ("Partition", "aws"),
            ("BucketName", "a/b"),
            ("ObjectName", "*"),
        ]);
        assert_eq!(
            fill_template("object", OBJECT, &slash, &free),
            Err("BucketName cannot contain '/'".into())
        );
    }

    #[test]
    fn decomposing_gives_back_what_filling_took() {
        let free = slash_free(&["BucketName"]);
        let values = decompose_arn("arn:aws:s3:::b/logs/2024/*.json", OBJECT, &free);
        assert_eq!(
            values,
            Some(pairs(&[
                ("Partition", "aws"),
                ("BucketName", "b"),
                ("ObjectName", "logs/2024/*.json")
            ]))
        );
        let table = "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders";
        let values = decompose_arn(table, TABLE, &HashSet::new()).expect("a table");
        assert_eq!(
            fill_template("table", TABLE, &values, &HashSet::new()).as_deref(),
            Ok(table)
        );
    }

    #[test]
    fn values_are_never_empty_and_hold_no_colon_before_the_resource() {
        let free = slash_free(&["BucketName"]);
        assert_eq!(decompose_arn("arn:aws:s3:::/x", OBJECT, &free), None);
        assert_eq!(decompose_arn("arn:aws:s3:::b", OBJECT, &free), None);
        assert_eq!(
            decompose_arn(
                "arn:aws:dynamodb:eu:west:1:123456789012:table/T",
                TABLE,
                &HashSet::new()
            ),
            None
        );
        assert_eq!(decompose_arn("*", OBJECT, &free), None);
    }

    #[test]
    fn a_placeholder_written_twice_takes_one_value() {
        let t = "arn:${Partition}:x:::${A}/${A}";
        assert_eq!(
            decompose_arn("arn:aws:x:::v/v", t, &HashSet::new()),
            Some(pairs(&[("Partition", "aws"), ("A", "v")]))
        );
        assert_eq!(decompose_arn("arn:aws:x:::v/w", t, &HashSet::new()), None);
    }
}
