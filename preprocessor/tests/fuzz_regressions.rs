//! Every input kept in `fuzz/seeds/` (the minimised seed corpus) and
//! `fuzz/crashes/` (the crashes the fuzzer found, minimised) checked against
//! the fuzz target's invariants in plain `cargo test`, so a fixed bug stays
//! fixed without the fuzzer. See `fuzz/README.md`.

use mdbook_gloss::testing::Config;
use mdbook_gloss::testing::Templates;
use mdbook_gloss::testing::remove_callouts;
use mdbook_gloss::testing::rendered_without_callouts;
use mdbook_gloss::testing::transform_chapter;

mod common;

const DEFAULT_GLOSSARY: &str = "## Mixture of experts {#moe}\n\n- Aliases: MoE\n\nExperts.\n";

/// At least this many readable inputs in each directory, so a missing,
/// emptied or misnamed one fails instead of passing over nothing.
const MIN_INPUTS: [(&str, usize); 2] = [("seeds", 100), ("crashes", 1)];

#[test]
fn fuzz_regressions_hold_the_invariants() {
    let templates = Templates::defaults();
    let mut config = Config::default();
    config.claims = true;
    config.terms_list = false;
    for (name, min) in MIN_INPUTS {
        let dir = common::repo().join("preprocessor/fuzz").join(name);
        let mut n = 0;
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            n += 1;
            let (glossary, chapter) = text.split_once('\0').unwrap_or((DEFAULT_GLOSSARY, &text));
            let Ok(once) = transform_chapter(glossary, chapter, &config, Some(&templates)) else {
                continue;
            };
            if !["xref:", "cite:", "[!", "gloss:", "figure:", "gloss-term"]
                .iter()
                .any(|s| chapter.contains(s) || glossary.contains(s))
            {
                assert_eq!(remove_callouts(&once), chapter, "{}", path.display());
                assert_eq!(
                    rendered_without_callouts(&once),
                    rendered_without_callouts(chapter),
                    "{}",
                    path.display()
                );
                let twice = transform_chapter(glossary, &once, &config, Some(&templates)).unwrap();
                assert_eq!(twice, once, "{}", path.display());
            }
        }
        assert!(
            n >= min,
            "only {n} inputs in {} (expected {min} or more)",
            dir.display()
        );
    }
}
