use super::*;

fn matcher(terms: &[&[&str]]) -> Matcher {
    let mut patterns = Vec::new();
    for (term, names) in terms.iter().enumerate() {
        for name in *names {
            patterns.push(Pattern {
                text: name.to_string(),
                term,
                exact: false,
            });
        }
    }
    Matcher::new(patterns)
}

/// The mentioned substrings of `hay`, with their term index.
fn found(m: &Matcher, hay: &str) -> Vec<(String, usize)> {
    m.find(hay)
        .into_iter()
        .map(|f| (hay[f.start..f.end].to_string(), f.term))
        .collect()
}

#[test]
fn case_rule() {
    assert!(is_case_sensitive("MoE"));
    assert!(is_case_sensitive("DPO"));
    assert!(is_case_sensitive("H100"));
    assert!(!is_case_sensitive("Mixture of experts"));
    assert!(!is_case_sensitive("attention"));
    let m = matcher(&[&["MoE"], &["DPO"], &["attention"]]);
    assert_eq!(found(&m, "Moe and dpo and moe"), vec![]);
    assert_eq!(
        found(&m, "MoE, DPO; Attention and ATTENTION"),
        vec![
            ("MoE".into(), 0),
            ("DPO".into(), 1),
            ("Attention".into(), 2),
            ("ATTENTION".into(), 2)
        ]
    );
}

#[test]
fn whole_words_plurals_and_possessives() {
    let m = matcher(&[&["MoE"], &["KV cache"], &["DPO"]]);
    assert_eq!(
        found(&m, "MoEs and KV caches and DPO's and DPO’s loss"),
        vec![
            ("MoEs".into(), 0),
            ("KV caches".into(), 1),
            ("DPO's".into(), 2),
            ("DPO’s".into(), 2)
        ]
    );
    assert_eq!(found(&m, "MoEx DPOO xDPO"), vec![]);
}

#[test]
fn compounds() {
    let m = matcher(&[&["DPO"], &["MoE"], &["attention"], &["self-attention"]]);
    assert_eq!(
        found(&m, "DPO-tuned pre-DPO MoE-based"),
        vec![("DPO".into(), 0), ("DPO".into(), 0), ("MoE".into(), 1)]
    );
    assert_eq!(
        found(&m, "self-attention"),
        vec![("self-attention".into(), 3)]
    );
    let without = matcher(&[&["attention"]]);
    assert_eq!(
        found(&without, "self-attention and attention-based"),
        vec![]
    );
}

#[test]
fn leftmost_longest() {
    let m = matcher(&[&["attention"], &["grouped-query attention"], &["query"]]);
    assert_eq!(
        found(&m, "grouped-query attention uses attention"),
        vec![
            ("grouped-query attention".into(), 1),
            ("attention".into(), 0)
        ]
    );
}

#[test]
fn scripts_without_spaces_bound_words() {
    let m = matcher(&[&["MoE"]]);
    assert_eq!(found(&m, "使用MoE架构"), vec![("MoE".into(), 0)]);
    assert_eq!(found(&m, "MoEアーキテクチャ"), vec![("MoE".into(), 0)]);
}

#[test]
fn combining_marks_stay_part_of_the_word() {
    let m = matcher(&[&["cafe"]]);
    assert_eq!(found(&m, "cafe\u{301} au lait"), vec![]);
    assert_eq!(found(&m, "a cafe."), vec![("cafe".into(), 0)]);
}

#[test]
fn empty_matcher_finds_nothing() {
    let m = Matcher::new(Vec::new());
    assert!(m.is_empty());
    assert!(m.find("anything").is_empty());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { failure_persistence: None, rng_seed: proptest::test_runner::RngSeed::Fixed(0x6c_6c61_6d61), ..Default::default() })]
    /// Segmenting only the stretch around a position gives the boundary
    /// that segmenting the whole text gives, for text mixing the characters
    /// whose rules look furthest: letters, digits, mid-word punctuation,
    /// marks, joiners, regional indicators, CJK and every ASCII space.
    #[test]
    fn local_boundaries_agree_with_whole_text(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "a", "Z", "7", "_", ".", ",", ":", ";", "'", "’", "-", "\"", " ", "  ", "\t",
                "\u{b}", "\u{c}", "(", "/", "?", "#", "%", "ab", "42", "a.b", "1,000",
                "\n", "\r\n", "\r", "\u{0301}", "\u{200d}", "\u{00ad}", "🇫", "🇷", "👍", "注意",
                "ש", "カ", "ー", "\u{3000}", "\u{00a0}", "MoE", "é", "x\u{0308}",
            ]),
            0..60,
        ),
        long in 0usize..3,
    ) {
        // Sometimes a stretch longer than the window, to take the fallback.
        let mut hay = parts.concat();
        if long > 0 {
            let mut mid = hay.len() / 2;
            while !hay.is_char_boundary(mid) {
                mid -= 1;
            }
            hay.insert_str(mid, &"x".repeat(Boundaries::WINDOW * long));
        }
        let all = word_boundaries(&hay);
        let mut local = Boundaries::new(&hay);
        for i in 0..=hay.len() {
            let want = i == 0 || all.binary_search(&i).is_ok();
            proptest::prop_assert_eq!(local.is_boundary(i), want, "at {} in {:?}", i, hay);
        }
        // And in the order the matcher asks: jumping about.
        let mut local = Boundaries::new(&hay);
        for i in (0..=hay.len()).rev().step_by(3) {
            let want = i == 0 || all.binary_search(&i).is_ok();
            proptest::prop_assert_eq!(local.is_boundary(i), want, "at {} in {:?}", i, hay);
        }
    }
}

/// `Match: case-sensitive` on a name of common-word shape: only as
/// written, and still not inside a hyphenated compound.
#[test]
fn an_exact_pattern_matches_only_as_written() {
    let m = Matcher::new(vec![
        Pattern {
            text: "Bound".into(),
            term: 0,
            exact: true,
        },
        Pattern {
            text: "scope".into(),
            term: 1,
            exact: true,
        },
    ]);
    assert_eq!(
        found(
            &m,
            "A Bound, bound, BOUND, Bounds; scope, Scope, scopes, scope-based, Bound-check."
        ),
        vec![
            ("Bound".into(), 0),
            ("Bounds".into(), 0),
            ("scope".into(), 1),
            ("scopes".into(), 1),
        ]
    );
}

/// What [`Matcher::find`] found before it walked from word starts: every
/// overlapping match of an unanchored search, each end checked against the
/// boundaries of the whole text. Kept to hold the faster search to it.
fn find_unanchored(m: &Matcher, hay: &str) -> Vec<Found> {
    let ac = aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(m.patterns.iter().map(|(p, _)| p.text.as_str()))
        .unwrap();
    let all = word_boundaries(hay);
    let boundary = |i: usize| i == 0 || all.binary_search(&i).is_ok();
    let mut candidates = Vec::new();
    for found in ac.find_overlapping_iter(hay) {
        let (pattern, rules) = &m.patterns[found.pattern().as_usize()];
        let (start, end) = (found.start(), found.end());
        if rules.case_sensitive && hay[start..end] != pattern.text || !boundary(start) {
            continue;
        }
        let Some(end) = std::iter::once(end)
            .chain(
                SUFFIXES
                    .iter()
                    .filter(|s| hay[end..].starts_with(**s))
                    .map(|s| end + s.len()),
            )
            .filter(|&e| boundary(e))
            .max()
        else {
            continue;
        };
        if !rules.in_compounds && in_compound(hay, start, end) {
            continue;
        }
        candidates.push(Found {
            start,
            end,
            term: pattern.term,
        });
    }
    candidates.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out: Vec<Found> = Vec::new();
    for c in candidates {
        if out.last().is_none_or(|last| c.start >= last.end) {
            out.push(c);
        }
    }
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { failure_persistence: None, rng_seed: proptest::test_runner::RngSeed::Fixed(0x6d61_7463_6865), cases: 512, ..Default::default() })]
    /// Walking from word starts finds what the unanchored search over every
    /// overlapping match found, for names
    /// that overlap, share prefixes, differ in case, hold punctuation and
    /// digits, and text that puts them inside words, compounds, plurals and
    /// scripts without spaces.
    #[test]
    fn walking_from_word_starts_finds_what_every_overlapping_match_found(
        names in proptest::collection::vec(
            proptest::sample::select(vec![
                "a", "at", "attention", "Attention", "self-attention", "grouped-query attention",
                "MoE", "moe", "KV cache", "KV", "H100", "8B", "x.y", "don't", "_id", "é", "注意",
                "RoPE", "rope", "s", "es", "cache", "caches", "A.I.", "(GQA)", "GQA",
            ]),
            1..8,
        ),
        exact in proptest::collection::vec(proptest::bool::ANY, 8),
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "a", "at", "attention", "ATTENTION", "Attention's", "self-attention", "pre-attention",
                "grouped-query attention", "MoE", "MoEs", "moe", "KV caches", "KV-cache", "H100", "H100s",
                "8B", "x.y", "don't", "_id", "é", "e\u{0301}", "注意", "注意力", "RoPE", "rope", "ropes",
                "A.I.", "(GQA)", "GQA-based", "’s", "'s", "-", " ", "  ", "\n", "\r\n", ",", ".", ":", ";",
                "'", "\"", "_", "7", "\u{00a0}", "\u{200d}", "👍",
            ]),
            0..40,
        ),
    ) {
        let patterns: Vec<Pattern> = names
            .iter()
            .enumerate()
            .map(|(term, n)| Pattern { text: n.to_string(), term, exact: exact[term] })
            .collect();
        let hay = parts.concat();
        let m = Matcher::new(patterns);
        proptest::prop_assert_eq!(m.find(&hay), find_unanchored(&m, &hay), "in {:?}", hay);
    }
}
