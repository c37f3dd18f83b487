//! Property tests of the callout transform's invariants, over Markdown built
//! from fragments that exercise every rule (terms, overlaps, compounds, code,
//! links, headings, HTML, lists, quotes).

use std::sync::LazyLock;

use mdbook_gloss::testing::Config;
use mdbook_gloss::testing::Templates;
use mdbook_gloss::testing::rendered_without_callouts;
use mdbook_gloss::testing::transform_chapter;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

mod common;

static TEMPLATES: LazyLock<Templates> = LazyLock::new(Templates::defaults);

const GLOSSARY: &str = "# Glossary {#glossary}\n\n## Mixture of experts {#moe}\n\n- Aliases: MoE\n\nMany experts.\n\n\
## Attention {#attention}\n\nLooking at other tokens.\n\n## Grouped-query attention (GQA) {#gqa}\n\nShared heads.\n\n\
## Direct preference optimization (DPO) {#dpo}\n\nPairs.\n\n## KV cache {#kv-cache}\n\nStored keys.\n";

/// A glossary whose one term the generated text never mentions.
const UNUSED_GLOSSARY: &str = "# Glossary\n\n## Zebra crossing {#zebra}\n\nStripes.\n";

/// Fragments whose bytes must never change.
const PROTECTED: &[&str] = &[
    "`MoE`",
    "[MoE link](https://example.com/moe)",
    "\n\n## MoE heading\n\n",
    "<span title=\"MoE attention\">x</span>",
    "\n\n```\nattention MoE\n```\n\n",
    "![MoE](x.png)",
    "https://example.com/attention",
];

const WORDS: &[&str] = &[
    "the",
    "model",
    "MoE",
    "MoEs",
    "Moe",
    "attention",
    "Attention",
    "grouped-query attention",
    "self-attention",
    "DPO",
    "DPO-tuned",
    "dpo",
    "KV caches",
    "DPO's",
    "mixture\nof experts",
    "*attention*",
    "**MoE**",
    ",",
    ".",
    "\n",
    "\n\n",
    "\n\n- ",
    "\n\n> ",
    "\n\n| a | b |\n|---|---|\n| MoE | x |\n\n",
    "注意MoE力",
    "_",
    "*",
    "~",
    "\\",
    "]",
    "\"",
    "\\MoE",
    "_MoE]",
    "_MoE_",
    "x**DPO**y",
    "*attention*,",
    "~~MoE~~",
    "\"DPO\"",
    "é",
    "\u{301}",
];

fn markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            8 => prop::sample::select(WORDS).prop_map(str::to_string),
            2 => prop::sample::select(PROTECTED).prop_map(str::to_string),
        ],
        0..60,
    )
    .prop_map(|parts| parts.join(" "))
}

fn config(terms_list: bool) -> Config {
    let mut c = Config::default();
    c.claims = true;
    c.terms_list = terms_list;
    c
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, rng_seed: RngSeed::Fixed(0x6c_6c61_6d61), ..ProptestConfig::default() })]

    #[test]
    fn a_glossary_whose_terms_are_not_mentioned_changes_nothing(text in markdown()) {
        let out = transform_chapter(UNUSED_GLOSSARY, &text, &config(true), Some(&TEMPLATES)).unwrap();
        prop_assert_eq!(out, text);
    }

    #[test]
    fn removing_the_callouts_gives_back_the_input(text in markdown()) {
        let out = transform_chapter(GLOSSARY, &text, &config(false), Some(&TEMPLATES)).unwrap();
        prop_assert_eq!(mdbook_gloss::testing::remove_callouts(&out), text);
    }

    #[test]
    fn callouts_change_nothing_else_a_reader_gets(text in markdown()) {
        let out = transform_chapter(GLOSSARY, &text, &config(false), Some(&TEMPLATES)).unwrap();
        prop_assert_eq!(rendered_without_callouts(&out), rendered_without_callouts(&text));
    }

    #[test]
    fn a_second_run_changes_nothing_more(text in markdown()) {
        let once = transform_chapter(GLOSSARY, &text, &config(false), Some(&TEMPLATES)).unwrap();
        let twice = transform_chapter(GLOSSARY, &once, &config(false), Some(&TEMPLATES)).unwrap();
        prop_assert_eq!(twice, once);
    }

    #[test]
    fn code_links_headings_and_html_never_change(text in markdown()) {
        let out = transform_chapter(GLOSSARY, &text, &config(true), Some(&TEMPLATES)).unwrap();
        for fragment in PROTECTED {
            prop_assert_eq!(out.matches(fragment).count(), text.matches(fragment).count(), "{:?}", fragment);
        }
    }

    #[test]
    fn references_never_change_text_outside_them(before in markdown(), after in markdown()) {
        let text = format!("# T {{#t}}\n\n{before} see <xref:t> and [x](xref:t) {after}");
        let out = transform_chapter(UNUSED_GLOSSARY, &text, &config(false), Some(&TEMPLATES)).unwrap();
        let prefix = "# T {#t}\n\n";
        prop_assert!(out.starts_with(prefix));
        prop_assert!(out.contains(&before));
        // "Referenced from" follows the chapter's content, after a blank line.
        let list = "<div class=\"gloss-backrefs gloss-referenced-from\">";
        let at = out.rfind(list);
        prop_assert!(at.is_some(), "no Referenced from list in {:?}", out);
        let content = out[..at.unwrap_or(0)].trim_end_matches('\n');
        prop_assert!(content.ends_with(after.trim_end_matches('\n')), "{:?}", out);
    }
}

/// Every Unicode space, dash, bracket and quote class, which are ordinary
/// typography (a thin space before a dash, guillemets around a term), mixed
/// with terms, URLs, directives and the `<`/`>` that raw HTML starts and ends
/// with: every byte offset the scan takes must fall on a character boundary.
const TYPOGRAPHY: &[&str] = &[
    "\u{a0}",
    "\u{1680}",
    "\u{2000}",
    "\u{2001}",
    "\u{2002}",
    "\u{2003}",
    "\u{2004}",
    "\u{2005}",
    "\u{2006}",
    "\u{2007}",
    "\u{2008}",
    "\u{2009}",
    "\u{200a}",
    "\u{2028}",
    "\u{2029}",
    "\u{202f}",
    "\u{205f}",
    "\u{3000}",
    "\u{200b}",
    "\u{feff}",
    "\t",
    "‐",
    "‑",
    "‒",
    "–",
    "—",
    "―",
    "−",
    "﹘",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "（",
    "）",
    "［",
    "］",
    "「",
    "」",
    "〈",
    "〉",
    "⟨",
    "⟩",
    "《",
    "》",
    "\"",
    "'",
    "“",
    "”",
    "‘",
    "’",
    "«",
    "»",
    "„",
    "‚",
    "‹",
    "›",
    "<",
    ">",
    "a>",
    "<a",
    "</",
    "<!",
    "MoE",
    "attention",
    "https://",
    "www.",
    "{{#",
    "}}",
    "-a>",
    "é",
    "\u{301}",
    "注意",
    "🦙",
];

fn typography() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TYPOGRAPHY), 0..40).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, rng_seed: RngSeed::Fixed(0x6c_6c61_6d61), ..ProptestConfig::default() })]

    #[test]
    fn typography_never_panics_and_callouts_change_nothing_else(text in typography()) {
        let out = match transform_chapter(GLOSSARY, &text, &config(false), Some(&TEMPLATES)) {
            Ok(out) => out,
            // `<!` or `<?` starting a line and never closed is refused, at its place.
            Err(e) => {
                prop_assert!(e.contains("runs to the end of the chapter\n --> src/chapter.md:"), "{}", e);
                return Ok(());
            }
        };
        prop_assert_eq!(rendered_without_callouts(&out), rendered_without_callouts(&text));
        prop_assert_eq!(mdbook_gloss::testing::remove_callouts(&out), text);
    }
}

/// The line the fuzzer found (`in_url` cut a thin space in two).
#[test]
fn a_thin_space_before_a_dash_after_a_term() {
    let text = "See the ratio a>MoE\u{2009}-a>MoE here.\n";
    let out = transform_chapter(GLOSSARY, text, &config(false), Some(&TEMPLATES)).unwrap();
    assert_eq!(mdbook_gloss::testing::remove_callouts(&out), text);
}
