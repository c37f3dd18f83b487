//! The whole pipeline, in-process: the preprocessor, then mdBook's HTML
//! renderer through `mdbook-driver`, on books generated from fragments of
//! every syntax we read and on every input of the fuzz corpus. The fuzz
//! target stops at our output; these tests check that no output of ours makes
//! mdBook panic or fail (a panic in mdBook's renderer once emptied `book/`),
//! and that every error we raise is located and leaves nothing written.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::RngSeed;

mod common;

const BOOK_TOML: &str = "[book]\ntitle = \"Generated\"\n\n[preprocessor.gloss]\ncommand = \"mdbook-gloss\"\nclaims = true\nclaim-count = 12\n\n\
[output.html]\n";

const SUMMARY: &str = "# Summary\n\n[Introduction](intro.md)\n\n- [One](one.md)\n- [Two](two.md)\n\n---\n\n\
[Ledger](ledger.md)\n[Glossary](glossary.md)\n[References](references.md)\n";

const GLOSSARY: &str = "# Glossary {#glossary}\n\n## Mixture of experts {#moe}\n\n- Aliases: MoE\n\
- See also: [Attention](#attention)\n\nMany experts, few at work.\n\n## Attention {#attention}\n\n\
Looking at other tokens.\n\n## Direct preference optimization (DPO) {#dpo}\n\nPairs.\n";

const REFERENCES: &str = "# References {#references}\n\n## The Llama 3 Herd of Models {#l3}\n\n\
- Authors: Llama Team, AI @ Meta\n- Cite as: Llama Team 2024\n- Year: 2024\n- arXiv: 2407.21783\n\nRead in full.\n";

/// The outcome of one in-process build.
enum Outcome {
    Built,
    /// The rendered diagnostics.
    Failed(String),
    /// mdBook or the preprocessor panicked: the message.
    Panicked(String),
}

/// Builds the book in `dir` with the preprocessor in-process, catching a
/// panic from either side.
fn build(dir: &Path) -> Outcome {
    let run = catch_unwind(AssertUnwindSafe(|| {
        common::build_in(dir, |book| {
            // The search index is mdBook's own and slow to build; the pages are what we check.
            book.config.set("output.html.search.enable", false).unwrap();
        })
    }));
    match run {
        Ok(Ok(())) => Outcome::Built,
        Ok(Err(e)) => Outcome::Failed(e),
        Err(payload) => Outcome::Panicked(common::panic_message(&*payload)),
    }
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Writes a book with these chapters (and the fixed glossary, references
/// and ledger unless given) into a new temporary folder.
fn book(chapters: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "book.toml", BOOK_TOML);
    write(dir.path(), "src/SUMMARY.md", SUMMARY);
    for (name, text) in [
        ("intro.md", "# Introduction {#intro}\n\nThe book.\n"),
        ("one.md", "# One {#one}\n\nOne.\n"),
        ("two.md", "# Two {#two}\n\nTwo.\n"),
        ("ledger.md", "# Ledger {#ledger}\n\n<!-- gloss:ledger -->\n"),
        ("glossary.md", GLOSSARY),
        ("references.md", REFERENCES),
    ] {
        write(dir.path(), &format!("src/{name}"), text);
    }
    for (name, text) in chapters {
        write(dir.path(), &format!("src/{name}"), text);
    }
    dir
}

/// The HTML pages of a build's output, by name.
fn pages(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir.join("book")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".html"))
        .collect();
    names.sort();
    names
}

/// What every build must satisfy: no panic; an error is located and
/// leaves no page written; a success writes every chapter.
fn check(dir: &Path, what: &str) -> Result<(), String> {
    match build(dir) {
        Outcome::Panicked(message) => Err(format!("{what}: panicked: {message}")),
        Outcome::Failed(error) => {
            if !error.contains(" --> ") {
                return Err(format!("{what}: an error without a location:\n{error}"));
            }
            let written = pages(dir);
            if !written.is_empty() {
                return Err(format!("{what}: failed but wrote {written:?}"));
            }
            Ok(())
        }
        Outcome::Built => {
            let written = pages(dir);
            for page in [
                "intro.html",
                "one.html",
                "two.html",
                "glossary.html",
                "print.html",
            ] {
                if !written.iter().any(|p| p == page) {
                    return Err(format!("{what}: built without {page}: {written:?}"));
                }
            }
            Ok(())
        }
    }
}

/// Fragments of every syntax the preprocessor reads, and the CommonMark
/// constructs that open or close blocks around it, so generated chapters
/// put our syntax inside, across and after every kind of block.
const FRAGMENTS: &[&str] = &[
    "the model",
    "MoE",
    "mixture of experts",
    "attention",
    "DPO-tuned",
    "<!-- no-gloss -->MoE",
    "<xref:one>",
    "[](xref:two)",
    "[the intro](xref:intro)",
    "<xref:c01>",
    "<xref:moe>",
    "[§3.2, Table 3](cite:l3)",
    "[](cite:l3)",
    "[MoE](glossary.md#moe)",
    "\n\n> [!CLAIM C01 ¶1]\n> The article says so.\n\n> [!VERDICT accurate]\n> It is [§1](cite:l3).\n\n",
    "\n\n> [!CLAIM C02 p2]\n> Another claim.\n\n> [!VERDICT simplified]\n> Partly [§2](cite:l3).\n\n> [!EVIDENCE]\n> More.\n\n",
    "\n\n> [!NOTE]\n> mdBook's own.\n\n",
    "\n\n> [!TIP]\n> Also mdBook's.\n\n",
    "\n\n## A section {#sec}\n\n",
    "\n\n## MoE heading\n\n",
    "\n\n",
    "\n",
    "\n\n- ",
    "\n\n1. ",
    "\n\n> ",
    "\n    ",
    "\n```\n",
    "\n~~~rust\n",
    "`MoE`",
    "<!--",
    "-->",
    "--!>",
    "<div>",
    "</div>",
    "<span>",
    "\n===\n",
    "\n---\n",
    "\n[ref]: /x\n",
    "[^n]",
    "\n\n[^n]: A footnote.\n\n",
    "| a | b |\n|---|---|\n| MoE | x |\n",
    "*",
    "_",
    "[",
    "]",
    "\\",
    "{#id}",
    "&amp;",
    "\u{2009}",
    "—",
    "注意",
];

fn chapter(title: &'static str, id: &'static str) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..24)
        .prop_map(move |parts| format!("# {title} {{#{id}}}\n\n{}\n", parts.join(" ")))
}

proptest! {
    // Each case is a whole mdBook build; 64 cover the fragments many times over.
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, rng_seed: RngSeed::Fixed(0x6c_6c61_6d61), ..ProptestConfig::default() })]

    #[test]
    fn generated_books_build_or_fail_cleanly(one in chapter("One", "one"), two in chapter("Two", "two")) {
        let dir = book(&[("one.md", &one), ("two.md", &two)]);
        if let Err(problem) = check(dir.path(), "generated book") {
            prop_assert!(false, "{}\n--- one.md\n{}\n--- two.md\n{}", problem, one, two);
        }
    }
}

/// At least this many inputs in each folder of the fuzz corpus, so an
/// emptied or renamed folder fails instead of passing over nothing.
const MIN_INPUTS: [(&str, usize); 2] = [("seeds", 100), ("crashes", 1)];

/// Every input of the committed fuzz corpus as a whole book: the glossary
/// (before a NUL, when there is one) and a chapter, built by mdBook.
#[test]
fn the_fuzz_corpus_goes_through_mdbook() {
    let mut problems = Vec::new();
    let mut built = 0;
    for (folder, min) in MIN_INPUTS {
        let dir = common::repo().join("preprocessor/fuzz").join(folder);
        let mut n = 0;
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            n += 1;
            let (glossary, chapter) = match text.split_once('\0') {
                Some((glossary, chapter)) => {
                    (format!("# Glossary {{#glossary}}\n\n{glossary}"), chapter)
                }
                None => (GLOSSARY.to_string(), text.as_str()),
            };
            let dir = book(&[("one.md", chapter), ("glossary.md", &glossary)]);
            let what = format!("{folder}/{}", path.file_name().unwrap().to_string_lossy());
            match check(dir.path(), &what) {
                Ok(()) => built += usize::from(dir.path().join("book/one.html").exists()),
                Err(problem) => problems.push(problem),
            }
        }
        assert!(
            n >= min,
            "only {n} inputs in {} (expected {min} or more)",
            dir.display()
        );
    }
    assert!(
        problems.is_empty(),
        "{} inputs broke the pipeline:\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
    // Most inputs are chapters mdBook renders; if none built, the books
    // written here are wrong and the test checks nothing.
    assert!(built > 100, "only {built} inputs built");
}
