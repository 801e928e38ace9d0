//! AWS's regions, by partition (`assets/catalog/regions.toml`), so an ARN with a region
//! that does not exist (`eu-wst-1`) is caught instead of silently matching nothing.

use std::sync::OnceLock;

use indexmap::IndexMap;

const REGIONS: &str = include_str!("../../assets/catalog/regions.toml");

fn table() -> &'static IndexMap<String, Vec<String>> {
    static TABLE: OnceLock<IndexMap<String, Vec<String>>> = OnceLock::new();
    // The asset is checked by a test: a parse failure is a build defect, and an empty
    // table makes every region unknown-but-unjudged (see `known`).
    TABLE.get_or_init(|| toml::from_str(REGIONS).unwrap_or_default())
}

/// The partition a region belongs to, if it is one of AWS's regions.
pub fn partition_of(region: &str) -> Option<&'static str> {
    table()
        .iter()
        .find(|(_, regions)| regions.iter().any(|r| r == region))
        .map(|(p, _)| p.as_str())
}

/// Is the region list loaded (so "not in it" means something)?
pub fn known() -> bool {
    !table().is_empty()
}

/// Every region of `partition`.
pub fn regions_of(partition: &str) -> &'static [String] {
    table().get(partition).map_or(&[], Vec::as_slice)
}

/// The known region closest to `region` (fewest edits), for "did you mean".
pub fn nearest(region: &str) -> Option<&'static str> {
    table()
        .values()
        .flatten()
        .map(|r| (distance(region, r), r.as_str()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, r)| r)
}

/// Levenshtein distance (region codes are short ASCII).
fn distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_by_partition_and_the_nearest_one() {
        assert!(known());
        assert_eq!(partition_of("eu-west-1"), Some("aws"));
        assert_eq!(partition_of("cn-north-1"), Some("aws-cn"));
        assert_eq!(partition_of("us-gov-west-1"), Some("aws-us-gov"));
        assert_eq!(partition_of("eu-wst-1"), None);
        assert_eq!(nearest("eu-wst-1"), Some("eu-west-1"));
        for partition in crate::policy::arn::PARTITIONS {
            assert!(!regions_of(partition).is_empty(), "{partition}");
        }
    }
}
