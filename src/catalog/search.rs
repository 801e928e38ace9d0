//! Fuzzy search over services and actions, for `catalog search` and the TUI's filter.
//!
//! Ranking: exact names first (`passrole` → `iam:PassRole`), then prefixes (`s3put` →
//! `s3:PutObject`, read with or without the colon), then fuzzy matches (nucleo-matcher's score).
//! Within a tier, the better fuzzy score wins, then the shorter name. The haystack is built once
//! per catalog (one ASCII buffer, no per-query allocation besides the candidate list), so a query
//! over the full AWS catalog answers well within a frame.

use std::cmp::Reverse;
use std::sync::Mutex;

use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::model::{Action, Service};
use super::store::Catalog;

/// One search result, best first.
#[derive(Clone, Copy, Debug)]
pub struct SearchHit<'a> {
    pub service: &'a Service,
    /// `None` when the hit is the service itself.
    pub action: Option<&'a Action>,
    /// nucleo's fuzzy score (higher is better); only comparable within one query.
    pub score: u32,
}

impl SearchHit<'_> {
    /// `s3:PutObject` for an action, `s3` for a service.
    pub fn label(&self) -> String {
        match self.action {
            Some(a) => format!("{}:{}", self.service.prefix, a.name),
            None => self.service.prefix.clone(),
        }
    }
}

/// One searchable entry: a service or an action, as byte ranges into [`SearchIndex::text`].
#[derive(Debug)]
struct Entry {
    service: u32,
    /// `u32::MAX` for the service entry.
    action: u32,
    /// `s3:PutObject` (or `s3` / the service's display name).
    start: u32,
    end: u32,
    /// Where the action name starts (after the colon); equals `start` for service entries.
    name_start: u32,
    /// Length of the service prefix (to read `s3put` as `s3` + `put`).
    prefix_len: u32,
    /// A service of guide §11 (most roles use these): ranked first among equal matches.
    common: bool,
}

/// The prebuilt haystack of a catalog.
#[derive(Debug)]
pub struct SearchIndex {
    /// All names, as AWS spells them (nucleo uses the case for word-boundary bonuses).
    text: String,
    /// The same, lower case, for the cheap exact/prefix/subsequence tests.
    lower: Vec<u8>,
    /// Per entry, which characters it contains ([`char_mask`]): most entries are ruled out
    /// by one AND before any byte is compared.
    masks: Vec<u64>,
    entries: Vec<Entry>,
    matcher: Mutex<Matcher>,
}

const SERVICE: u32 = u32::MAX;

impl SearchIndex {
    pub(crate) fn build(catalog: &Catalog) -> SearchIndex {
        let mut text = String::new();
        let mut entries = Vec::new();
        let embedded: Vec<bool> = catalog
            .service_prefixes()
            .map(|p| super::EMBEDDED_SERVICES.contains(&p))
            .collect();
        let mut push =
            |text: &mut String, service: usize, action: u32, prefix: &str, name: Option<&str>| {
                let common = embedded.get(service).copied().unwrap_or(false);
                let start = text.len() as u32;
                text.push_str(prefix);
                let name_start = if let Some(name) = name {
                    text.push(':');
                    let s = text.len() as u32;
                    text.push_str(name);
                    s
                } else {
                    start
                };
                entries.push(Entry {
                    service: service as u32,
                    action,
                    start,
                    end: text.len() as u32,
                    name_start,
                    prefix_len: prefix.len() as u32,
                    common,
                });
            };
        for (si, s) in catalog.services_indexed() {
            if !s.prefix.is_ascii() {
                continue;
            }
            push(&mut text, si, SERVICE, &s.prefix, None);
            if s.name != s.prefix && s.name.is_ascii() {
                push(&mut text, si, SERVICE, &s.name, None);
            }
            for (ai, a) in s.actions.values().enumerate() {
                if a.name.is_ascii() {
                    push(&mut text, si, ai as u32, &s.prefix, Some(&a.name));
                }
            }
        }
        let lower = text.to_ascii_lowercase().into_bytes();
        let masks = entries
            .iter()
            .map(|e| char_mask(&lower[e.start as usize..e.end as usize]))
            .collect();
        SearchIndex {
            lower,
            masks,
            text,
            entries,
            matcher: Mutex::new(Matcher::new(Config::DEFAULT)),
        }
    }

    fn bytes(&self, from: u32, to: u32) -> &[u8] {
        &self.text.as_bytes()[from as usize..to as usize]
    }

    fn lower(&self, e: &Entry) -> &[u8] {
        &self.lower[e.start as usize..e.end as usize]
    }

    /// 0 exact, 1 prefix, 2 other; `q` is lower case.
    fn tier(&self, e: &Entry, q: &[u8]) -> u8 {
        let full = self.lower(e);
        let name = &self.lower[e.name_start as usize..e.end as usize];
        if full == q || name == q {
            return 0;
        }
        if full.starts_with(q) || name.starts_with(q) {
            return 1;
        }
        if e.action != SERVICE {
            // `s3put`: the service prefix followed by the start of the action name.
            let prefix = &full[..e.prefix_len as usize];
            if q.len() > prefix.len()
                && q.starts_with(prefix)
                && name.starts_with(&q[prefix.len()..])
            {
                return 1;
            }
        }
        2
    }
}

/// A set of the (lower-case ASCII) characters in `bytes`: letters and digits get a bit each,
/// everything else shares one.
fn char_mask(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0, |m, &b| {
        let bit = match b {
            b'a'..=b'z' => b - b'a',
            b'0'..=b'9' => 26 + (b - b'0'),
            _ => 36,
        };
        m | (1 << bit)
    })
}

/// Whether every byte of `needle` appears in `hay` in order (both lower case).
fn is_subsequence(hay: &[u8], needle: &[u8]) -> bool {
    let mut rest = needle;
    for &b in hay {
        match rest.split_first() {
            Some((&n, tail)) if n == b => rest = tail,
            Some(_) => {}
            None => return true,
        }
    }
    rest.is_empty()
}

impl Catalog {
    /// Services and actions matching `query` fuzzily, best first, at most `limit`.
    ///
    /// Whitespace in the query is ignored (`s3 put` = `s3put`); an empty query finds nothing.
    /// Exact and prefix matches are ordered common services first (guide §11), then shorter
    /// names; fuzzy matches by score. Fuzzy scores are only computed when the exact and prefix
    /// matches do not fill `limit`, which keeps short queries cheap.
    pub fn search(&self, query: &str, limit: usize) -> Vec<SearchHit<'_>> {
        let q: Vec<u8> = query
            .bytes()
            .filter(|b| !b.is_ascii_whitespace())
            .map(|b| b.to_ascii_lowercase())
            .collect();
        // Every name in the catalog is ASCII: a query that is not cannot match.
        if q.is_empty() || !query.is_ascii() || limit == 0 {
            return Vec::new();
        }
        let index = self.search_index();
        // (tier, rarity, better score first, shorter first, entry index)
        type Key = (u8, bool, Reverse<u16>, u32, u32);
        let mut found: Vec<Key> = Vec::new();
        let mut fuzzy: Vec<u32> = Vec::new();
        let qmask = char_mask(&q);
        for (i, (e, &mask)) in index.entries.iter().zip(&index.masks).enumerate() {
            if mask & qmask != qmask {
                continue;
            }
            let tier = index.tier(e, &q);
            if tier < 2 {
                found.push((tier, !e.common, Reverse(0), e.end - e.start, i as u32));
            } else if found.len() < limit && is_subsequence(index.lower(e), &q) {
                fuzzy.push(i as u32);
            }
        }
        if found.len() < limit && !fuzzy.is_empty() {
            let mut matcher = match index.matcher.lock() {
                Ok(m) => m,
                Err(poisoned) => poisoned.into_inner(),
            };
            let needle = Utf32Str::Ascii(&q);
            for i in fuzzy {
                let e = &index.entries[i as usize];
                let hay = Utf32Str::Ascii(index.bytes(e.start, e.end));
                if let Some(score) = matcher.fuzzy_match(hay, needle) {
                    found.push((2, false, Reverse(score), e.end - e.start, i));
                }
            }
        }
        if found.len() > limit {
            found.select_nth_unstable(limit - 1);
            found.truncate(limit);
        }
        found.sort_unstable();
        found
            .into_iter()
            .filter_map(|(_, _, Reverse(score), _, i)| {
                let e = &index.entries[i as usize];
                let service = self.service_at(e.service as usize)?;
                let action = if e.action == SERVICE {
                    None
                } else {
                    Some(service.actions.get_index(e.action as usize)?.1)
                };
                Some(SearchHit {
                    service,
                    action,
                    score: u32::from(score),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(c: &Catalog, q: &str) -> String {
        c.search(q, 5)
            .first()
            .map(|h| h.label())
            .unwrap_or_default()
    }

    #[test]
    fn exact_and_prefix_matches_come_first() {
        let c = Catalog::embedded();
        assert_eq!(first(c, "s3put"), "s3:PutObject");
        assert_eq!(first(c, "passrole"), "iam:PassRole");
        assert_eq!(first(c, "getsecret"), "secretsmanager:GetSecretValue");
        assert_eq!(first(c, "s3"), "s3");
        assert_eq!(first(c, "S3:PutObject"), "s3:PutObject");
        assert_eq!(first(c, "s3 put"), "s3:PutObject");
    }

    #[test]
    fn fuzzy_matches_follow_and_limits_hold() {
        let c = Catalog::embedded();
        let hits = c.search("dynputitm", 10);
        assert!(
            hits.iter().any(|h| h.label() == "dynamodb:PutItem"),
            "{:?}",
            hits.iter().map(|h| h.label()).collect::<Vec<_>>()
        );
        assert!(c.search("e", 7).len() == 7);
        assert!(c.search("", 7).is_empty());
        assert!(c.search("zzzzqqqxxx", 7).is_empty());
        assert!(c.search("é", 7).is_empty());
    }
}
