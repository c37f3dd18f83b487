//! A callout puts `<a …>` before a mention and `</a>` after it, where
//! there were letters or punctuation. Every ASCII punctuation character on
//! every side of a mention, and at its own edges, in the places that
//! CommonMark reads differently (line starts, list items, quotes, link
//! labels, runs of the same character), must leave the page as it was:
//! the callout is left out where the tags would change how the rest parses.
//! An exhaustive cross product, so no randomness; the fuzzer found the
//! first of these one at a time (quotes, backslashes, backticks, `<`).

use mdbook_gloss::testing::Config;
use mdbook_gloss::testing::Templates;
use mdbook_gloss::testing::remove_callouts;
use mdbook_gloss::testing::rendered_without_callouts;
use mdbook_gloss::testing::transform_chapter;

const PUNCTUATION: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

#[test]
fn no_punctuation_beside_a_callout_changes_how_the_page_parses() {
    let templates = Templates::defaults();
    let mut config = Config::default();
    config.claims = true;
    config.terms_list = false;
    let mut failures = Vec::new();
    let (mut tried, mut called_out) = (0, 0);
    for p in PUNCTUATION.chars() {
        for q in PUNCTUATION.chars() {
            for term in [format!("A{p}"), format!("{p}A"), format!("A{p}B")] {
                let glossary = format!("## {term}\n\nA definition.\n");
                let contexts = [
                    format!("{q}{term}{q}"),
                    format!("x {term} y{q}z"),
                    format!("{q}{q}{term}{q}{q} a"),
                    format!("{q}\n{term}"),
                    format!("- {term}{q}"),
                    format!("> {q}{term}"),
                    format!("[{q}{term}]: x"),
                    format!("{term}{q}{q}{term}"),
                ];
                for chapter in contexts {
                    tried += 1;
                    let Ok(once) =
                        transform_chapter(&glossary, &chapter, &config, Some(&templates))
                    else {
                        continue;
                    };
                    // A term whose text reads as our own syntax is another test's.
                    if once == chapter || chapter.contains("gloss-term") {
                        continue;
                    }
                    called_out += 1;
                    let twice = transform_chapter(&glossary, &once, &config, Some(&templates));
                    if remove_callouts(&once) != chapter
                        || rendered_without_callouts(&once) != rendered_without_callouts(&chapter)
                        || twice.as_deref() != Ok(once.as_str())
                    {
                        failures.push(format!("term {term:?} in {chapter:?}: {once:?}"));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {tried}:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
    // Most of the product is called out: the test is not passing over nothing.
    assert!(
        called_out * 2 > tried,
        "only {called_out} of {tried} called out"
    );
}
