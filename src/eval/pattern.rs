//! IAM's string patterns: `*` and `?` wildcards, policy variables (`${aws:username}`,
//! `${aws:PrincipalTag/team, 'none'}`, `${*}`, `${?}`, `${$}`), and how a resource ARN is
//! matched part by part.
//!
//! A pattern is parsed once into [`Template`] pieces; per request the variables are filled
//! from the context into [`Tok`]ens, which an NFA over the text matches in O(tokens × text).
//! Values substituted for variables are literal text, never wildcards.

use super::request::Context;

/// One token of a resolved pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    Lit(char),
    /// Any run of characters; `colons: false` when it may not cross a `:`.
    Star {
        colons: bool,
    },
    /// Exactly one character.
    One {
        colons: bool,
    },
}

/// A piece of a pattern as written.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    /// Text whose `*` and `?` are wildcards.
    Text(String),
    /// `${key}` or `${key, 'default'}`.
    Var {
        key: String,
        default: Option<String>,
    },
    /// `${*}`, `${?}` or `${$}`: the character itself, never a wildcard.
    Char(char),
}

/// A pattern with its policy variables not yet filled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Template {
    pieces: Vec<Piece>,
}

impl Template {
    /// Parses `text`; with `variables == false` (policies older than 2012-10-17) `${...}` is
    /// plain text, as IAM treats it.
    pub fn parse(text: &str, variables: bool) -> Template {
        let mut pieces = Vec::new();
        if !variables {
            pieces.push(Piece::Text(text.to_string()));
            return Template { pieces };
        }
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            let Some(len) = rest[start + 2..].find('}') else {
                break;
            };
            let inner = &rest[start + 2..start + 2 + len];
            let piece = match inner {
                "*" => Some(Piece::Char('*')),
                "?" => Some(Piece::Char('?')),
                "$" => Some(Piece::Char('$')),
                _ => parse_variable(inner),
            };
            match piece {
                Some(p) => {
                    if start > 0 {
                        pieces.push(Piece::Text(rest[..start].to_string()));
                    }
                    pieces.push(p);
                }
                None => pieces.push(Piece::Text(rest[..start + 3 + len].to_string())),
            }
            rest = &rest[start + 3 + len..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_string()));
        }
        Template { pieces }
    }

    /// True when some piece needs the request context.
    pub fn has_variables(&self) -> bool {
        self.pieces.iter().any(|p| matches!(p, Piece::Var { .. }))
    }

    /// Fills the variables from `context` and returns the tokens (wildcards marked as
    /// spanning colons), or the first variable that has no value and no default.
    pub fn resolve(&self, context: &Context, out: &mut Vec<Tok>) -> Result<(), String> {
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => push_wild(t, out),
                Piece::Char(c) => out.push(Tok::Lit(*c)),
                Piece::Var { key, default } => {
                    let value = context.single(key).or(default.as_deref());
                    match value {
                        Some(v) => out.extend(v.chars().map(Tok::Lit)),
                        None => return Err(key.clone()),
                    }
                }
            }
        }
        Ok(())
    }

    /// The text with variables filled and wildcards left as written (for plain string
    /// comparisons, where `*` is just a character).
    pub fn resolve_text(&self, context: &Context) -> Result<String, String> {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Char(c) => out.push(*c),
                Piece::Var { key, default } => match context.single(key).or(default.as_deref()) {
                    Some(v) => out.push_str(v),
                    None => return Err(key.clone()),
                },
            }
        }
        Ok(out)
    }
}

/// `aws:username` or `aws:PrincipalTag/team, 'none'`.
fn parse_variable(inner: &str) -> Option<Piece> {
    let (key, default) = match inner.split_once(',') {
        Some((k, d)) => {
            let d = d.trim();
            let d = d.strip_prefix('\'')?.strip_suffix('\'')?;
            (k.trim(), Some(d.to_string()))
        }
        None => (inner.trim(), None),
    };
    let ok = !key.is_empty() && !key.contains(char::is_whitespace) && !key.contains(['{', '$']);
    ok.then(|| Piece::Var {
        key: key.to_string(),
        default,
    })
}

fn push_wild(text: &str, out: &mut Vec<Tok>) {
    out.extend(text.chars().map(|c| match c {
        '*' => Tok::Star { colons: true },
        '?' => Tok::One { colons: true },
        c => Tok::Lit(c),
    }));
}

/// Tokens for a plain wildcard pattern (actions, `StringLike`), wildcards crossing anything.
pub(crate) fn wild_tokens(text: &str) -> Vec<Tok> {
    let mut out = Vec::with_capacity(text.len());
    push_wild(text, &mut out);
    out
}

/// Marks which wildcards of a resolved resource pattern may cross a `:`, as IAM documents:
/// the first five parts of an ARN are matched part by part, but a `*` that ends a part may
/// run on across colons; inside the resource part (after the fifth colon) wildcards cross
/// `/` and `:` alike. A pattern that is not an ARN (`*`) is all resource part.
pub(crate) fn mark_resource_colons(tokens: &mut [Tok]) {
    let is_arn = tokens.len() >= 4
        && tokens[..4] == [Tok::Lit('a'), Tok::Lit('r'), Tok::Lit('n'), Tok::Lit(':')];
    if !is_arn {
        return;
    }
    let mut colons_seen = 0;
    for i in 0..tokens.len() {
        if colons_seen >= 5 {
            break;
        }
        let next_is_colon_or_end = matches!(tokens.get(i + 1), None | Some(Tok::Lit(':')));
        match &mut tokens[i] {
            Tok::Lit(':') => colons_seen += 1,
            Tok::Star { colons } => *colons = next_is_colon_or_end,
            Tok::One { colons } => *colons = false,
            Tok::Lit(_) => {}
        }
    }
}

/// Does `tokens` match all of `text`? Case-sensitive unless the caller folded both sides.
pub(crate) fn matches(tokens: &[Tok], text: &str) -> bool {
    // Plain literals (most ARNs and actions without wildcards): compare directly.
    if tokens.iter().all(|t| matches!(t, Tok::Lit(_))) {
        let mut chars = text.chars();
        for t in tokens {
            match (t, chars.next()) {
                (Tok::Lit(a), Some(b)) if *a == b => {}
                _ => return false,
            }
        }
        return chars.next().is_none();
    }
    if let Some(result) = ascii_glob(tokens, text) {
        return result;
    }
    let n = tokens.len();
    let words = (n + 1).div_ceil(64);
    let mut state = vec![0u64; words];
    let mut next = vec![0u64; words];
    set(&mut state, 0);
    close(tokens, &mut state);
    for c in text.chars() {
        next.iter_mut().for_each(|w| *w = 0);
        let mut any = false;
        for (i, tok) in tokens.iter().enumerate() {
            if !get(&state, i) {
                continue;
            }
            match *tok {
                Tok::Lit(x) if x == c => {
                    set(&mut next, i + 1);
                    any = true;
                }
                Tok::One { colons } if colons || c != ':' => {
                    set(&mut next, i + 1);
                    any = true;
                }
                Tok::Star { colons } if colons || c != ':' => {
                    set(&mut next, i);
                    any = true;
                }
                _ => {}
            }
        }
        if !any {
            return false;
        }
        std::mem::swap(&mut state, &mut next);
        close(tokens, &mut state);
    }
    get(&state, n)
}

/// The common case fast: ASCII text and a pattern whose `*`s all may cross colons, matched
/// greedily with backtracking to the last `*` (correct when every `*` accepts any
/// character; linear in practice). `None` when the case does not apply.
fn ascii_glob(tokens: &[Tok], text: &str) -> Option<bool> {
    if !text.is_ascii()
        || tokens.iter().any(|t| match t {
            Tok::Lit(c) => !c.is_ascii(),
            Tok::Star { colons } => !colons,
            Tok::One { .. } => false,
        })
    {
        return None;
    }
    let t = text.as_bytes();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    let one_ok = |tok: &Tok, b: u8| match *tok {
        Tok::Lit(c) => c as u32 == b as u32,
        Tok::One { colons } => colons || b != b':',
        Tok::Star { .. } => false,
    };
    while ti < t.len() {
        if pi < tokens.len() && one_ok(&tokens[pi], t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < tokens.len() && matches!(tokens[pi], Tok::Star { .. }) {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return Some(false);
        }
    }
    Some(tokens[pi..].iter().all(|t| matches!(t, Tok::Star { .. })))
}

/// Adds the states reachable without input: past every `*` (which may match nothing).
fn close(tokens: &[Tok], state: &mut [u64]) {
    for (i, tok) in tokens.iter().enumerate() {
        if matches!(tok, Tok::Star { .. }) && get(state, i) {
            set(state, i + 1);
        }
    }
}

fn get(bits: &[u64], i: usize) -> bool {
    bits[i / 64] & (1 << (i % 64)) != 0
}

fn set(bits: &mut [u64], i: usize) {
    bits[i / 64] |= 1 << (i % 64);
}

/// A resource pattern of a statement, compiled: the part before the fifth colon never holds
/// variables (IAM only fills them in the resource part), the rest may.
#[derive(Clone, Debug)]
pub(crate) struct ResourcePattern {
    pub text: String,
    head: String,
    tail: Template,
    /// Tokens, when the pattern has no variables.
    fixed: Option<Vec<Tok>>,
}

impl ResourcePattern {
    pub fn new(text: &str, variables: bool) -> ResourcePattern {
        let split = text.match_indices(':').nth(4).map_or(
            if text.starts_with("arn:") {
                text.len()
            } else {
                0
            },
            |(i, _)| i + 1,
        );
        let head = text[..split].to_string();
        let tail = Template::parse(&text[split..], variables);
        let mut p = ResourcePattern {
            text: text.to_string(),
            head,
            tail,
            fixed: None,
        };
        if !p.tail.has_variables() {
            let mut toks = Vec::new();
            // Cannot fail without variables.
            let _ = p.resolve_into(&Context::default(), &mut toks);
            p.fixed = Some(toks);
        }
        p
    }

    fn resolve_into(&self, context: &Context, out: &mut Vec<Tok>) -> Result<(), String> {
        push_wild(&self.head, out);
        self.tail.resolve(context, out)?;
        mark_resource_colons(out);
        Ok(())
    }

    /// Does the pattern match `resource`? `Err(variable)` when a variable has no value.
    pub fn matches(&self, resource: &str, context: &Context) -> Result<bool, String> {
        if let Some(t) = &self.fixed {
            return Ok(matches(t, resource));
        }
        let mut toks = Vec::new();
        self.resolve_into(context, &mut toks)?;
        Ok(matches(&toks, resource))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(p: &str, r: &str) -> bool {
        ResourcePattern::new(p, true)
            .matches(r, &Context::default())
            .unwrap()
    }

    #[test]
    fn wildcards_in_the_resource_part_cross_slashes_and_colons() {
        assert!(res("arn:aws:s3:::b/*", "arn:aws:s3:::b/a/b/c.txt"));
        assert!(!res("arn:aws:s3:::b", "arn:aws:s3:::b/k"));
        assert!(!res("arn:aws:s3:::b/*", "arn:aws:s3:::b"));
        assert!(res(
            "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/fn:*",
            "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/fn:log-stream:2024/x"
        ));
        assert!(res("arn:aws:s3:::b/a*z", "arn:aws:s3:::b/a:y:z"));
        assert!(res("*", "arn:aws:s3:::b"));
        assert!(res("*", "*"));
        assert!(!res("arn:aws:s3:::*", "*"));
    }

    #[test]
    fn parts_before_the_resource_are_matched_one_by_one() {
        assert!(res(
            "arn:aws:sqs:*:123456789012:q",
            "arn:aws:sqs:eu-west-1:123456789012:q"
        ));
        assert!(!res(
            "arn:aws:sqs:eu-*-1:123456789012:q",
            "arn:aws:sqs:eu:x-1:123456789012:q"
        ));
        assert!(!res(
            "arn:aws:sqs:eu-west-?:123456789012:q",
            "arn:aws:sqs:eu-west-:123456789012:q"
        ));
        // A `*` ending a part may run on across colons.
        assert!(res(
            "arn:aws:logs:*",
            "arn:aws:logs:eu-west-1:123456789012:log-group:g"
        ));
        assert!(!res(
            "arn:aws:sqs:*:111111111111:q",
            "arn:aws:sqs:eu-west-1:123456789012:q"
        ));
        // Case-sensitive.
        assert!(!res("arn:aws:s3:::B/*", "arn:aws:s3:::b/k"));
    }

    #[test]
    fn variables_fill_only_the_resource_part() {
        let mut cx = Context::default();
        cx.insert("aws:username", vec!["ana".into()]);
        let p = ResourcePattern::new("arn:aws:s3:::b/home/${aws:username}/*", true);
        assert_eq!(p.matches("arn:aws:s3:::b/home/ana/x", &cx), Ok(true));
        assert_eq!(p.matches("arn:aws:s3:::b/home/bo/x", &cx), Ok(false));
        assert_eq!(
            p.matches("arn:aws:s3:::b/home/ana/x", &Context::default()),
            Err("aws:username".to_string())
        );
        let d = ResourcePattern::new("arn:aws:s3:::b/${aws:userid, 'anonymous'}/*", true);
        assert_eq!(
            d.matches("arn:aws:s3:::b/anonymous/k", &Context::default()),
            Ok(true)
        );
        let lit = ResourcePattern::new("arn:aws:s3:::b/${*}", true);
        assert_eq!(lit.matches("arn:aws:s3:::b/*", &cx), Ok(true));
        assert_eq!(lit.matches("arn:aws:s3:::b/k", &cx), Ok(false));
        let old = ResourcePattern::new("arn:aws:s3:::b/${aws:username}", false);
        assert_eq!(old.matches("arn:aws:s3:::b/${aws:username}", &cx), Ok(true));
        // Substituted values are literal text.
        let mut star = Context::default();
        star.insert("aws:username", vec!["*".into()]);
        assert_eq!(p.matches("arn:aws:s3:::b/home/ana/x", &star), Ok(false));
    }

    #[test]
    fn the_fast_path_agrees_with_the_nfa() {
        let patterns = ["a*b?c", "*", "?", "a*", "*a*b*", "ab", "a?*", "*:*", "a:*"];
        let texts = ["", "a", "ab", "abc", "aXbYc", "a:b:c", "ba", "a:", "aab?c"];
        for p in patterns {
            let toks = wild_tokens(p);
            for t in texts {
                let fast = ascii_glob(&toks, t);
                // Run the NFA by hand: the same tokens through `matches` with the fast path off.
                let nfa = {
                    let n = toks.len();
                    let mut state = vec![false; n + 1];
                    state[0] = true;
                    let close = |st: &mut Vec<bool>| {
                        for (i, tok) in toks.iter().enumerate() {
                            if matches!(tok, Tok::Star { .. }) && st[i] {
                                st[i + 1] = true;
                            }
                        }
                    };
                    close(&mut state);
                    for c in t.chars() {
                        let mut next = vec![false; n + 1];
                        for (i, tok) in toks.iter().enumerate() {
                            if !state[i] {
                                continue;
                            }
                            match *tok {
                                Tok::Lit(x) if x == c => next[i + 1] = true,
                                Tok::One { .. } => next[i + 1] = true,
                                Tok::Star { .. } => next[i] = true,
                                _ => {}
                            }
                        }
                        state = next;
                        close(&mut state);
                    }
                    state[n]
                };
                assert_eq!(fast, Some(nfa), "{p:?} on {t:?}");
            }
        }
    }

    #[test]
    fn nfa_handles_many_stars_and_long_texts() {
        let t = wild_tokens("a*b*c*d");
        assert!(matches(&t, "aXXbYYcZZd"));
        assert!(!matches(&t, "aXXbYYcZZ"));
        let long = "x".repeat(10_000);
        assert!(matches(&wild_tokens("*x*x*x*"), &long));
        let many: String = "*a".repeat(100);
        assert!(matches(&wild_tokens(&many), &"a".repeat(100)));
        assert!(matches(&wild_tokens("caf?"), "café"));
    }
}
