//! Micro benchmarks of the term matcher (`cargo bench -p gloss-bench`):
//! building the Aho-Corasick automaton, and finding the mentions in one
//! synthetic chapter of 2,000 words, for glossaries of 10 to 10,000 terms.
//! `cargo xtask bench` measures the whole preprocessor; this isolates the
//! part whose cost should depend on the number of terms.

use divan::Bencher;
use divan::counter::BytesCount;
use gloss_bench::synth::{Spec, SynthBook};
use mdbook_gloss::testing::Diagnostics;
use mdbook_gloss::testing::Glossary;
use mdbook_gloss::testing::{Matcher, Pattern};

fn main() {
    divan::main();
}

const TERMS: [usize; 4] = [10, 100, 1_000, 10_000];

/// The patterns of a synthetic glossary of `terms` terms, and one chapter.
fn book(terms: usize) -> (Vec<Pattern>, String) {
    let book = SynthBook::generate(Spec {
        chapters: 1,
        words: 2000,
        terms,
        ..Spec::default()
    });
    let file = |path: &str| {
        book.files()
            .find(|f| f.path == path)
            .map(|f| f.content.clone())
            .unwrap_or_default()
    };
    let mut diags = Diagnostics::default();
    let glossary = Glossary::parse("src/glossary.md", &file("glossary.md"), &mut diags);
    assert_eq!(diags.error_count(), 0, "{}", diags.render(false));
    (glossary.patterns(), file("part-01/ch-0001.md"))
}

#[divan::bench(args = TERMS)]
fn build(bencher: Bencher<'_, '_>, terms: usize) {
    let (patterns, _) = book(terms);
    bencher
        .with_inputs(|| patterns.clone())
        .bench_local_values(Matcher::new);
}

#[divan::bench(args = TERMS)]
fn find_in_a_chapter(bencher: Bencher<'_, '_>, terms: usize) {
    let (patterns, chapter) = book(terms);
    let matcher = Matcher::new(patterns);
    bencher
        .counter(BytesCount::of_str(&chapter))
        .bench_local(|| matcher.find(divan::black_box(&chapter)));
}
