//! Snapshots of the Markdown the preprocessor hands to mdBook's renderer,
//! for a chapter that uses every syntax. `cargo insta review` (or
//! `INSTA_UPDATE=always`) accepts a change.

use mdbook_gloss::testing::Config;
use mdbook_gloss::testing::Templates;
use mdbook_gloss::testing::transform_chapter;
use mdbook_gloss::testing::{Chapter, Diagnostics, transform};

mod common;

const GLOSSARY: &str = "# Glossary {#glossary}\n\n## Mixture of experts {#moe}\n\n- Aliases: MoE\n- See also: [Attention](#attention)\n\n\
A layer with many experts. Uses attention.\n\n## Attention {#attention}\n\nLooking at \"other\" tokens & \\<positions>.\n";

const CHAPTER: &str = "# Chapter {#chapter}\n\nA mixture of experts, then MoE again, and\n*attention* in emphasis.\n\n\
## Claims {#claims}\n\n> [!CLAIM C07 ¶3]\n> The article says it is \"larger than Mixtral\".\n\n> [!VERDICT simplified]\n> Right by total parameters.\n\n\
> [!EVIDENCE]\n> See <xref:claims> and the glossary's [attention](glossary.md#attention).\n";

/// The defaults, with claims on: the chapter has claim cards.
fn config() -> Config {
    let mut c = Config::default();
    c.claims = true;
    c
}

fn templates() -> Templates {
    Templates::defaults()
}

/// This two-chapter book has no references chapter: a verdict without a
/// citation is refused, and so is a citation to a source it does not have.
#[test]
fn claim_diagnostics() {
    let err = transform_chapter(GLOSSARY, CHAPTER, &config(), Some(&templates())).unwrap_err();
    insta::assert_snapshot!("claim_without_citation", err);
    let cited = CHAPTER.replace(
        "Right by total parameters.",
        "Right by total parameters [§1](cite:l3).",
    );
    let err = transform_chapter(GLOSSARY, &cited, &config(), Some(&templates())).unwrap_err();
    insta::assert_snapshot!("unknown_reference", err);
}

#[test]
fn callouts_and_terms_list() {
    let text = CHAPTER.split("## Claims").next().unwrap();
    let out = transform_chapter(GLOSSARY, text, &config(), Some(&templates())).unwrap();
    insta::assert_snapshot!("callouts", out);
}

/// Without the list at the end of the chapter, each callout carries its
/// definition itself, in `title`, for readers without JavaScript.
#[test]
fn callouts_without_terms_list() {
    let text = CHAPTER.split("## Claims").next().unwrap();
    let mut config = Config::default();
    config.terms_list = false;
    let out = transform_chapter(GLOSSARY, text, &config, Some(&templates())).unwrap();
    insta::assert_snapshot!("callouts_without_terms_list", out);
    assert!(!out.contains("Terms in this chapter"), "{out}");
    assert!(
        out.contains("title=\"A layer with many experts. Uses attention.\""),
        "{out}"
    );
}

#[test]
fn plain_markdown_for_other_renderers() {
    let text = CHAPTER.split("## Claims").next().unwrap();
    let out = transform_chapter(GLOSSARY, text, &config(), None).unwrap();
    assert_eq!(out, text, "no callouts outside HTML");
}

/// With `git-repository-url`, each claim card and the end of each chapter
/// link to the repository's issue form, prefilled; every other byte is as
/// without it.
#[test]
fn suggest_a_correction() {
    let references = "# References {#references}\n\n## The Llama 3 Herd of Models {#l3}\n\n\
- Authors: Llama Team\n- Cite as: Llama Team 2024\n- Year: 2024\n";
    let chapter = CHAPTER.replace(
        "Right by total parameters.",
        "Right by total parameters [§1](cite:l3).",
    );
    let make = |path: &str, name: &str, content: &str| Chapter {
        path: path.to_string(),
        display: format!("src/{path}"),
        name: name.to_string(),
        part: None,
        content: content.to_string(),
    };
    let chapters = [
        make("notes/chapter.md", "Dense & sparse: \"MoE\"", &chapter),
        make("glossary.md", "Glossary", GLOSSARY),
        make("references.md", "References", references),
    ];
    let run = |config: &Config| {
        let mut diags = Diagnostics::default();
        let out = transform(&chapters, config, Some(&templates()), &mut diags);
        assert_eq!(diags.error_count(), 0, "{}", diags.render(false));
        out
    };
    let without = run(&config());
    let mut with_repo = config();
    with_repo.repository = Some("https://github.com/o/r".into());
    let with = run(&with_repo);
    insta::assert_snapshot!("suggest_a_correction", with[0]);
    for (w, wo) in with.iter().zip(&without) {
        // Each link is a block of its own: a card's, then a blank line;
        // the chapter's, after a blank line and before the lists that
        // follow the content (see rewrite.rs).
        let mut kept = w.clone();
        while let Some(at) = kept.find("<p class=\"gloss-correction") {
            let end = kept[at..].find("</p>\n").map_or(kept.len(), |i| at + i + 5);
            let page = kept[at..].starts_with("<p class=\"gloss-correction gloss-correction-page");
            let end = if page && kept[end..].starts_with('\n') {
                end + 1
            } else {
                end
            };
            kept.replace_range(at..end, "");
        }
        assert_eq!(kept.trim_end(), wo.trim_end());
    }
    assert_eq!(
        with.iter()
            .map(|c| c.matches("class=\"gloss-correction").count())
            .collect::<Vec<_>>(),
        [2, 1, 1],
        "one card and three chapters"
    );
}

/// A claim leads somewhere: its card links to its row in the ledger and to
/// the article at the words it quotes (`claims-source`); its chapter lists
/// it under the title; the tally on another page counts it and links to
/// the ledger.
#[test]
fn claims_lead_to_the_ledger_and_the_article() {
    let references = "# References {#references}\n\n## The article {#article}\n\n\
- Authors: A. Writer\n- Cite as: Writer 2024\n- Year: 2024\n- URL: https://news.example/story#top\n";
    let chapter = CHAPTER
        .replace(
            "Right by total parameters.",
            "Right by total parameters [¶3](cite:article).",
        )
        .replace(
            "\"larger than Mixtral\"",
            "\"larger than Mixtral-8x22B, & so on\"",
        );
    let make = |path: &str, name: &str, content: &str| Chapter {
        path: path.to_string(),
        display: format!("src/{path}"),
        name: name.to_string(),
        part: None,
        content: content.to_string(),
    };
    let chapters = [
        make(
            "index.md",
            "Home",
            "# Home\n\nWelcome.\n\n<!-- gloss:tally -->\n",
        ),
        make("notes/chapter.md", "Chapter", &chapter),
        make("ledger.md", "Ledger", "# Ledger\n\n<!-- gloss:ledger -->\n"),
        make("glossary.md", "Glossary", GLOSSARY),
        make("references.md", "References", references),
    ];
    let mut config = config();
    config.claims_source = Some("article".into());
    let mut diags = Diagnostics::default();
    let out = transform(&chapters, &config, Some(&templates()), &mut diags);
    assert_eq!(diags.error_count(), 0, "{}", diags.render(false));
    insta::assert_snapshot!("claims_lead_somewhere_home", out[0]);
    insta::assert_snapshot!("claims_lead_somewhere_chapter", out[1]);
    // The fragment escapes what the fragment syntax reads (`-`, `,`, `&`)
    // and replaces the URL's own fragment.
    assert!(out[1].contains(
        "href=\"https://news.example/story#:&#126;:text=larger%20than%20Mixtral%2D8x22B%2C%20%26%20so%20on\""
    ));
    assert!(out[1].contains("href=\"../ledger.html#ledger-c07\""));
    assert!(out[2].contains("<tr id=\"ledger-c07\">"));
    // On the ledger's own page the tally would not link to itself.
    assert!(out[0].contains("href=\"ledger.html\""));
}
