//! "Did you mean" suggestions by edit distance.

/// The candidate closest to `name`, if it is close enough to be a likely typo.
///
/// Comparison ignores ASCII case and counts a swap of two adjacent characters
/// as one edit. A candidate qualifies when its distance is at most a third of
/// the longer length (at least one edit) and smaller than `name` itself; ties
/// go to the earliest candidate. An exact (case-insensitive) match wins.
///
/// ```
/// use neo_cypher::suggest;
///
/// assert_eq!(suggest("RETRUN", ["MATCH", "RETURN", "WITH"]), Some("RETURN"));
/// assert_eq!(suggest("usrId", ["userId", "name"]), Some("userId"));
/// assert_eq!(suggest("xyz", ["RETURN"]), None);
/// ```
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let name: Vec<char> = name.chars().map(|c| c.to_ascii_lowercase()).collect();
    if name.is_empty() {
        return None;
    }
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let lowered: Vec<char> = candidate.chars().map(|c| c.to_ascii_lowercase()).collect();
        let limit = (name.len().max(lowered.len()) / 3).max(1);
        let distance = distance(&name, &lowered);
        if distance > limit || distance >= name.len() {
            continue;
        }
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Optimal string alignment distance (Levenshtein plus adjacent swaps).
fn distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    for (j, cell) in rows.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[i * width] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (rows[(i - 1) * width + j] + 1)
                .min(rows[i * width + j - 1] + 1)
                .min(rows[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(rows[(i - 2) * width + j - 2] + 1);
            }
            rows[i * width + j] = value;
        }
    }
    rows[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_swaps_as_one_edit() {
        let a: Vec<char> = "retrun".chars().collect();
        let b: Vec<char> = "return".chars().collect();
        assert_eq!(distance(&a, &b), 1);
    }

    #[test]
    fn far_candidates_are_not_suggested() {
        assert_eq!(suggest("MATCH", ["RETURN", "UNWIND"]), None);
        assert_eq!(suggest("", ["RETURN"]), None);
    }

    #[test]
    fn closest_candidate_wins() {
        assert_eq!(suggest("WHRE", ["WITH", "WHERE"]), Some("WHERE"));
    }
}
