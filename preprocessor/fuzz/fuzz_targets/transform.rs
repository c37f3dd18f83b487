//! Fuzzes the whole Markdown transform with an arbitrary glossary and
//! chapter: it must never panic, and when it succeeds on a chapter with no
//! references or annotations, its only change is callouts (in the text and
//! in what mdBook's parser makes of it), and a second run changes nothing more.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use mdbook_gloss::testing::Config;
use mdbook_gloss::testing::remove_callouts;
use mdbook_gloss::testing::rendered_without_callouts;
use mdbook_gloss::testing::Templates;
use mdbook_gloss::testing::transform_chapter;

static TEMPLATES: LazyLock<Templates> = LazyLock::new(Templates::defaults);

static CONFIG: LazyLock<Config> = LazyLock::new(|| {
    let mut c = Config::default();
    c.claims = true;
    c.terms_list = false;
    c
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // The glossary, then the chapter, separated by a NUL.
    let (glossary, chapter) = text.split_once('\0').unwrap_or(("## Mixture of experts {#moe}\n\n- Aliases: MoE\n\nExperts.\n", text));
    let Ok(once) = transform_chapter(glossary, chapter, &CONFIG, Some(&TEMPLATES)) else { return };
    // A cross-reference in the glossary may target the chapter's heading,
    // which then lists it: plain means neither text refers to anything.
    let plain = !["xref:", "cite:", "[!", "gloss:", "figure:", "gloss-term"].iter().any(|s| chapter.contains(s) || glossary.contains(s));
    if plain {
        assert_eq!(remove_callouts(&once), chapter, "callouts changed other text");
        assert_eq!(rendered_without_callouts(&once), rendered_without_callouts(chapter), "callouts changed how the rest renders");
        let twice = transform_chapter(glossary, &once, &CONFIG, Some(&TEMPLATES)).expect("the output transforms again");
        assert_eq!(twice, once, "a second run changed the text");
    }
});
