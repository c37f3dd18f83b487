//! An outside book: 31 chapters of Rust by Example, vendored unmodified in
//! `tests/outside/rust-by-example/` (where they come from is in its
//! NOTICE.md), with a glossary of ours. The book is built twice in-process,
//! with the preprocessor and without it, and every file of the two sites is
//! compared: once the callouts and the "Terms in this chapter" sections are
//! taken out ([`common::remove_generated`]), each page must be the page
//! mdBook builds without the preprocessor, byte for byte.
//!
//! What may legitimately differ, and how each is handled:
//! - the glossary page, which the preprocessor fills in: checked on its own
//!   (every entry's id is what the callouts link to);
//! - `print.html`, which holds every chapter: compared like a chapter page
//!   once the glossary's part of it is cut from both builds;
//! - the search index, which holds the text of the terms lists and of the
//!   filled-in glossary: compared document by document without those, and
//!   its file name (mdBook hashes the content into it), which every page
//!   and `searcher.js` name: the one from the build with the preprocessor
//!   is replaced by the other's before comparing. In a chapter with
//!   footnotes (none of these has one), mdBook 0.5 moves them to the end of
//!   the page, after the terms list, and indexes their text with "Terms in
//!   this chapter" rather than with the chapter's last section.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

use common::{
    Builds, SearchDoc, build_twice, copy_dir, first_difference, logged_warnings,
    print_without_glossary, remove_generated, search_index, text,
};
use mdbook_driver::MDBook;

/// The vendored book.
fn source() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/outside/rust-by-example")
}

fn builds() -> &'static Builds {
    static BUILDS: OnceLock<Builds> = OnceLock::new();
    BUILDS.get_or_init(|| build_twice(&source()))
}

fn chapter_pages() -> Vec<String> {
    common::chapter_pages(&source())
}

/// The glossary's entries: each `## Name {#id}` of glossary.md, with the
/// name and its aliases.
fn glossary_entries() -> Vec<(String, Vec<String>)> {
    let glossary = std::fs::read_to_string(source().join("src/glossary.md")).unwrap();
    let mut entries: Vec<(String, Vec<String>)> = Vec::new();
    for line in glossary.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            let (name, id) = heading.split_once(" {#").unwrap();
            entries.push((
                id.strip_suffix('}').unwrap().to_string(),
                vec![name.to_string()],
            ));
        } else if let Some(aliases) = line.strip_prefix("- Aliases: ") {
            let names = &mut entries.last_mut().unwrap().1;
            names.extend(aliases.split(", ").map(str::to_string));
        }
    }
    entries
}

#[test]
fn the_book_builds_without_warnings() {
    let b = builds();
    assert!(b.warnings.is_empty(), "mdBook warned:\n{:#?}", b.warnings);
    eprintln!(
        "built twice in {:.2?}: {} files with gloss, {} without",
        b.took,
        b.with.len(),
        b.without.len()
    );
}

/// The warnings the builds are checked for are really seen: mdBook's own,
/// logged through `tracing`, and the preprocessor's, errors with
/// `deny-warnings`.
#[test]
fn warnings_would_be_seen() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&source(), dir.path());
    let path = dir.path().join("book.toml");
    let toml = std::fs::read_to_string(&path).unwrap();
    let toml = toml.replace(
        "after = [\"links\"]",
        "after = [\"links\", \"no-such-preprocessor\"]",
    );
    std::fs::write(&path, toml).unwrap();
    let (_, warnings) = logged_warnings(|| MDBook::load(dir.path()).unwrap());
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("WARN") && w.contains("no-such-preprocessor")),
        "{warnings:?}"
    );
    // A file in the templates folder that replaces no template is a
    // warning of the preprocessor's.
    std::fs::create_dir(dir.path().join("gloss-templates")).unwrap();
    std::fs::write(dir.path().join("gloss-templates/terms.html"), "").unwrap();
    let mut book = MDBook::load(dir.path()).unwrap();
    book.with_preprocessor(mdbook_gloss::Gloss);
    book.config
        .set("preprocessor.gloss.deny-warnings", true)
        .unwrap();
    book.config
        .set("preprocessor.gloss.templates", "gloss-templates")
        .unwrap();
    let error = format!("{:#}", book.build().unwrap_err());
    assert!(
        error.contains("is not a template") && error.contains("deny-warnings"),
        "{error}"
    );
}

#[test]
fn only_callouts_and_terms_lists_change_the_pages() {
    let b = builds();
    let (index_with, _) = search_index(&b.with);
    let (index_without, _) = search_index(&b.without);
    assert_ne!(
        index_with, index_without,
        "the terms lists are in the index"
    );
    let names = |files: &BTreeMap<String, Vec<u8>>, index: &str| -> BTreeSet<String> {
        files.keys().filter(|k| *k != index).cloned().collect()
    };
    assert_eq!(
        names(&b.with, &index_with),
        names(&b.without, &index_without),
        "the same files"
    );
    let chapters = chapter_pages();
    let (mut pages, mut others, mut callouts, mut lists, mut renamed) = (0, 0, 0, 0, 0);
    for (name, bytes) in &b.with {
        if *name == index_with || name == "glossary.html" {
            continue;
        }
        let want = &b.without[name];
        let Ok(page) = std::str::from_utf8(bytes) else {
            assert!(bytes == want, "{name} differs");
            others += 1;
            continue;
        };
        renamed += page.matches(&index_with).count();
        let mut page = page.replace(&index_with, &index_without);
        let mut want = String::from_utf8(want.clone()).unwrap();
        if name == "print.html" {
            page = print_without_glossary(&page);
            want = print_without_glossary(&want);
        }
        if !name.ends_with(".html") {
            assert!(page == want, "{name} differs");
            others += 1;
            continue;
        }
        let removed = remove_generated(&page);
        assert!(
            removed.html == want,
            "{name}: {}",
            first_difference(&removed.html, &want)
        );
        if chapters.contains(name) {
            // A chapter ends with a terms list exactly when it has callouts.
            assert_eq!(
                removed.terms_lists,
                usize::from(removed.callouts > 0),
                "{name}"
            );
            callouts += removed.callouts;
            lists += removed.terms_lists;
        } else if name != "print.html" {
            assert_eq!((removed.callouts, removed.terms_lists), (0, 0), "{name}");
        }
        pages += 1;
    }
    eprintln!(
        "compared {pages} pages ({callouts} callouts and {lists} terms lists in the chapters) and {others} other files"
    );
    // Every chapter but the glossary, and 404.html, toc.html, print.html.
    assert_eq!(pages, chapters.len() - 1 + 3);
    assert!(others >= 20, "{others} other files compared");
    // Every page but toc.html names the search index once, and so does
    // searcher.js.
    assert_eq!(renamed, pages, "the search index's name");
    assert!(lists >= 25, "{lists} chapters with a terms list");
    assert!(callouts >= 100, "{callouts} callouts");
}

#[test]
fn print_page_has_the_chapters_callouts() {
    let b = builds();
    let print = print_without_glossary(&text(&b.with, "print.html"));
    let removed = remove_generated(&print);
    let (mut callouts, mut lists) = (0, 0);
    for page in chapter_pages().iter().filter(|p| *p != "glossary.html") {
        let chapter = remove_generated(&text(&b.with, page));
        callouts += chapter.callouts;
        lists += chapter.terms_lists;
    }
    assert!(callouts >= 100);
    assert_eq!((removed.callouts, removed.terms_lists), (callouts, lists));
}

/// The `data-gloss-term` ids of a page's callouts, in order.
fn callout_ids(page: &str) -> Vec<String> {
    page.match_indices("<a class=\"gloss-term\" ")
        .map(|(i, _)| {
            let tag = &page[i..i + page[i..].find('>').unwrap()];
            let id = tag.split("data-gloss-term=\"").nth(1).unwrap();
            id.split('"').next().unwrap().to_string()
        })
        .collect()
}

/// The `data-gloss-entry` ids of a page's terms list, in order.
fn listed_ids(page: &str) -> Vec<String> {
    page.split("data-gloss-entry=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

#[test]
fn every_term_a_chapter_mentions_is_called_out() {
    let b = builds();
    let entries = glossary_entries();
    assert!(entries.len() >= 20, "{} glossary entries", entries.len());
    let mut called_anywhere = BTreeSet::new();
    let mut expected_total = 0;
    for name in chapter_pages().iter().filter(|p| *p != "glossary.html") {
        let page = text(&b.with, name);
        let ids = callout_ids(&page);
        // First in chapter: each term once, and the list names the same terms.
        let unique: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{name}: a term called out twice");
        assert_eq!(ids, listed_ids(&page), "{name}: callouts and terms list");
        // Every term whose name or an alias is in the chapter's prose (read
        // here with simpler rules than the matcher's) has its callout.
        let prose = prose(&text(&b.without, name));
        for (id, names) in &entries {
            if names.iter().any(|n| mentions(&prose, n)) {
                expected_total += 1;
                assert!(
                    ids.contains(id),
                    "{name} mentions `{id}` ({names:?}) but has no callout for it; callouts: {ids:?}"
                );
            }
        }
        called_anywhere.extend(ids);
    }
    let all: BTreeSet<String> = entries.iter().map(|(id, _)| id.clone()).collect();
    let missing: Vec<_> = all.difference(&called_anywhere).collect();
    assert!(
        missing.is_empty(),
        "terms no chapter calls out: {missing:?}"
    );
    assert!(expected_total >= 100, "{expected_total} mentions expected");
    // Pinned: the chapter on scope, term by term.
    let scope = text(&b.with, "variable_bindings/scope.html");
    assert_eq!(callout_ids(&scope), ["binding", "scope", "statement"]);
    assert!(scope.contains(
        "<a class=\"gloss-term\" href=\"../glossary.html#binding\" data-gloss-term=\"binding\">Variable bindings</a> have a"
    ));
}

/// The text of a page's `<main>` outside code, links and headings, where
/// the matcher never looks: tags of inline elements are dropped, the rest
/// become a separator, and the few entities mdBook writes are decoded.
fn prose(page: &str) -> String {
    let main = &page[page.find("<main>").unwrap()..page.find("</main>").unwrap()];
    const SKIPPED: [&str; 9] = ["code", "pre", "a", "h1", "h2", "h3", "h4", "h5", "h6"];
    const INLINE: [&str; 3] = ["em", "strong", "del"];
    let mut out = String::new();
    let mut skipping: Vec<String> = Vec::new();
    let mut rest = main;
    while let Some(lt) = rest.find('<') {
        if skipping.is_empty() {
            out.push_str(&rest[..lt]);
        }
        let end = lt + rest[lt..].find('>').unwrap();
        let tag = &rest[lt + 1..end];
        let (closing, tag) = tag.strip_prefix('/').map_or((false, tag), |t| (true, t));
        let tag_name = tag.split([' ', '/']).next().unwrap().to_string();
        if SKIPPED.contains(&tag_name.as_str()) {
            if closing {
                if skipping.last() == Some(&tag_name) {
                    skipping.pop();
                }
            } else {
                skipping.push(tag_name);
            }
        } else if !INLINE.contains(&tag_name.as_str()) {
            // Not white space: no mention spans two blocks.
            out.push('\u{1}');
        }
        rest = &rest[end + 1..];
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
}

/// Whether `text` mentions `term` as a whole word (its simple plural too),
/// in any case for a lower-case term, not inside a hyphenated compound.
fn mentions(text: &str, term: &str) -> bool {
    let exact = term.chars().skip(1).any(char::is_uppercase);
    let (text, term) = if exact {
        (text.to_string(), term.to_string())
    } else {
        (text.to_lowercase(), term.to_lowercase())
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-');
    text.match_indices(&term).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = &text[i + term.len()..];
        let after = after
            .strip_prefix("es")
            .filter(|a| !word(a.chars().next()))
            .or_else(|| after.strip_prefix('s'))
            .unwrap_or(after);
        !word(before) && !word(after.chars().next())
    })
}

#[test]
fn callouts_link_to_the_glossary_entries() {
    let b = builds();
    let glossary = text(&b.with, "glossary.html");
    let entries = glossary_entries();
    let ids: BTreeSet<String> = entries.iter().map(|(id, _)| id.clone()).collect();
    // Every entry is an `<h2>` with its id, filled in with where it appears.
    let headings: BTreeSet<String> = glossary
        .split("<h2 id=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect();
    assert_eq!(headings, ids, "the glossary's entry headings");
    assert_eq!(glossary.matches("gloss-appears-in").count(), ids.len());
    assert!(!glossary.contains("no chapter yet"), "a term used nowhere");
    // Without the preprocessor the glossary is a plain chapter with the same ids.
    let plain = text(&b.without, "glossary.html");
    for id in &ids {
        assert!(plain.contains(&format!("<h2 id=\"{id}\">")), "{id}");
    }
    // Every callout and terms-list link, from every page, is the glossary
    // page at the right depth and one of its ids.
    let mut links = 0;
    for name in chapter_pages() {
        let page = text(&b.with, &name);
        let up = "../".repeat(name.matches('/').count());
        // The glossary's own callouts name the page too.
        let glossary_page = format!("{up}glossary.html");
        for marker in ["<a class=\"gloss-term\" href=\"", "data-gloss-entry"] {
            for (i, _) in page.match_indices(marker) {
                let tag_start = page[..=i].rfind('<').unwrap();
                let tag = &page[tag_start..tag_start + page[tag_start..].find('>').unwrap()];
                // The glossary page's store of definitions links nowhere.
                let Some(href) = tag.split("href=\"").nth(1) else {
                    assert!(tag.starts_with("<span data-gloss-entry="), "{tag}");
                    continue;
                };
                let href = href.split('"').next().unwrap();
                let (to, id) = href.split_once('#').unwrap();
                assert_eq!(to, glossary_page, "{name}: {href}");
                assert!(ids.contains(id), "{name}: {href}");
                links += 1;
            }
        }
    }
    assert!(links >= 200, "{links} links to the glossary");
}

#[test]
fn the_search_index_differs_only_by_the_generated_text() {
    let b = builds();
    let (_, with) = search_index(&b.with);
    let (_, without) = search_index(&b.without);
    let outside_glossary = |d: &&SearchDoc| !d.url.starts_with("glossary.html");
    let lists = with
        .iter()
        .filter(|d| d.url.ends_with("#gloss-terms-list-title"))
        .count();
    let with: Vec<&SearchDoc> = with
        .iter()
        .filter(outside_glossary)
        .filter(|d| !d.url.ends_with("#gloss-terms-list-title"))
        .collect();
    let without: Vec<&SearchDoc> = without.iter().filter(outside_glossary).collect();
    assert!(lists >= 25, "{lists} terms lists indexed");
    assert_eq!(with.len(), without.len());
    assert!(with.len() >= 40, "{} documents", with.len());
    // mdBook's indexer puts a space before every element's text, so a
    // callout beside punctuation, `(<a …>closures</a>)`, gives `( closures)`:
    // the bodies are compared without their white space.
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let mut spaced = 0;
    for (w, o) in with.iter().zip(&without) {
        assert_eq!(
            (&w.url, &w.title, &w.breadcrumbs),
            (&o.url, &o.title, &o.breadcrumbs)
        );
        assert_eq!(squeeze(&w.body), squeeze(&o.body), "{}", w.url);
        spaced += usize::from(w.body != o.body);
    }
    eprintln!(
        "{} search documents compared; {spaced} differ in white space only",
        with.len()
    );
}

#[test]
fn remove_generated_takes_out_exactly_what_gloss_adds() {
    let page = "<p>A <a class=\"gloss-term\" href=\"g.html#t\" title=\"a > b\" data-gloss-term=\"t\"><em>tuple</em>s</a>, (<a class=\"gloss-term\" href=\"g.html#u\" data-gloss-term=\"u\">unit</a>).</p>\n<section class=\"gloss-terms-list\">\n<h2 id=\"x\">Terms</h2>\n<ul>\n<li><a href=\"g.html#t\" data-definition=\"</section> in a definition\">T</a></li>\n</ul>\n</section>\n\n    </main>";
    let removed = remove_generated(page);
    assert_eq!(
        removed.html,
        "<p>A <em>tuple</em>s, (unit).</p>\n\n    </main>"
    );
    assert_eq!((removed.callouts, removed.terms_lists), (2, 1));
    let untouched = "<p>A <a href=\"x.html\">link</a> and <a class=\"glossary\">x</a></p>";
    let removed = remove_generated(untouched);
    assert_eq!(removed.html, untouched);
    assert_eq!((removed.callouts, removed.terms_lists), (0, 0));
}

#[test]
#[should_panic(expected = "never closes")]
fn remove_generated_refuses_an_unclosed_callout() {
    remove_generated("<p><a class=\"gloss-term\" href=\"g.html#t\">tuple</p>");
}

#[test]
#[should_panic(expected = "a link inside the callout")]
fn remove_generated_refuses_a_link_in_a_callout() {
    remove_generated("<a class=\"gloss-term\" href=\"g.html#t\">a <a href=\"x\">b</a></a>");
}

#[test]
#[should_panic(expected = "does not take out")]
fn remove_generated_refuses_other_generated_markup() {
    remove_generated("<p><a class=\"gloss-xref\" href=\"#x\">x</a></p>");
}

#[test]
#[should_panic(expected = "not followed by a line break")]
fn remove_generated_wants_the_line_break_after_a_terms_list() {
    remove_generated("<section class=\"gloss-terms-list\"><ul></ul></section></main>");
}
