//! Amazon Resource Names: parsing, validation, IAM wildcard matching and template fitting.
//!
//! A policy's `Resource` may hold wildcards (`*`, `?`); the catalog's ARN formats hold
//! `${Placeholders}`. [`pattern_fits_template`] answers "can this resource pattern name a
//! resource of this type?", which is what `resource-mismatch` and the ARN builder need.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

/// Partitions AWS has today.
pub const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// A parsed ARN: `arn:partition:service:region:account:resource`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Arn {
    pub partition: String,
    pub service: String,
    pub region: String,
    pub account: String,
    /// Everything after the fifth colon (it may itself hold colons and slashes).
    pub resource: String,
}

/// Why a string is not a valid ARN; each says which part is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ArnError {
    #[error("an ARN starts with \"arn:\"")]
    MissingPrefix,
    #[error("an ARN has six colon-separated parts (arn:partition:service:region:account:resource)")]
    TooFewParts,
    #[error("unknown partition \"{0}\" (expected one of aws, aws-cn, aws-us-gov, ...)")]
    Partition(String),
    #[error("the service part \"{0}\" must be lower case letters, digits and hyphens")]
    Service(String),
    #[error("the region \"{0}\" does not look like a region (e.g. eu-west-1)")]
    Region(String),
    #[error("the account \"{0}\" must be a 12-digit account id")]
    Account(String),
    #[error("the resource part is empty")]
    EmptyResource,
}

impl Arn {
    /// Splits an ARN into its parts without judging them (wildcards allowed anywhere).
    ///
    /// A `:` inside a `${…}` policy variable (`${aws:PrincipalAccount}`) does not split.
    pub fn parse(text: &str) -> Result<Arn, ArnError> {
        ArnParts::parse(text).map(|p| p.to_arn())
    }

    /// The parts, borrowed.
    pub fn parts(&self) -> ArnParts<'_> {
        ArnParts {
            partition: &self.partition,
            service: &self.service,
            region: &self.region,
            account: &self.account,
            resource: &self.resource,
        }
    }

    /// Parses and checks every part: known partition, service case, region shape,
    /// 12-digit account (or `aws` for AWS managed policies), non-empty resource.
    /// Wildcards are accepted in any part, as IAM accepts them in policies.
    pub fn parse_strict(text: &str) -> Result<Arn, ArnError> {
        let arn = Arn::parse(text)?;
        arn.validate()?;
        Ok(arn)
    }

    /// Checks each part, see [`Arn::parse_strict`].
    pub fn validate(&self) -> Result<(), ArnError> {
        self.validate_with(false)
    }

    /// [`Arn::validate`] for a resource of a policy: a `${…}` (a policy variable, or a
    /// CloudFormation placeholder) stands for text we cannot judge, like a wildcard.
    pub fn validate_in_policy(&self) -> Result<(), ArnError> {
        self.validate_with(true)
    }

    fn validate_with(&self, variables: bool) -> Result<(), ArnError> {
        self.parts().validate_with(variables)
    }
}

/// An ARN's parts borrowed from its text: what the lint reads of every resource of every
/// statement, without allocating an [`Arn`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArnParts<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    /// Everything after the fifth colon.
    pub resource: &'a str,
}

impl<'a> ArnParts<'a> {
    /// [`Arn::parse`], borrowing the parts.
    pub fn parse(text: &'a str) -> Result<ArnParts<'a>, ArnError> {
        let rest = text.strip_prefix("arn:").ok_or(ArnError::MissingPrefix)?;
        let fields = split_fields(rest);
        let mut parts = fields.as_slice().iter().copied();
        let mut next = || parts.next().ok_or(ArnError::TooFewParts);
        Ok(ArnParts {
            partition: next()?,
            service: next()?,
            region: next()?,
            account: next()?,
            resource: next()?,
        })
    }

    /// The parts as an owned [`Arn`].
    pub fn to_arn(&self) -> Arn {
        Arn {
            partition: self.partition.to_string(),
            service: self.service.to_string(),
            region: self.region.to_string(),
            account: self.account.to_string(),
            resource: self.resource.to_string(),
        }
    }

    /// [`Arn::validate_in_policy`].
    pub fn validate_in_policy(&self) -> Result<(), ArnError> {
        self.validate_with(true)
    }

    fn validate_with(&self, variables: bool) -> Result<(), ArnError> {
        let wild = |s: &str| s.contains(['*', '?']) || (variables && s.contains("${"));
        if !wild(self.partition) && !PARTITIONS.contains(&self.partition) {
            return Err(ArnError::Partition(self.partition.to_string()));
        }
        let service_ok = !self.service.is_empty()
            && (wild(self.service) && self.service.contains("${")
                || self.service.chars().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '*' | '?')
                }));
        if !service_ok {
            return Err(ArnError::Service(self.service.to_string()));
        }
        if !self.region.is_empty() && !wild(self.region) && !is_region(self.region) {
            return Err(ArnError::Region(self.region.to_string()));
        }
        if !self.account.is_empty()
            && !wild(self.account)
            && self.account != "aws"
            && !is_account_id(self.account)
        {
            return Err(ArnError::Account(self.account.to_string()));
        }
        if self.resource.is_empty() {
            return Err(ArnError::EmptyResource);
        }
        Ok(())
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:{}:{}:{}:{}",
            self.partition, self.service, self.region, self.account, self.resource
        )
    }
}

impl FromStr for Arn {
    type Err = ArnError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Arn::parse_strict(s)
    }
}

/// A 12-digit AWS account id.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Region shape: lower-case words joined by hyphens, ending in a number (`us-gov-west-1`).
pub fn is_region(s: &str) -> bool {
    // Read without collecting the parts: every resource of every statement asks.
    let Some((words, number)) = s.rsplit_once('-') else {
        return false;
    };
    words.split('-').count() >= 2
        && words
            .split('-')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// IAM's string wildcard match: `*` any run of characters, `?` exactly one. Case-sensitive
/// (resource ARNs and condition values).
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    wildcard_match_with(pattern, text, false)
}

/// Case-insensitive [`wildcard_match`], for action names (IAM ignores their case).
pub fn wildcard_match_ignore_case(pattern: &str, text: &str) -> bool {
    wildcard_match_with(pattern, text, true)
}

fn wildcard_match_with(pattern: &str, text: &str, ignore_case: bool) -> bool {
    // Action names and ARNs are ASCII: match bytes without allocating. Otherwise `?` must
    // stand for one character, not one byte.
    if pattern.is_ascii() && text.is_ascii() {
        glob(
            pattern.as_bytes(),
            text.as_bytes(),
            |a, b| {
                if ignore_case {
                    a.eq_ignore_ascii_case(b)
                } else {
                    a == b
                }
            },
            b'*',
            b'?',
        )
    } else {
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        glob(
            &p,
            &t,
            |a, b| {
                if ignore_case {
                    a.eq_ignore_ascii_case(b)
                } else {
                    a == b
                }
            },
            '*',
            '?',
        )
    }
}

/// Greedy glob matching with backtracking to the last `*` (linear in practice).
fn glob<T: Copy + PartialEq>(
    p: &[T],
    t: &[T],
    eq: impl Fn(&T, &T) -> bool,
    star_tok: T,
    one_tok: T,
) -> bool {
    let (mut pi, mut ti) = (0, 0);
    // Where the last `*` was, and the text position it currently stands for.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == one_tok || (p[pi] != star_tok && eq(&p[pi], &t[ti]))) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == star_tok {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == star_tok)
}

/// Can the resource pattern `pattern` (with `*`/`?`) name a resource described by the
/// ARN template `template` (with `${Placeholders}`)? E.g. `arn:aws:s3:::b/*` fits
/// `arn:${Partition}:s3:::${BucketName}/${ObjectName}` but not `arn:${Partition}:s3:::${BucketName}`.
///
/// A placeholder stands for one or more characters. It may hold `/` only when nothing in
/// the template follows it with a `/` (bucket and table names cannot; object keys can).
pub fn pattern_fits_template(pattern: &str, template: &str) -> bool {
    pattern_fits_template_with(pattern, template, &HashSet::new())
}

/// As [`pattern_fits_template`], with placeholders that never hold `/` named in `slash_free`
/// (the catalog derives them from all the templates of a service: a name that any template
/// follows with `/` is a path segment everywhere).
pub fn pattern_fits_template_with(
    pattern: &str,
    template: &str,
    slash_free: &HashSet<String>,
) -> bool {
    let pattern = PreparedPattern::new(pattern);
    if pattern.star {
        return true;
    }
    let Some(t) = split_arn(template) else {
        return false;
    };
    fits_split(&pattern, t, PartShape::of_fields(t), |i| {
        Cow::Owned(template_field_tokens(t, slash_free, i))
    })
}

/// A resource pattern of a policy taken apart once, to fit it to many templates: the lint
/// fits each resource of a statement to every template its actions name.
#[derive(Clone, Debug)]
pub struct PreparedPattern<'a> {
    text: &'a str,
    /// The pattern is `*` (it fits everything).
    star: bool,
    /// The five fields after `arn:` when the pattern can be fitted part by part: no
    /// wildcard in the partition, service, region or account and no `${…}` anywhere (so no
    /// `*` can span a colon). `None`: fitted as a whole ARN.
    parts: Option<[&'a str; 5]>,
    /// What each field holds (no `${…}`: `parts` already rules that out).
    forms: [Form; 5],
}

/// The wildcards of one field of a pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// None.
    Plain,
    /// One final `*` and no other (`b/*`): the commonest resource pattern.
    PrefixStar,
    Wild,
}

impl Form {
    /// One pass over the bytes (this runs for every resource of every statement).
    fn of(field: &str) -> Form {
        let bytes = field.as_bytes();
        match bytes.iter().filter(|&&b| b == b'*' || b == b'?').count() {
            0 => Form::Plain,
            1 if bytes.last() == Some(&b'*') => Form::PrefixStar,
            _ => Form::Wild,
        }
    }
}

impl<'a> PreparedPattern<'a> {
    pub fn new(text: &'a str) -> Self {
        let split = split_arn(text).filter(|_| !has_variable(text));
        let forms = split.map_or([Form::Wild; 5], |p| p.map(Form::of));
        let parts = split.filter(|_| forms[..4].iter().all(|&f| f == Form::Plain));
        PreparedPattern {
            text,
            star: text == "*",
            parts,
            forms,
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &'a str {
        self.text
    }
}

/// Does `s` hold a `${` (a policy variable, or one of IAM's escapes)?
fn has_variable(s: &str) -> bool {
    s.as_bytes().windows(2).any(|w| w == b"${")
}

/// The shape of one field of a template, for the fits that need no token search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PartShape {
    /// No `${…}`: only the same text fits it (when the pattern has no wildcard either).
    Plain,
    /// One whole placeholder (`${Region}`): any non-empty text without `:`.
    Placeholder,
    /// The account part `${Account}`: any account, or none (AWS-owned resources).
    AnyAccount,
    Other,
}

impl PartShape {
    /// The shapes of the five fields of a split template.
    fn of_fields(t: [&str; 5]) -> [PartShape; 5] {
        let mut shapes = t.map(PartShape::of);
        if t[3] == "${Account}" {
            shapes[3] = PartShape::AnyAccount;
        }
        shapes
    }

    fn of(field: &str) -> PartShape {
        if !field.contains("${") {
            return PartShape::Plain;
        }
        let whole = field
            .strip_prefix("${")
            .and_then(|rest| rest.strip_suffix('}'))
            .is_some_and(|name| !name.contains(['{', '}', '$']));
        if whole {
            PartShape::Placeholder
        } else {
            PartShape::Other
        }
    }
}

/// An ARN template split and tokenised once, to fit many patterns to it: the lint fits
/// every resource of every statement to the templates of its actions' resource types, and
/// taking the same templates apart again each time was most of that work.
#[derive(Clone, Debug)]
pub struct PreparedTemplate {
    /// The five fields after `arn:`, their shapes and their tokens (see
    /// [`template_field_tokens`]); `None` when the template is not an ARN (nothing fits it).
    split: Option<Split>,
}

#[derive(Clone, Debug)]
struct Split {
    fields: [String; 5],
    shapes: [PartShape; 5],
    tokens: [Vec<Token>; 6],
}

impl PreparedTemplate {
    /// Prepares `template`, with the service's slash-free placeholders (as
    /// [`pattern_fits_template_with`]).
    pub fn new(template: &str, slash_free: &HashSet<String>) -> Self {
        let split = split_arn(template).map(|t| Split {
            fields: t.map(str::to_string),
            shapes: PartShape::of_fields(t),
            tokens: std::array::from_fn(|i| template_field_tokens(t, slash_free, i)),
        });
        PreparedTemplate { split }
    }

    /// [`pattern_fits_template_with`] for this template.
    pub fn fits(&self, pattern: &str) -> bool {
        self.fits_prepared(&PreparedPattern::new(pattern))
    }

    /// [`PreparedTemplate::fits`] for a pattern already taken apart.
    pub fn fits_prepared(&self, pattern: &PreparedPattern<'_>) -> bool {
        if pattern.star {
            return true;
        }
        let Some(split) = &self.split else {
            return false;
        };
        let t = [0, 1, 2, 3, 4].map(|i| split.fields[i].as_str());
        fits_split(pattern, t, split.shapes, |i| {
            Cow::Borrowed(split.tokens[i].as_slice())
        })
    }
}

/// The tokens of a split template: `i` in `0..4` a part before the resource, `4` the
/// resource, `5` the whole ARN (for patterns whose `*` may span colons).
fn template_field_tokens(t: [&str; 5], slash_free: &HashSet<String>, i: usize) -> Vec<Token> {
    match i {
        0..=3 => template_part_tokens(t[i], slash_free, i),
        4 => template_tokens(t[4], slash_free, true),
        _ => {
            let mut whole: Vec<Token> = "arn:".chars().map(Token::Lit).collect();
            for (i, field) in t.iter().enumerate() {
                if i > 0 {
                    whole.push(Token::Lit(':'));
                }
                if i < 4 {
                    whole.extend(template_part_tokens(field, slash_free, i));
                } else {
                    whole.extend(template_tokens(field, slash_free, true));
                }
            }
            whole
        }
    }
}

/// Does `pattern` (not `*`) fit the template split into `t` with the shapes `shapes`, whose
/// tokens `tokens` gives (made on demand, or kept by a [`PreparedTemplate`])?
fn fits_split<'t>(
    pattern: &PreparedPattern<'_>,
    t: [&str; 5],
    shapes: [PartShape; 5],
    tokens: impl Fn(usize) -> Cow<'t, [Token]>,
) -> bool {
    // The common case, part by part (see `PreparedPattern::parts`).
    if let Some(p) = pattern.parts {
        for i in 0..5 {
            if shapes[i] == PartShape::AnyAccount {
                continue;
            }
            let form = pattern.forms[i];
            let fits = match quick_part_fit(p[i], form == Form::Plain, t[i], shapes[i], i == 4) {
                Some(fits) => fits,
                None => {
                    let tokens = tokens(i);
                    let walked = match form {
                        Form::Plain => literal_walk(p[i], &tokens).map(|w| w.at_end()),
                        // The final `*` takes any rest, and every template position can
                        // still reach the end: the prefix only has to get somewhere.
                        Form::PrefixStar => {
                            literal_walk(&p[i][..p[i].len() - 1], &tokens).map(|w| w.alive())
                        }
                        Form::Wild => None,
                    };
                    walked.unwrap_or_else(|| pattern_intersects(p[i], &tokens))
                }
            };
            if !fits {
                return false;
            }
        }
        return true;
    }
    // IAM matches a resource pattern against the whole ARN: a `*` spans colons
    // (`arn:aws:cloudfront::*`, `arn:aws:sqs:*`), and a policy variable may stand for any
    // text (`arn:aws:iam::${aws:PrincipalAccount}:role/x`).
    pattern_intersects(pattern.text, &tokens(5))
}

/// [`pattern_fits_template_with`] by the token search alone, without the shortcuts
/// (`quick_part_fit`, `literal_walk`) and without preparing anything: the reference the
/// tests hold the fast path to.
#[cfg(test)]
pub(crate) fn fits_by_search(pattern: &str, template: &str, slash_free: &HashSet<String>) -> bool {
    if pattern == "*" {
        return true;
    }
    let Some(t) = split_arn(template) else {
        return false;
    };
    let tokens = |i| template_field_tokens(t, slash_free, i);
    if let Some(p) = split_arn(pattern)
        && !pattern.contains("${")
        && p[..4].iter().all(|f| !f.contains(['*', '?']))
    {
        return (0..5).all(|i| {
            (i == 3 && t[i] == "${Account}") || intersects(&pattern_tokens(p[i]), &tokens(i))
        });
    }
    intersects(&pattern_tokens(pattern), &tokens(5))
}

/// Tokens of one of the four parts before the resource (`i`: 0 partition, 1 service,
/// 2 region, 3 account). The account of AWS-owned resources is empty
/// (`arn:aws:ssm:*::document/AWS-*`, public parameters, AMIs), so `${Account}` may be.
fn template_part_tokens(part: &str, slash_free: &HashSet<String>, i: usize) -> Vec<Token> {
    if i == 3 && part == "${Account}" {
        return vec![Token::Star(Class::NoColon)];
    }
    template_tokens(part, slash_free, false)
}

/// The answer of [`intersects`] for the two commonest shapes of an ARN part, without
/// building token lists (the lint asks this for every resource of every action):
/// - no wildcard and no placeholder on either side (`plain`, [`PartShape::Plain`]): the
///   texts must be equal;
/// - a part before the resource that is one whole placeholder (`${Region}`): it takes any
///   non-empty text without `:` (which a part split at `:` never holds), and a pattern
///   can make such a text unless it is empty.
///
/// `None` for the other shapes.
fn quick_part_fit(
    pattern: &str,
    plain: bool,
    template: &str,
    shape: PartShape,
    resource_part: bool,
) -> Option<bool> {
    match shape {
        PartShape::Plain if plain => Some(pattern == template),
        PartShape::Placeholder if !resource_part && !pattern.contains(':') => {
            Some(!pattern.is_empty())
        }
        _ => None,
    }
}

/// Where a walk of a literal text through template tokens ended: the set of token
/// positions reached, as bits (bit `n` is the end).
struct Walk {
    at: u64,
    n: usize,
}

impl Walk {
    /// The text matches the tokens.
    fn at_end(&self) -> bool {
        self.at & 1 << self.n != 0
    }

    /// Some string the tokens accept starts with the text (every position can reach the
    /// end: each token accepts some character, a `Star` none).
    fn alive(&self) -> bool {
        self.at != 0
    }
}

/// Walks the text `text` (a pattern's field without wildcards or variables) through the
/// tokens `tokens` with the set of token positions reached as bits (an NFA over the tokens
/// stepped a character at a time, as bit-parallel string matching does: never more than
/// linear in the text): the same answers as [`intersects`] with the text's tokens, without
/// building them. `None` when the tokens are too many for the bits.
fn literal_walk(text: &str, tokens: &[Token]) -> Option<Walk> {
    let n = tokens.len();
    if n >= 64 {
        return None;
    }
    // Token positions as bits: literals, and by class the `One`s and the `Star`s.
    let (mut lits, mut stars) = (0u64, 0u64);
    let (mut one, mut star) = ([0u64; 3], [0u64; 3]);
    for (i, t) in tokens.iter().enumerate() {
        let bit = 1u64 << i;
        match *t {
            Token::Lit(_) => lits |= bit,
            Token::One(k) => one[k.index()] |= bit,
            Token::Star(k) => {
                stars |= bit;
                star[k.index()] |= bit;
            }
        }
    }
    let ones = one[0] | one[1] | one[2];
    // Positions before a `Star` may skip it (it takes no character).
    let close = |mut s: u64| loop {
        let more = s | (s & stars) << 1;
        if more == s {
            return s;
        }
        s = more;
    };
    let mut at = close(1);
    for c in text.chars() {
        // The `One`s and `Star`s whose class takes `c` (see `Class::accepts`).
        let (one_ok, star_ok) = match c {
            '/' => (one[0] | one[2], star[0] | star[2]),
            ':' => (one[0] | one[1], star[0] | star[1]),
            _ => (ones, stars),
        };
        let mut next = (at & one_ok) << 1 | (at & star_ok);
        let mut lit = at & lits;
        while lit != 0 {
            let i = lit.trailing_zeros() as usize;
            lit &= lit - 1;
            if tokens[i] == Token::Lit(c) {
                next |= 1 << (i + 1);
            }
        }
        at = close(next);
        if at == 0 {
            break;
        }
    }
    Some(Walk { at, n })
}

/// Placeholders that some template follows with `/` although their values may hold `/`
/// themselves: EventBridge partner event buses are named `aws.partner/SAAS/NAME`, and a
/// rule on such a bus is `rule/aws.partner/SAAS/NAME/RULE`.
const MAY_HOLD_SLASH: &[&str] = &["EventBusName"];

/// The placeholders that some template of a service follows with `/`: path segments that can
/// never hold a `/` themselves (S3's `BucketName`, DynamoDB's `TableName`).
pub fn slash_free_placeholders<'a>(
    templates: impl IntoIterator<Item = &'a str>,
) -> HashSet<String> {
    let mut names = HashSet::new();
    for template in templates {
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else { break };
            rest = &after[end + 1..];
            if rest.starts_with('/') && !MAY_HOLD_SLASH.contains(&&after[..end]) {
                names.insert(after[..end].to_string());
            }
        }
    }
    names
}

/// Splits into the five fields after `arn:`; the resource keeps its colons.
fn split_arn(s: &str) -> Option<[&str; 5]> {
    let fields = split_fields(s.strip_prefix("arn:")?);
    (fields.len == 5).then_some(fields.parts)
}

/// The fields [`split_fields`] found, kept in place (it runs for every fit of the lint).
struct Fields<'a> {
    parts: [&'a str; 5],
    len: usize,
}

impl<'a> Fields<'a> {
    fn as_slice(&self) -> &[&'a str] {
        &self.parts[..self.len]
    }
}

/// The text after `arn:` split at its first four colons, except colons inside `${…}`.
/// Fewer than five fields when the text has fewer colons.
fn split_fields(rest: &str) -> Fields<'_> {
    let mut out = Fields {
        parts: [""; 5],
        len: 0,
    };
    let (mut start, mut depth) = (0usize, 0usize);
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() && out.len < 4 {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => {
                out.parts[out.len] = &rest[start..i];
                out.len += 1;
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.parts[out.len] = &rest[start..];
    out.len += 1;
    out
}

/// A resource of a policy as IAM reads it: an ARN, or a pattern IAM accepts that is not
/// one: an ARN cut short by a final `*` that spans the missing parts
/// (`arn:aws:cloudfront::*`), or a placeholder standing for a whole ARN (`${Bucket.Arn}/*`,
/// from a CloudFormation template).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyResource<'a> {
    Arn(ArnParts<'a>),
    /// Not judged part by part; it may name resources of several types.
    Pattern,
}

/// Parses a policy's resource (`*` aside) and checks its parts as [`Arn::parse_strict`].
pub fn parse_policy_resource(text: &str) -> Result<PolicyResource<'_>, ArnError> {
    if text.starts_with("${") {
        return Ok(PolicyResource::Pattern);
    }
    match ArnParts::parse(text) {
        Ok(arn) => arn.validate_in_policy().map(|()| PolicyResource::Arn(arn)),
        Err(ArnError::TooFewParts) if text.ends_with('*') => {
            // The parts that are there must still be right.
            let rest = &text["arn:".len()..];
            let fields = split_fields(rest);
            let parts = fields.as_slice();
            let mut padded = ArnParts {
                partition: parts.first().copied().unwrap_or("*"),
                service: parts.get(1).copied().unwrap_or("*"),
                region: parts.get(2).copied().unwrap_or("*"),
                account: parts.get(3).copied().unwrap_or("*"),
                resource: "*",
            };
            if padded.service.is_empty() {
                padded.service = "*";
            }
            padded
                .validate_in_policy()
                .map(|()| PolicyResource::Pattern)
        }
        Err(e) => Err(e),
    }
}

/// Which characters a token accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Any,
    NoSlash,
    NoColon,
}

impl Class {
    /// Its place in `literal_walk`'s tables.
    fn index(self) -> usize {
        match self {
            Class::Any => 0,
            Class::NoSlash => 1,
            Class::NoColon => 2,
        }
    }

    fn accepts(self, c: char) -> bool {
        match self {
            Class::Any => true,
            Class::NoSlash => c != '/',
            Class::NoColon => c != ':',
        }
    }

    /// Is there a character both classes accept? (Always: plenty of letters.)
    fn overlaps(self, _other: Class) -> bool {
        true
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Lit(char),
    /// Exactly one character of the class.
    One(Class),
    /// Zero or more characters of the class.
    Star(Class),
}

/// Tokens of a resource pattern: `*` any run, `?` one character, and a policy variable
/// `${…}` any run too (its value is only known per request); `${*}`, `${?}` and `${$}` are
/// IAM's escapes for the literal characters.
fn pattern_tokens(s: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(s.len());
    pattern_tokens_into(s, &mut out);
    out
}

/// [`pattern_tokens`] appended to `out`.
fn pattern_tokens_into(s: &str, out: &mut Vec<Token>) {
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '$'
            && let Some(after) = rest.strip_prefix("${")
            && let Some(end) = after.find('}')
        {
            match &after[..end] {
                "*" => out.push(Token::Lit('*')),
                "?" => out.push(Token::Lit('?')),
                "$" => out.push(Token::Lit('$')),
                _ => out.push(Token::Star(Class::Any)),
            }
            rest = &after[end + 1..];
            continue;
        }
        out.push(match c {
            '*' => Token::Star(Class::Any),
            '?' => Token::One(Class::Any),
            c => Token::Lit(c),
        });
        rest = &rest[c.len_utf8()..];
    }
}

fn template_tokens(s: &str, slash_free: &HashSet<String>, resource_part: bool) -> Vec<Token> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        out.extend(rest[..start].chars().map(Token::Lit));
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.extend(rest[start..].chars().map(Token::Lit));
            return out;
        };
        let name = &after[..end];
        rest = &after[end + 1..];
        let class = if !resource_part {
            Class::NoColon
        } else if rest.starts_with('/') || slash_free.contains(name) {
            Class::NoSlash
        } else {
            Class::Any
        };
        out.push(Token::One(class));
        out.push(Token::Star(class));
    }
    out.extend(rest.chars().map(Token::Lit));
    out
}

/// Buffers the token search reuses on each thread: it runs for most resource fits of a
/// lint, and allocating its tokens, table and stack each time was a tenth of linting a
/// 10,000-statement policy.
#[derive(Default)]
struct Search {
    tokens: Vec<Token>,
    seen: Vec<bool>,
    stack: Vec<(usize, usize)>,
}

thread_local! {
    static SEARCH: std::cell::RefCell<Search> = std::cell::RefCell::default();
}

/// [`intersects`] of the tokens of the resource pattern `pattern` with `b`.
fn pattern_intersects(pattern: &str, b: &[Token]) -> bool {
    SEARCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut search) => {
            let Search {
                tokens,
                seen,
                stack,
            } = &mut *search;
            tokens.clear();
            pattern_tokens_into(pattern, tokens);
            intersects_in(tokens, b, seen, stack)
        }
        // Not reached (the search calls nothing that searches), but never a panic.
        Err(_) => intersects(&pattern_tokens(pattern), b),
    })
}

/// Do two token sequences accept a common string? A small search over position pairs.
fn intersects(a: &[Token], b: &[Token]) -> bool {
    intersects_in(a, b, &mut Vec::new(), &mut Vec::new())
}

/// [`intersects`] with its table and stack in the buffers given.
fn intersects_in(
    a: &[Token],
    b: &[Token],
    seen: &mut Vec<bool>,
    stack: &mut Vec<(usize, usize)>,
) -> bool {
    let width = b.len() + 1;
    seen.clear();
    seen.resize((a.len() + 1) * width, false);
    stack.clear();
    stack.push((0usize, 0usize));
    while let Some((i, j)) = stack.pop() {
        let slot = i * width + j;
        if seen[slot] {
            continue;
        }
        seen[slot] = true;
        if i == a.len() && j == b.len() {
            return true;
        }
        if let Some(Token::Star(_)) = a.get(i) {
            stack.push((i + 1, j));
        }
        if let Some(Token::Star(_)) = b.get(j) {
            stack.push((i, j + 1));
        }
        let (Some(&ta), Some(&tb)) = (a.get(i), b.get(j)) else {
            continue;
        };
        let compatible = match (ta, tb) {
            (Token::Lit(x), Token::Lit(y)) => x == y,
            (Token::Lit(c), Token::One(k) | Token::Star(k))
            | (Token::One(k) | Token::Star(k), Token::Lit(c)) => k.accepts(c),
            (Token::One(k1) | Token::Star(k1), Token::One(k2) | Token::Star(k2)) => k1.overlaps(k2),
        };
        if !compatible {
            continue;
        }
        let ni = if matches!(ta, Token::Star(_)) {
            i
        } else {
            i + 1
        };
        let nj = if matches!(tb, Token::Star(_)) {
            j
        } else {
            j + 1
        };
        if (ni, nj) != (i, j) {
            stack.push((ni, nj));
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const OBJECT: &str = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
    const BUCKET: &str = "arn:${Partition}:s3:::${BucketName}";

    #[test]
    fn quick_part_fits_agree_with_the_token_search() {
        let patterns = [
            "",
            "aws",
            "aws-cn",
            "*",
            "?",
            "a*",
            "**",
            "eu-west-1",
            "123456789012",
        ];
        let templates = [
            "",
            "aws",
            "${Partition}",
            "${Region}",
            "x${Region}",
            "${A}${B}",
            "s3",
        ];
        let none = HashSet::new();
        for p in patterns {
            for t in templates {
                for resource_part in [false, true] {
                    let plain = !p.contains(['*', '?']) && !p.contains("${");
                    let tokens = template_tokens(t, &none, resource_part);
                    let slow = intersects(&pattern_tokens(p), &tokens);
                    if let Some(quick) =
                        quick_part_fit(p, plain, t, PartShape::of(t), resource_part)
                    {
                        assert_eq!(quick, slow, "{p:?} against {t:?}");
                    }
                    if plain {
                        let walked = literal_walk(p, &tokens).map(|w| w.at_end());
                        assert_eq!(walked, Some(slow), "{p:?} against {t:?}");
                    }
                    if let Some(prefix) = p.strip_suffix('*')
                        && Form::of(p) == Form::PrefixStar
                    {
                        let walked = literal_walk(prefix, &tokens).map(|w| w.alive());
                        assert_eq!(walked, Some(slow), "{p:?} against {t:?}");
                    }
                }
            }
        }
    }

    /// The region shape read without collecting parts, as the collecting reading.
    #[test]
    fn region_shapes_as_split_parts() {
        let collected = |s: &str| {
            let parts: Vec<&str> = s.split('-').collect();
            parts.len() >= 3
                && parts[..parts.len() - 1]
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
                && parts
                    .last()
                    .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        };
        for s in [
            "eu-west-1",
            "us-gov-west-1",
            "euwest1",
            "eu-west",
            "eu--1",
            "-eu-west-1",
            "eu-west-",
            "eu-west-1a",
            "EU-west-1",
            "a-b-12",
            "a-b-c-d-9",
            "",
            "-",
            "--",
            "--1",
            "é-b-1",
        ] {
            assert_eq!(is_region(s), collected(s), "{s:?}");
        }
    }

    /// Templates too long for `literal_walk`'s bits fall back to the token search.
    #[test]
    fn long_templates_fit_as_short_ones() {
        let long = "x".repeat(200);
        let template = format!("arn:${{Partition}}:svc:::thing/{long}/${{Name}}");
        let none = HashSet::new();
        let prepared = PreparedTemplate::new(&template, &none);
        for p in [
            format!("arn:aws:svc:::thing/{long}/n"),
            format!("arn:aws:svc:::thing/{long}/"),
            format!("arn:aws:svc:::thing/{long}x/n"),
            format!("arn:aws:svc:::thing/{long}/*"),
            "arn:aws:svc:::thing/x".to_string(),
        ] {
            assert_eq!(
                prepared.fits(&p),
                fits_by_search(&p, &template, &none),
                "{p}"
            );
        }
        assert!(prepared.fits(&format!("arn:aws:svc:::thing/{long}/n")));
        assert!(!prepared.fits(&format!("arn:aws:svc:::thing/{long}/")));
    }

    #[test]
    fn parse_and_print_round_trip() {
        let text = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/fn:*";
        let arn = Arn::parse_strict(text).unwrap();
        assert_eq!(arn.service, "logs");
        assert_eq!(arn.resource, "log-group:/aws/lambda/fn:*");
        assert_eq!(arn.to_string(), text);
    }

    #[test]
    fn validation_names_the_bad_part() {
        assert_eq!(Arn::parse_strict("s3:::b"), Err(ArnError::MissingPrefix));
        assert_eq!(Arn::parse_strict("arn:aws:s3"), Err(ArnError::TooFewParts));
        assert!(matches!(
            Arn::parse_strict("arn:awz:s3:::b"),
            Err(ArnError::Partition(_))
        ));
        assert!(matches!(
            Arn::parse_strict("arn:aws:S3:::b"),
            Err(ArnError::Service(_))
        ));
        assert!(matches!(
            Arn::parse_strict("arn:aws:sqs:euwest1:123456789012:q"),
            Err(ArnError::Region(_))
        ));
        assert!(matches!(
            Arn::parse_strict("arn:aws:sqs:eu-west-1:12345:q"),
            Err(ArnError::Account(_))
        ));
        assert!(Arn::parse_strict("arn:aws:iam::aws:policy/AdministratorAccess").is_ok());
        assert!(Arn::parse_strict("arn:aws:sqs:*:*:q-*").is_ok());
        assert!(Arn::parse_strict("arn:aws-us-gov:sqs:us-gov-west-1:123456789012:q").is_ok());
    }

    #[test]
    fn wildcards_as_iam_does_them() {
        assert!(wildcard_match("s3:Get*", "s3:GetObject"));
        assert!(wildcard_match("s3:*Object", "s3:PutObject"));
        assert!(wildcard_match("s3:Put?bject", "s3:PutObject"));
        assert!(!wildcard_match("s3:Get*", "s3:PutObject"));
        assert!(!wildcard_match("s3:get*", "s3:GetObject"));
        assert!(wildcard_match_ignore_case("S3:get*", "s3:GetObject"));
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("a*b*c", "aXbYbZc"));
        assert!(
            wildcard_match("caf?", "café"),
            "? is one character, not one byte"
        );
        assert!(wildcard_match_ignore_case("CAF?", "café"));
    }

    #[test]
    fn s3_objects_and_buckets_are_told_apart() {
        let slash_free = slash_free_placeholders([OBJECT, BUCKET]);
        assert_eq!(slash_free, HashSet::from(["BucketName".to_string()]));
        let fits = |p: &str, t: &str| pattern_fits_template_with(p, t, &slash_free);
        assert!(fits("arn:aws:s3:::b/*", OBJECT));
        assert!(!fits("arn:aws:s3:::b/*", BUCKET));
        // Without the service's other templates, a trailing name may hold a slash.
        assert!(pattern_fits_template("arn:aws:s3:::b/*", BUCKET));
        assert!(pattern_fits_template("arn:aws:s3:::b", BUCKET));
        assert!(!pattern_fits_template("arn:aws:s3:::b", OBJECT));
        assert!(pattern_fits_template(
            "arn:aws:s3:::b/reports/2024/x.csv",
            OBJECT
        ));
        assert!(pattern_fits_template("arn:aws:s3:::*", BUCKET));
        assert!(pattern_fits_template("arn:aws:s3:::*", OBJECT));
        assert!(pattern_fits_template("*", BUCKET));
        assert!(pattern_fits_template("arn:*:s3:::my-?ucket", BUCKET));
        assert!(!pattern_fits_template(
            "arn:aws:sqs:eu-west-1:123456789012:q",
            BUCKET
        ));
    }

    #[test]
    fn tables_and_indexes_are_told_apart() {
        let table = "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}";
        let index =
            "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}/index/${IndexName}";
        let slash_free: HashSet<String> = ["TableName".to_string()].into();
        let t = "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders";
        let i = "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/index/*";
        assert!(pattern_fits_template_with(t, table, &slash_free));
        assert!(!pattern_fits_template_with(t, index, &slash_free));
        assert!(pattern_fits_template_with(i, index, &slash_free));
        assert!(!pattern_fits_template_with(i, table, &slash_free));
        let all = "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders*";
        assert!(pattern_fits_template_with(all, table, &slash_free));
        assert!(pattern_fits_template_with(all, index, &slash_free));
    }

    #[test]
    fn log_groups_with_slashes_and_colons() {
        let group = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}";
        let stream = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}";
        let p = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/fn:*";
        assert!(pattern_fits_template(p, group));
        assert!(pattern_fits_template(p, stream));
    }

    #[test]
    fn regions_must_agree_with_the_template() {
        let bucket_with_region = "arn:aws:s3:eu-west-1::b";
        assert!(!pattern_fits_template(bucket_with_region, BUCKET));
        assert!(pattern_fits_template("arn:aws:s3:*::b", BUCKET));
    }

    #[test]
    fn prepared_templates_fit_as_the_text_does() {
        let templates = [
            OBJECT,
            BUCKET,
            "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}",
            "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}/index/${IndexName}",
            "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}",
            "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}",
            "not an arn",
        ];
        let patterns = [
            "*",
            "arn:aws:s3:::b",
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::*",
            "arn:aws:s3:*::b",
            "arn:aws:s3:eu-west-1::b",
            "arn:aws:dynamodb:eu-west-1:123456789012:table/t",
            "arn:aws:dynamodb:eu-west-1:123456789012:table/t/index/*",
            "arn:aws:dynamodb:*:*:table/t*",
            "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/f:*",
            "arn:aws:iam::${aws:PrincipalAccount}:role/x",
            "arn:aws:iam::123456789012:role/a/b",
            "arn:aws:sqs:*",
            "arn:*",
            "arn:aws",
            "",
        ];
        let slash_free = slash_free_placeholders(templates);
        for t in templates {
            let prepared = PreparedTemplate::new(t, &slash_free);
            for p in patterns {
                assert_eq!(
                    prepared.fits(p),
                    pattern_fits_template_with(p, t, &slash_free),
                    "{p:?} against {t:?}"
                );
            }
        }
    }
}
