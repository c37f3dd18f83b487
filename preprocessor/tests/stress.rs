//! Inputs that are valid but extreme: huge chapters, huge glossaries, deep
//! nesting, long lines, CRLF, a byte-order mark, other scripts. The
//! preprocessor must neither panic nor hang, and must change nothing but
//! what it means to change. (Speed is measured by `cargo xtask bench`, never
//! asserted here.)

use std::sync::LazyLock;

use mdbook_gloss::testing::Config;
use mdbook_gloss::testing::Templates;
use mdbook_gloss::testing::remove_callouts;
use mdbook_gloss::testing::transform_chapter;

mod common;

static TEMPLATES: LazyLock<Templates> = LazyLock::new(Templates::defaults);

const GLOSSARY: &str = "# Glossary\n\n## Mixture of experts {#moe}\n\n- Aliases: MoE\n\nExperts.\n\n## Attention {#attention}\n\nLooking.\n\n\
## Grouped-query attention {#gqa}\n\nShared heads.\n";

fn config(every: bool) -> Config {
    let mut c = Config::default();
    c.claims = true;
    c.terms_list = false;
    if every {
        c.callouts = mdbook_gloss::testing::Policy::Every;
    }
    c
}

/// Transforms and checks that only callouts were added.
fn only_callouts(glossary: &str, chapter: &str, every: bool) -> String {
    let out = transform_chapter(glossary, chapter, &config(every), Some(&TEMPLATES)).unwrap();
    assert_eq!(
        remove_callouts(&out),
        chapter,
        "text outside callouts changed"
    );
    out
}

#[test]
fn a_chapter_of_50_megabytes() {
    let paragraph = "A mixture of experts routes tokens with `MoE` code, grouped-query attention and\n\
                     [a link about MoE](https://example.com/moe). **MoE** again, and self-attention.\n\n";
    let chapter = paragraph.repeat(50 * 1024 * 1024 / paragraph.len() + 1);
    assert!(chapter.len() >= 50 * 1024 * 1024);
    let out = only_callouts(GLOSSARY, &chapter, true);
    // Three callouts per paragraph: mixture of experts, grouped-query attention, MoE.
    assert_eq!(
        out.matches("class=\"gloss-term\"").count(),
        3 * (chapter.len() / paragraph.len())
    );
}

#[test]
fn ten_thousand_overlapping_terms() {
    // Terms that are prefixes, suffixes and infixes of each other.
    let mut glossary = String::from("# Glossary\n\n");
    for i in 0..10_000 {
        let name = match i % 4 {
            0 => format!("term{}", i / 4),
            1 => format!("term{} part", i / 4),
            2 => format!("big term{} part", i / 4),
            _ => format!("big term{}", i / 4),
        };
        glossary.push_str(&format!("## {name} {{#t{i}}}\n\nDefinition {i}.\n\n"));
    }
    let mut chapter = String::new();
    for i in (0..2500).step_by(7) {
        chapter.push_str(&format!(
            "The big term{i} part, then term{i} and big term{i}; term{i} part.\n\n"
        ));
    }
    let out = only_callouts(&glossary, &chapter, false);
    // Longest wins: "big termN part", then "termN", "big termN" and "termN part" are each first mentions.
    assert!(
        out.contains("data-gloss-term=\"t2\">big term0 part</a>"),
        "{}",
        &out[..400]
    );
    assert!(out.contains("data-gloss-term=\"t0\">term0</a>"));
    assert!(out.contains("data-gloss-term=\"t3\">big term0</a>"));
    assert!(out.contains("data-gloss-term=\"t1\">term0 part</a>"));
}

#[test]
fn deep_nesting() {
    let quotes = format!("{} MoE deep in quotes\n", ">".repeat(2000));
    only_callouts(GLOSSARY, &quotes, false);
    let mut lists = String::new();
    for depth in 0..500 {
        lists.push_str(&"  ".repeat(depth));
        lists.push_str("- MoE item\n");
    }
    only_callouts(GLOSSARY, &lists, false);
}

#[test]
fn very_long_lines() {
    let line = "attention MoE ".repeat(500_000) + "\n";
    let out = only_callouts(GLOSSARY, &line, false);
    assert_eq!(out.matches("class=\"gloss-term\"").count(), 2);
}

#[test]
fn crlf_and_a_byte_order_mark() {
    let glossary = GLOSSARY.replace('\n', "\r\n");
    let chapter = "\u{feff}# Chapter {#c}\r\n\r\nA mixture\r\nof experts, MoE.\r\n\r\n> [!NOTE]\r\n> attention\r\n";
    let out = only_callouts(&glossary, chapter, true);
    assert!(out.contains(">mixture\r\nof experts</a>"), "{out}");
    assert!(out.contains(">attention</a>"), "{out}");
    assert!(out.starts_with('\u{feff}'));
}

#[test]
fn other_scripts_and_combining_characters() {
    let chapter = "混合专家MoE架构。 Mixture of experts (смесь экспертов) MoE\u{301}s. attention\u{308} مزيج MoE العربية\n";
    let out = only_callouts(GLOSSARY, chapter, true);
    assert!(out.contains("专家<a class=\"gloss-term\""), "{out}");
    assert!(out.contains(">MoE</a>架构"), "{out}");
    // A combining mark makes another word.
    assert!(!out.contains(">attention</a>"), "{out}");
    assert!(out.contains(">MoE</a> العربية"), "{out}");
}

#[test]
fn an_empty_book_and_empty_chapters() {
    assert_eq!(only_callouts(GLOSSARY, "", false), "");
    // An empty glossary chapter is a mistake to name, not a book without terms.
    let err = transform_chapter("", "MoE", &config(false), Some(&TEMPLATES)).unwrap_err();
    assert!(err.contains("the glossary has no entries"), "{err}");
    assert_eq!(only_callouts(GLOSSARY, "\n\n\n", false), "\n\n\n");
}
