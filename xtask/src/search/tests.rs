use std::path::Path;

use mdbook_driver::MDBook;
use serde_json::Value;

use super::*;
use crate::tools::root;

/// Builds the book at `book_root` into `dest` as mdBook alone would write its
/// search index (with the preprocessor when `gloss`), and returns the index
/// file's text and what the book says of search.
fn build(book_root: &Path, dest: &Path, gloss: bool) -> (MDBook, Search, String) {
    let mut book = MDBook::load(book_root).unwrap();
    if gloss {
        book.with_preprocessor(mdbook_gloss::Gloss);
    }
    book.config.build.build_dir = dest.to_path_buf();
    book.build().unwrap();
    let search = (book.config.html_config())
        .and_then(|h| h.search)
        .unwrap_or_default();
    let js = std::fs::read_to_string(index_file(dest).unwrap()).unwrap();
    (book, search, js)
}

/// Rewrites the index in `dest` with `options`; returns the file's text.
fn rewrite(book: &MDBook, search: &Search, dest: &Path, options: Options) -> String {
    let chapters = chapters(book, search);
    apply_to_site(dest, search, &chapters, options)
        .unwrap()
        .unwrap();
    std::fs::read_to_string(index_file(dest).unwrap()).unwrap()
}

/// The sections whose body, title or breadcrumbs hold `word` (as indexed,
/// lower-case, after elasticlunr's trimmer and stemmer), read from the
/// index's inverted index as the search script reads it.
fn sections_with(js: &str, field: &str, word: &str) -> Vec<String> {
    let json = parse_js(js).unwrap();
    let mut node = &json["index"]["index"][field]["root"];
    for c in word.chars() {
        node = &node[c.to_string()];
    }
    let urls = json["doc_urls"].as_array().unwrap();
    let mut found: Vec<String> = (node["docs"].as_object())
        .map(|docs| {
            docs.keys()
                .map(|k| {
                    urls[k.parse::<usize>().unwrap()]
                        .as_str()
                        .unwrap()
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// Each section's title and body.
fn texts(js: &str) -> Vec<String> {
    let json = parse_js(js).unwrap();
    let docs = json["index"]["documentStore"]["docs"].as_object().unwrap();
    docs.values()
        .map(|d| {
            format!(
                "{}\n{}",
                d["title"].as_str().unwrap(),
                d["body"].as_str().unwrap()
            )
        })
        .collect()
}

/// With nothing skipped and nothing added, the walk over the built pages gives
/// the very file mdBook wrote from its chapter trees: the page is read back as
/// mdBook's indexer reads the tree. The real book has claim cards, figures
/// (SVG), tables, footnotes, code and every generated list.
#[test]
fn the_real_book_indexed_again_as_mdbook_would_is_the_same_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("site");
    let (book, search, mdbook_js) = build(&root(), &dest, true);
    let again = rewrite(&book, &search, &dest, Options::MDBOOK);
    assert!(
        again == mdbook_js,
        "the rewrite differs from mdBook's index"
    );

    // Then as the site has it: the generated lists are gone from every
    // section, and the words of the content are all still found.
    let site = rewrite(&book, &search, &dest, Options::SITE);
    let (before, after) = (texts(&mdbook_js), texts(&site));
    // The lists' labels as the preprocessor writes them ("Appears in 3
    // chapters:"); the glossary's introduction names "Appears in" in prose.
    let labels = [
        "Terms in this chapter",
        "Referenced from 1",
        "Appears in 1",
        "Cited in 1",
        "Claims settled here:",
        "Suggest a correction",
    ];
    let has = |texts: &[String], label: &str| texts.iter().any(|t| t.contains(label));
    for label in labels {
        assert!(
            has(&before, label),
            "mdBook's index has no {label:?}: the test no longer tests it"
        );
        assert!(!has(&after, label), "{label:?} is still indexed");
    }
    let json = parse_js(&site).unwrap();
    let urls: Vec<&str> = json["doc_urls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap())
        .collect();
    assert!(
        !urls.iter().any(|u| u.ends_with("#gloss-terms-list-title")),
        "a terms list is still a section"
    );
    // Every skipped class is one the preprocessor writes: a renamed class
    // would silently bring its list back.
    let pages: String = urls
        .iter()
        .map(|u| u.split('#').next().unwrap())
        .collect::<std::collections::BTreeSet<_>>()
        .iter()
        .map(|p| std::fs::read_to_string(dest.join(p)).unwrap())
        .collect();
    for class in SKIPPED {
        assert!(
            pages.contains(&format!("class=\"{class}")),
            "no element has class {class}"
        );
    }
    // "16000" finds the sections that write "16,000", as "16,000" does.
    let with_comma = sections_with(&site, "body", "16,000");
    assert!(!with_comma.is_empty());
    assert_eq!(sections_with(&site, "body", "16000"), with_comma);
    assert!(sections_with(&mdbook_js, "body", "16000").is_empty());
    // The sections are mdBook's, less the terms lists, plus one per claim
    // card, titled by the article's words it quotes; a card's words are in
    // its own section only.
    let old = parse_js(&mdbook_js).unwrap();
    let old_urls: Vec<&str> = old["doc_urls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap())
        .filter(|u| !u.ends_with("#gloss-terms-list-title"))
        .collect();
    let (claims, rest): (Vec<&str>, Vec<&str>) = urls.iter().partition(|u| u.contains("#claim-c"));
    assert_eq!(rest, old_urls);
    assert_eq!(
        claims.len(),
        pages.matches("<section class=\"gloss-claim ").count()
    );
    assert!(claims.len() >= 46, "{} claim sections", claims.len());
    let docs = json["index"]["documentStore"]["docs"].as_object().unwrap();
    let doc = |url: &str| &docs[&urls.iter().position(|u| *u == url).unwrap().to_string()];
    let c01 = doc("beyond/comparisons.html#claim-c01");
    assert_eq!(
        c01["title"],
        "Llama 3.1 405B is “the largest open-source large language model to date”."
    );
    assert!(
        c01["breadcrumbs"]
            .as_str()
            .unwrap()
            .ends_with(" » Claim C01"),
        "{}",
        c01["breadcrumbs"]
    );
    assert!(
        c01["body"]
            .as_str()
            .unwrap()
            .contains("Verdict: Simplified")
    );
    // mdBook's teaser shows the words around a hit, from the start of the
    // section when the hit is there: a glossary entry starts with its
    // definition, not with its "Also called" and "See also" fields.
    let entries: Vec<&&str> = rest
        .iter()
        .filter(|u| u.starts_with("glossary.html#"))
        .collect();
    assert!(entries.len() > 90, "{} glossary entries", entries.len());
    for url in entries {
        let body = doc(url)["body"].as_str().unwrap();
        assert!(
            !body.starts_with("Also called") && !body.starts_with("See also"),
            "{url}: {body}"
        );
    }
    for url in &rest {
        assert!(
            !doc(url)["body"].as_str().unwrap().contains("Verdict: "),
            "{url} holds a claim card's words"
        );
    }
    // Running it again changes nothing.
    assert_eq!(rewrite(&book, &search, &dest, Options::SITE), site);
}

/// The same over a book of the constructs the real one lacks, rendered by
/// mdBook alone: text right after a block's end tag, entities, raw HTML with
/// comments, `<script>`/`<style>`, headings below the split level and without
/// an id, nested lists, a chapter of text with no heading, draft and nested
/// chapters, a chapter search is turned off for.
#[test]
fn mdbooks_own_walk_is_matched_on_awkward_content() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("book");
    std::fs::create_dir_all(src.join("src/part")).unwrap();
    let write = |p: &str, s: &str| std::fs::write(src.join(p), s).unwrap();
    write(
        "book.toml",
        "[book]\ntitle = \"T\"\n[output.html.search]\nheading-split-level = 2\n[output.html.search.chapter]\n\"part/off.md\" = { enable = false }\n",
    );
    write(
        "src/SUMMARY.md",
        "# Summary\n\n[Intro](intro.md)\n\n- [Chapter](chapter.md)\n  - [Nested](part/nested.md)\n  - [Off](part/off.md)\n- [Draft]()\n- [Plain](part/plain.md)\n",
    );
    write(
        "src/intro.md",
        "Text before any heading, & < > \" ' \\ all escaped.\n\n<div>raw</div>after the div\n",
    );
    write(
        "src/chapter.md",
        "# Chapter\n\nOne  two\n\n## Second {#second}\n\n<p>a</p>b<!-- hidden --> c\n\n<script>var no = 'words';</script>\n<style>.no { words: 1 }</style>\n\n### Third, below the split\n\n- one\n  - two\n    1. three\n\n| a | b |\n|---|---|\n| c&amp;d | <e> |\n\n<h2>No id</h2>\n\n```rust\nlet x = \"<y>\" && z;\n```\n\nA footnote[^n].\n\n[^n]: The note.\n\n<details><summary>More</summary>\n\nHidden text.\n\n</details>\n\n<svg viewBox=\"0 0 1 1\"><text x=\"0\" y=\"1\">In the SVG</text><path d=\"M0 0\" /></svg>\n",
    );
    write(
        "src/part/nested.md",
        "# Nested\n\n> quoted\n> text\n\n***\n\nAfter the rule.<br>Line. An icon <i class=\"fas fa-print\"></i> mdBook draws.\n",
    );
    write("src/part/off.md", "# Off\n\nNot searched.\n");
    write(
        "src/part/plain.md",
        "Only text, 16,000 GPUs and 1234567 tokens.\n",
    );
    let dest = tmp.path().join("site");
    let (book, search, mdbook_js) = build(&src, &dest, false);
    // mdBook draws the icon as Font Awesome's SVG, whose `<path …/>` it
    // copies raw.
    let nested = std::fs::read_to_string(dest.join("part/nested.html")).unwrap();
    let main = &nested[nested.find("<main>").unwrap()..nested.find("</main>").unwrap()];
    assert!(main.contains("<svg") && main.contains("\"/>"), "{main}");
    let again = rewrite(&book, &search, &dest, Options::MDBOOK);
    assert_eq!(again, mdbook_js);
    let site = rewrite(&book, &search, &dest, Options::SITE);
    assert_eq!(sections_with(&site, "body", "16000"), ["part/plain.html"]);
    assert_eq!(
        sections_with(&site, "body", "1,234,567"),
        ["part/plain.html"]
    );
}

#[test]
fn numbers_get_their_other_written_form() {
    let cases = [
        ("16,000", Some("16000")),
        ("16000", Some("16,000")),
        ("(16,000", Some("(16000")),
        ("16,000,000.", Some("16000000.")),
        ("1,234,567", Some("1234567")),
        ("405000000", Some("405,000,000")),
        ("123456", Some("123,456")),
        ("2024", None),
        ("1000", None),
        ("1,00", None),
        ("12,3456", None),
        ("1234,567", None),
        ("01234", None),
        ("3.8e25", None),
        ("v1,000", Some("v1000")),
        ("words", None),
        ("", None),
    ];
    for (word, want) in cases {
        assert_eq!(other_number_form(word).as_deref(), want, "{word:?}");
    }
    assert_eq!(
        tokenize_with_numbers("On 16,000 H100s"),
        ["on", "16,000", "16000", "h100s"]
    );
}

#[test]
fn whitespace_collapses_as_mdbooks_regex_does() {
    for (text, want) in [
        ("a b", "a b"),
        ("a  b", "a b"),
        ("a\n b", "a b"),
        ("a\nb", "a\nb"),
        ("a \u{a0}\t b", "a b"),
        ("", ""),
    ] {
        assert_eq!(collapse_whitespace(text), want, "{text:?}");
    }
}

#[test]
fn the_index_file_round_trips() {
    // JSON `{"a":"it's \\ here"}`, with `\` then `'` escaped.
    let js = format!("{JS_START}{{\"a\":\"it\\'s \\\\\\\\ here\"}}{JS_END}");
    let json = parse_js(&js).unwrap();
    assert_eq!(json["a"], Value::from("it's \\ here"));
    assert_eq!(to_js(&json).unwrap(), js);
    assert!(parse_js("window.search = {}").is_err());
}

#[test]
fn pages_not_written_by_mdbook_are_errors_not_guesses() {
    for page in [
        "<main><p class=x>a</p></main>",
        "<main><p>a</main>",
        "<main><!-- a </main>",
        "no main",
    ] {
        let chapter = Chapter {
            html_path: "a.html".into(),
            names: vec!["A".into()],
        };
        let mut b = Builder::new(&Search::default(), Options::SITE);
        assert!(b.chapter(&chapter, page).is_err(), "{page}");
    }
}
