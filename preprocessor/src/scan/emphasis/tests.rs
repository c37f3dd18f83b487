use super::*;

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { failure_persistence: None, rng_seed: proptest::test_runner::RngSeed::Fixed(0x656d_7068), cases: 2048, ..Default::default() })]

    /// Wherever [`between_runs`] says the tags change nothing, parsing
    /// agrees: a mention of `GQA` between runs of `*` or `_`, with white
    /// space or nothing outside them, amid words, delimiter runs,
    /// punctuation and white space.
    #[test]
    fn emphasis_runs_agree_with_parsing(
        before in proptest::collection::vec(proptest::sample::select(INLINE.to_vec()), 0..6),
        outside in proptest::sample::select(vec![" ", "\n", ""]),
        open in proptest::sample::select(vec!["*", "**", "***", "_", "__"]),
        close in proptest::sample::select(vec!["*", "**", "***", "_", "__"]),
        after_outside in proptest::sample::select(vec![" ", "\n", ""]),
        after in proptest::collection::vec(proptest::sample::select(INLINE.to_vec()), 0..6),
    ) {
        let text = format!("{}{outside}{open}GQA{close}{after_outside}{}", before.concat(), after.concat());
        for (s, _) in text.match_indices("GQA") {
            let e = s + 3;
            if between_runs(&text, s, e) {
                let wrapped = format!("{}<a>{}</a>{}", &text[..s], &text[s..e], &text[e..]);
                proptest::prop_assert_eq!(
                    shape(&format!("{text}\n\n")),
                    shape(&format!("{wrapped}\n\n")),
                    "{:?}: the tags change the emphasis around {}..{}", text, s, e
                );
            }
        }
    }

    /// Where the definitions after a block read as nothing, the block's
    /// structure judged from the parse with them is the one without
    /// them: texts of block and inline pieces, with definitions that
    /// their links use.
    #[test]
    fn one_parse_with_definitions_judges_the_block_as_without(
        pieces in proptest::collection::vec(proptest::sample::select(BLOCK.to_vec()), 1..10),
        definitions in proptest::sample::select(vec!["", "[r]: x\n", "[r]: x\n[^1]: note\n"]),
    ) {
        let text = pieces.concat();
        let alone = format!("{text}\n\n{definitions}");
        let events: Vec<_> = crate::markdown::parse(&alone).collect();
        if events.iter().all(|(_, r)| r.end <= text.len()) {
            proptest::prop_assert_eq!(inline_run_of(&events), one_inline_run(&text), "{:?} + {:?}", text, definitions);
            proptest::prop_assert_eq!(paragraph_of(&events, &text), one_paragraph(&text), "{:?} + {:?}", text, definitions);
        }
    }
}

/// Inline pieces, around a mention between runs.
const INLINE: [&str; 18] = [
    "GQA", "GQA", "x", " ", " ", "*", "**", "***", "_", "__", "(", ")", ".", "\n", "'", "\"", "-",
    "\\",
];

/// Block and inline pieces.
const BLOCK: [&str; 22] = [
    "word ", "*em* ", "[a][r] ", "[r] ", "\n", "\n\n", "- ", "1. ", "> ", "```", "~~~", "<!--",
    "-->", "<div>", "    ", "# ", "---", "===", "| a |", "|---|", "[^1]", ": ",
];

#[test]
fn only_runs_with_white_space_outside_take_the_short_way() {
    let at = |text: &str| {
        let s = text.find("GQA").unwrap();
        between_runs(text, s, s + 3)
    };
    assert!(at("a *GQA* b"));
    assert!(at("**GQA**"));
    assert!(at("a __GQA__\nb"));
    assert!(!at("a(*GQA*) b"), "punctuation outside");
    assert!(!at("a *GQA*) b"));
    assert!(!at("x*GQA* b"), "a letter outside");
    assert!(!at("a *GQA_ b"), "different runs");
    assert!(!at("a GQA* b"), "no run before");
    assert!(!at("a 'GQA' b"));
}
