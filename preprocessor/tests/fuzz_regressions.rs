//! Every input kept in `fuzz/regressions/` (seeds, and crashes the fuzzer
//! found) checked against the fuzz target's invariants in plain `cargo test`,
//! so a fixed bug stays fixed without the fuzzer.

use mdbook_gloss::config::Config;
use mdbook_gloss::rewrite::remove_callouts;
use mdbook_gloss::templates::Templates;
use mdbook_gloss::transform_chapter;

mod common;

const DEFAULT_GLOSSARY: &str = "## Mixture of experts {#moe}\n\n- Aliases: MoE\n\nExperts.\n";

#[test]
fn fuzz_regressions_hold_the_invariants() {
    let templates = Templates::load(&common::repo().join("theme/gloss"), "theme/gloss").unwrap();
    let mut config = Config::default();
    config.terms_list = false;
    let dir = common::repo().join("preprocessor/fuzz/regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
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
            .any(|s| chapter.contains(s))
        {
            assert_eq!(remove_callouts(&once), chapter, "{}", path.display());
            let twice = transform_chapter(glossary, &once, &config, Some(&templates)).unwrap();
            assert_eq!(twice, once, "{}", path.display());
        }
    }
    assert!(n >= 4, "only {n} regression inputs");
}
