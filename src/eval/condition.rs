//! Condition operators with IAM's documented semantics.
//!
//! - A key missing from the request makes a positive operator false and a negated one
//!   (`StringNotEquals`, `NotIpAddress`, `ArnNotLike`, ...) true; `...IfExists` makes a
//!   missing key true; `Null` tests presence itself.
//! - Several values for one key are OR'ed; several keys and operators are AND'ed.
//! - `ForAnyValue:` is true when some request value matches; `ForAllValues:` when every one
//!   does, and also when the key is missing or empty. A negated operator under a set
//!   qualifier is applied to each request value ("matches none of the policy values").
//! - Policy variables are filled only for String, Arn and Bool operators; a variable with
//!   no value makes the condition (and so the statement) not apply.

use std::net::IpAddr;

use crate::policy::{ConditionBlock, OneOrMany};

use super::pattern::{Template, Tok, matches, wild_tokens};
use super::request::Context;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Base {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    Numeric(NumCmp),
    Date(NumCmp),
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NumCmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SetOp {
    None,
    ForAll,
    ForAny,
}

/// The parsed operator name: `ForAllValues:StringNotLikeIfExists` and the like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Operator {
    base: Base,
    negated: bool,
    set: SetOp,
    if_exists: bool,
}

fn parse_operator(op: &str) -> Option<Operator> {
    let (set, rest) = match op.split_once(':') {
        Some(("ForAllValues", rest)) => (SetOp::ForAll, rest),
        Some(("ForAnyValue", rest)) => (SetOp::ForAny, rest),
        Some(_) => return None,
        None => (SetOp::None, op),
    };
    let (name, if_exists) = match rest.strip_suffix("IfExists") {
        Some(b) => (b, true),
        None => (rest, false),
    };
    use Base::*;
    let (base, negated) = match name {
        "StringEquals" => (StringEquals, false),
        "StringNotEquals" => (StringEquals, true),
        "StringEqualsIgnoreCase" => (StringEqualsIgnoreCase, false),
        "StringNotEqualsIgnoreCase" => (StringEqualsIgnoreCase, true),
        "StringLike" => (StringLike, false),
        "StringNotLike" => (StringLike, true),
        "NumericEquals" => (Numeric(NumCmp::Eq), false),
        "NumericNotEquals" => (Numeric(NumCmp::Eq), true),
        "NumericLessThan" => (Numeric(NumCmp::Lt), false),
        "NumericLessThanEquals" => (Numeric(NumCmp::Le), false),
        "NumericGreaterThan" => (Numeric(NumCmp::Gt), false),
        "NumericGreaterThanEquals" => (Numeric(NumCmp::Ge), false),
        "DateEquals" => (Date(NumCmp::Eq), false),
        "DateNotEquals" => (Date(NumCmp::Eq), true),
        "DateLessThan" => (Date(NumCmp::Lt), false),
        "DateLessThanEquals" => (Date(NumCmp::Le), false),
        "DateGreaterThan" => (Date(NumCmp::Gt), false),
        "DateGreaterThanEquals" => (Date(NumCmp::Ge), false),
        "Bool" => (Bool, false),
        "BinaryEquals" => (Binary, false),
        "IpAddress" => (Ip, false),
        "NotIpAddress" => (Ip, true),
        "ArnEquals" | "ArnLike" => (Arn, false),
        "ArnNotEquals" | "ArnNotLike" => (Arn, true),
        "Null" => (Null, false),
        _ => return None,
    };
    if base == Null && (set != SetOp::None || if_exists) {
        return None;
    }
    Some(Operator {
        base,
        negated,
        set,
        if_exists,
    })
}

/// One policy value, prepared for its operator.
#[derive(Clone, Debug)]
enum Value {
    /// String, Arn and Bool operators: text that may hold variables.
    Text(Template),
    Number(Option<f64>),
    /// Seconds since the epoch.
    Date(Option<f64>),
    Ip(Option<Cidr>),
    Binary(Option<Vec<u8>>),
    Null(Option<bool>),
}

/// One `operator: {key: values}` entry of a statement's `Condition`.
#[derive(Clone, Debug)]
pub(crate) struct Condition {
    pub operator: String,
    pub key: String,
    op: Option<Operator>,
    /// The values as written, for reasons.
    written: Vec<String>,
    values: Vec<Value>,
}

/// What one condition says about a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    True,
    /// False, with the reason in words.
    False(String),
    /// A policy variable in the values has no value: the statement does not apply.
    Unresolved(String),
}

/// Compiles every condition of a block (author's order).
pub(crate) fn compile(block: Option<&ConditionBlock>, variables: bool) -> Vec<Condition> {
    let Some(block) = block else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (operator, keys) in block {
        let op = parse_operator(operator);
        for (key, values) in keys {
            let written: Vec<String> = match values {
                OneOrMany::One(v) => vec![v.as_text()],
                OneOrMany::Many(vs) => vs.iter().map(|v| v.as_text()).collect(),
            };
            let prepared = written
                .iter()
                .map(|v| match op.map(|o| o.base) {
                    Some(Base::Numeric(_)) => Value::Number(parse_number(v)),
                    Some(Base::Date(_)) => Value::Date(parse_date(v)),
                    Some(Base::Ip) => Value::Ip(Cidr::parse(v)),
                    Some(Base::Binary) => Value::Binary(base64_decode(v)),
                    Some(Base::Null) => Value::Null(parse_bool(v)),
                    _ => Value::Text(Template::parse(v, variables)),
                })
                .collect();
            out.push(Condition {
                operator: operator.clone(),
                key: key.clone(),
                op,
                written,
                values: prepared,
            });
        }
    }
    out
}

impl Condition {
    /// Evaluates the condition; reasons are only put into words when `explain` is set.
    pub fn evaluate(&self, context: &Context, explain: bool) -> Outcome {
        let Some(op) = self.op else {
            return Outcome::False(format!(
                "condition operator {} is not one IAM knows",
                self.operator
            ));
        };
        let request = context.get(&self.key);
        let present = request.is_some();
        if op.base == Base::Null {
            // `true`: the key must be absent; `false`: present. Several values: OR.
            let ok = self.values.iter().any(|v| match v {
                Value::Null(Some(want_absent)) => *want_absent != present,
                _ => false,
            });
            return self.outcome(ok, explain, || {
                if present {
                    "the request has the key".to_string()
                } else {
                    "the request has no such key".to_string()
                }
            });
        }
        // An empty set of values: `ForAllValues` true, `ForAnyValue` false.
        let values: &[String] = match request {
            Some(v) if !(v.len() == 1 && v[0].is_empty() && op.set != SetOp::None) => v,
            Some(_) => &[],
            None => &[],
        };
        if !present || values.is_empty() {
            let ok = op.if_exists
                || match op.set {
                    SetOp::ForAll => true,
                    SetOp::ForAny => false,
                    SetOp::None => op.negated,
                };
            return self.outcome(ok, explain, || {
                if present {
                    "the request gives the key no values".to_string()
                } else {
                    "the request has no such key".to_string()
                }
            });
        }
        // Resolve the policy values once.
        let mut resolved = Vec::with_capacity(self.values.len());
        for v in &self.values {
            match self.resolve(v, context, op) {
                Ok(r) => resolved.push(r),
                Err(var) => return Outcome::Unresolved(var),
            }
        }
        let value_ok = |rv: &str| {
            let hit = resolved.iter().any(|p| p.matches(op, rv));
            hit != op.negated
        };
        let ok = match op.set {
            SetOp::ForAll => values.iter().all(|v| value_ok(v)),
            SetOp::ForAny => values.iter().any(|v| value_ok(v)),
            // Without a qualifier: positive operators need some value to match, negated
            // ones that none does.
            SetOp::None => {
                let hit = values
                    .iter()
                    .any(|v| resolved.iter().any(|p| p.matches(op, v)));
                hit != op.negated
            }
        };
        self.outcome(ok, explain, || {
            format!(
                "the request has {} and the policy wants {}",
                list(values),
                list(&self.written)
            )
        })
    }

    fn outcome(&self, ok: bool, explain: bool, why: impl FnOnce() -> String) -> Outcome {
        if ok {
            Outcome::True
        } else if explain {
            Outcome::False(format!(
                "condition {} {}: {}",
                self.operator,
                self.key,
                why()
            ))
        } else {
            Outcome::False(String::new())
        }
    }

    fn resolve(&self, v: &Value, context: &Context, op: Operator) -> Result<Resolved, String> {
        Ok(match v {
            Value::Text(t) => match op.base {
                Base::StringLike => {
                    let mut toks = Vec::new();
                    t.resolve(context, &mut toks)?;
                    Resolved::Tokens(toks)
                }
                Base::Arn => {
                    let text = t.resolve_text(context)?;
                    Resolved::Arn(arn_parts(&text).map(|parts| {
                        parts.map(|p| {
                            let mut toks = wild_tokens(p);
                            for tok in &mut toks {
                                if let Tok::Star { colons } | Tok::One { colons } = tok {
                                    *colons = false;
                                }
                            }
                            toks
                        })
                    }))
                }
                _ => Resolved::Text(t.resolve_text(context)?),
            },
            Value::Number(n) => Resolved::Number(*n),
            Value::Date(d) => Resolved::Number(*d),
            Value::Ip(c) => Resolved::Ip(*c),
            Value::Binary(b) => Resolved::Binary(b.clone()),
            Value::Null(_) => Resolved::Number(None),
        })
    }
}

fn list(values: &[String]) -> String {
    match values {
        [one] => format!("\"{one}\""),
        many => format!(
            "[{}]",
            many.iter()
                .map(|v| format!("\"{v}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A policy value with its variables filled.
enum Resolved {
    Text(String),
    Tokens(Vec<Tok>),
    /// The six colon-separated parts (the last holds the rest), each a pattern.
    Arn(Option<[Vec<Tok>; 6]>),
    Number(Option<f64>),
    Ip(Option<Cidr>),
    Binary(Option<Vec<u8>>),
}

impl Resolved {
    /// Does one request value match this policy value under the positive operator?
    fn matches(&self, op: Operator, request: &str) -> bool {
        match (op.base, self) {
            (Base::StringEquals, Resolved::Text(p)) => p == request,
            (Base::StringEqualsIgnoreCase, Resolved::Text(p)) => {
                p.to_lowercase() == request.to_lowercase()
            }
            (Base::StringLike, Resolved::Tokens(t)) => matches(t, request),
            (Base::Bool, Resolved::Text(p)) => {
                matches!((parse_bool(p), parse_bool(request)), (Some(a), Some(b)) if a == b)
            }
            (Base::Arn, Resolved::Arn(Some(parts))) => match arn_parts(request) {
                Some(req) => parts.iter().zip(req).all(|(p, r)| {
                    // The resource part may hold colons.
                    matches(p, r)
                }),
                None => false,
            },
            (Base::Numeric(cmp), Resolved::Number(Some(p))) => {
                parse_number(request).is_some_and(|r| compare(cmp, r, *p))
            }
            (Base::Date(cmp), Resolved::Number(Some(p))) => {
                parse_date(request).is_some_and(|r| compare(cmp, r, *p))
            }
            (Base::Ip, Resolved::Ip(Some(cidr))) => {
                request.parse::<IpAddr>().is_ok_and(|ip| cidr.contains(ip))
            }
            (Base::Binary, Resolved::Binary(Some(p))) => match base64_decode(request) {
                Some(r) => &r == p,
                None => request.as_bytes() == p.as_slice(),
            },
            _ => false,
        }
    }
}

fn compare(cmp: NumCmp, request: f64, policy: f64) -> bool {
    match cmp {
        NumCmp::Eq => request == policy,
        NumCmp::Lt => request < policy,
        NumCmp::Le => request <= policy,
        NumCmp::Gt => request > policy,
        NumCmp::Ge => request >= policy,
    }
}

/// Splits an ARN into its six parts (the resource keeps its colons).
fn arn_parts(text: &str) -> Option<[&str; 6]> {
    let mut it = text.splitn(6, ':');
    let parts = [
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
    ];
    (parts[0] == "arn" || parts[0].contains(['*', '?'])).then_some(parts)
}

fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// An integer or decimal (IAM's Numeric operators take both).
fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim();
    let ok = !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'));
    if !ok {
        return None;
    }
    t.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// A date as IAM accepts it: epoch seconds, or one of the W3C profiles of ISO 8601
/// (`2024`, `2024-05`, `2024-05-01`, `2024-05-01T10:00Z`, `2024-05-01T10:00:00+02:00`,
/// `2024-05-01T10:00:00.5Z`). Returns seconds since 1970-01-01T00:00:00Z.
pub(crate) fn parse_date(s: &str) -> Option<f64> {
    let t = s.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) && t.len() != 4 {
        return t.parse::<f64>().ok();
    }
    let (date, time) = match t.split_once(['T', 't']) {
        Some((d, tm)) => (d, Some(tm)),
        None => (t, None),
    };
    let mut dp = date.split('-');
    let year: i64 = num(dp.next()?, 4)?;
    let month: i64 = dp.next().map_or(Some(1), |m| num(m, 2))?;
    let day: i64 = dp.next().map_or(Some(1), |d| num(d, 2))?;
    if dp.next().is_some()
        || !(1..=12).contains(&month)
        || !(1..=days_in(year, month)).contains(&day)
    {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) as f64 * 86_400.0;
    if let Some(time) = time {
        let (clock, offset) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
            (c, 0.0)
        } else if let Some(i) = time.rfind(['+', '-']) {
            let (c, off) = time.split_at(i);
            let sign = if off.starts_with('-') { -1.0 } else { 1.0 };
            let (h, m) = off[1..].split_once(':')?;
            (
                c,
                sign * (num(h, 2)? as f64 * 3600.0 + num(m, 2)? as f64 * 60.0),
            )
        } else {
            (time, 0.0)
        };
        let mut cp = clock.split(':');
        let h: i64 = num(cp.next()?, 2)?;
        let m: i64 = num(cp.next()?, 2)?;
        let sec: f64 = match cp.next() {
            Some(sx) => {
                let (whole, frac) = sx.split_once('.').unwrap_or((sx, ""));
                let w = num(whole, 2)? as f64;
                if !frac.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                w + if frac.is_empty() {
                    0.0
                } else {
                    format!("0.{frac}").parse::<f64>().ok()?
                }
            }
            None => 0.0,
        };
        if cp.next().is_some() || h > 24 || m > 59 || sec >= 61.0 {
            return None;
        }
        seconds += h as f64 * 3600.0 + m as f64 * 60.0 + sec - offset;
    }
    Some(seconds)
}

fn num(s: &str, width: usize) -> Option<i64> {
    (s.len() == width && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn days_in(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// An IPv4 or IPv6 range; an address without a prefix is a /32 or /128.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn parse(s: &str) -> Option<Cidr> {
        let t = s.trim();
        let (a, p) = match t.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (t, None),
        };
        let addr: IpAddr = a.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max)?,
            None => max,
        };
        Some(Cidr { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - self.prefix as u32).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - self.prefix as u32).unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// Standard base64 (padding optional); `None` for anything else.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let t = s.trim().trim_end_matches('=');
    let mut out = Vec::with_capacity(t.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for b in t.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_every_w3c_profile_and_epoch() {
        assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(parse_date("1970-01-02"), Some(86_400.0));
        assert_eq!(parse_date("86400"), Some(86_400.0));
        assert_eq!(
            parse_date("2020-01-01T01:00:00+01:00"),
            parse_date("2020-01-01T00:00:00Z")
        );
        assert_eq!(parse_date("2020"), parse_date("2020-01-01"));
        assert_eq!(parse_date("2020-03"), parse_date("2020-03-01T00:00Z"));
        assert!(parse_date("2020-02-30").is_none());
        assert!(parse_date("yesterday").is_none());
        assert_eq!(parse_date("2020-01-01T00:00:00.5Z"), Some(1_577_836_800.5));
    }

    #[test]
    fn cidrs_v4_and_v6() {
        let c = Cidr::parse("203.0.113.0/24").unwrap();
        assert!(c.contains("203.0.113.7".parse().unwrap()));
        assert!(!c.contains("203.0.114.7".parse().unwrap()));
        let one = Cidr::parse("203.0.113.7").unwrap();
        assert!(one.contains("203.0.113.7".parse().unwrap()));
        assert!(!one.contains("203.0.113.8".parse().unwrap()));
        let v6 = Cidr::parse("2001:DB8:1234:5678::/64").unwrap();
        assert!(v6.contains("2001:db8:1234:5678::1".parse().unwrap()));
        assert!(!v6.contains("203.0.113.7".parse().unwrap()));
        assert!(
            Cidr::parse("0.0.0.0/0")
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
        assert!(Cidr::parse("10.0.0.0/33").is_none());
    }

    #[test]
    fn base64() {
        assert_eq!(
            base64_decode("QmluYXJ5VmFsdWVJbkJhc2U2NA==").unwrap(),
            b"BinaryValueInBase64"
        );
        assert!(base64_decode("not base64!").is_none());
    }

    #[test]
    fn operators_parse_like_iam() {
        assert!(parse_operator("ForAllValues:StringNotLikeIfExists").is_some());
        assert!(parse_operator("NullIfExists").is_none());
        assert!(parse_operator("ForAnyValue:Null").is_none());
        assert!(parse_operator("stringequals").is_none());
    }
}
