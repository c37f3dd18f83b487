//! A second outside book, with its own glossary: ten chapters of The Rust
//! Reference and its `glossary.md`, vendored in
//! `tests/outside/rust-reference/` (where they come from, and the field
//! lines the conversion added to the glossary, are in its NOTICE.md). The
//! glossary is converted by the path the README documents ("Converting an
//! existing glossary"): `entry-level = 3`, entries without ids, and only
//! `- Short:` / `- Match:` / `- Aliases:` lines added under some headings.
//!
//! The book is built twice in-process, with the preprocessor (warnings are
//! errors) and without it, and compared as `tests/outside.rs` compares
//! Rust by Example: once the callouts and the "Terms in this chapter"
//! sections are taken out ([`common::remove_generated`]), every page but the
//! glossary is byte for byte the page mdBook builds without the
//! preprocessor (`print.html` without its glossary part). Neither build runs
//! the Reference's own mdbook-spec preprocessor, so its `r[…]` rule lines
//! and rule-name links are plain text and plain links in both.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{
    Builds, SearchDoc, build_twice, first_difference, print_without_glossary, remove_generated,
    search_index, text,
};

/// The vendored book.
fn source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/outside/rust-reference")
}

fn builds() -> &'static Builds {
    static BUILDS: OnceLock<Builds> = OnceLock::new();
    BUILDS.get_or_init(|| build_twice(&source()))
}

fn chapter_pages() -> Vec<String> {
    common::chapter_pages(&source())
}

/// The ids of a page's `<h3>` headings, in order.
fn h3_ids(page: &str) -> Vec<String> {
    page.split("<h3 id=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
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

/// The callouts of a page as `id: text`, in order, the text with its tags.
fn callouts(page: &str) -> Vec<String> {
    page.match_indices("<a class=\"gloss-term\" ")
        .map(|(i, _)| {
            let tag_end = i + page[i..].find('>').unwrap();
            let id = page[i..tag_end].split("data-gloss-term=\"").nth(1).unwrap();
            let id = id.split('"').next().unwrap();
            let body = &page[tag_end + 1..tag_end + page[tag_end..].find("</a>").unwrap()];
            format!("{id}: {body}")
        })
        .collect()
}

/// The value of `attribute` in the first tag of `page` that holds `marker`.
fn attribute(page: &str, marker: &str, attribute: &str) -> String {
    let at = page.find(marker).unwrap_or_else(|| panic!("no {marker}"));
    let start = page[..at].rfind('<').unwrap();
    let tag = &page[start..at + page[at..].find('>').unwrap()];
    let value = tag
        .split(&format!(" {attribute}=\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no {attribute} in {tag}"));
    value.split('"').next().unwrap().to_string()
}

/// The `### ` headings of the vendored glossary.md, outside code blocks.
fn glossary_headings() -> Vec<String> {
    let glossary = std::fs::read_to_string(source().join("src/glossary.md")).unwrap();
    let mut fenced = false;
    let mut headings = Vec::new();
    for line in glossary.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        } else if let Some(heading) = line.strip_prefix("### ").filter(|_| !fenced) {
            headings.push(heading.to_string());
        }
    }
    headings
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

#[test]
fn only_callouts_and_terms_lists_change_the_pages() {
    let b = builds();
    let (index_with, _) = search_index(&b.with);
    let (index_without, _) = search_index(&b.without);
    let names = |files: &BTreeMap<String, Vec<u8>>, index: &str| -> BTreeSet<String> {
        files.keys().filter(|k| *k != index).cloned().collect()
    };
    assert_eq!(
        names(&b.with, &index_with),
        names(&b.without, &index_without),
        "the same files"
    );
    let chapters = chapter_pages();
    let (mut pages, mut others, mut total, mut lists) = (0, 0, 0, 0);
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
        // index.html is the first chapter's page again (the book has no
        // introduction of its own).
        if chapters.contains(name) || name == "index.html" {
            assert_eq!(
                removed.terms_lists,
                usize::from(removed.callouts > 0),
                "{name}"
            );
            if name != "index.html" {
                total += removed.callouts;
                lists += removed.terms_lists;
            }
        } else if name != "print.html" {
            assert_eq!((removed.callouts, removed.terms_lists), (0, 0), "{name}");
        }
        pages += 1;
    }
    eprintln!(
        "compared {pages} pages ({total} callouts and {lists} terms lists in the chapters) and {others} other files"
    );
    // Every chapter but the glossary, and index.html (the first chapter
    // again), 404.html, toc.html, print.html.
    assert_eq!(pages, chapters.len() - 1 + 4);
    assert!(others >= 20, "{others} other files compared");
    // Pinned: a change in matching shows here first. Every chapter has
    // callouts, so every one has a terms list.
    assert_eq!(lists, chapters.len() - 1);
    assert_eq!(total, CALLOUTS, "callouts in the chapters");
}

/// The callouts in the ten chapters (first in chapter, the default).
const CALLOUTS: usize = 62;

#[test]
fn print_page_has_the_chapters_callouts() {
    let b = builds();
    let print = print_without_glossary(&text(&b.with, "print.html"));
    let removed = remove_generated(&print);
    let (mut total, mut lists) = (0, 0);
    for page in chapter_pages().iter().filter(|p| *p != "glossary.html") {
        let chapter = remove_generated(&text(&b.with, page));
        total += chapter.callouts;
        lists += chapter.terms_lists;
    }
    assert_eq!(total, CALLOUTS);
    assert_eq!((removed.callouts, removed.terms_lists), (total, lists));
}

/// The entries keep the ids mdBook gives their headings, and every callout
/// and terms-list link goes to one of them.
#[test]
fn callouts_link_to_the_ids_mdbook_derives() {
    let b = builds();
    let headings = glossary_headings();
    assert_eq!(headings.len(), 44, "{headings:?}");
    // The ids of the glossary built without the preprocessor: what mdBook
    // derives from each `### Term`, and what the Reference's own links use.
    let plain = h3_ids(&text(&b.without, "glossary.html"));
    assert_eq!(plain.len(), headings.len());
    for id in [
        "application-binary-interface-abi",
        "bound",
        "dyn-compatible-traits",
        "name",
        "uncovered-type",
        "zero-sized-type-zst",
    ] {
        assert!(plain.iter().any(|p| p == id), "{id}: {plain:?}");
    }
    let glossary = text(&b.with, "glossary.html");
    assert_eq!(h3_ids(&glossary), plain, "the entries' ids with gloss");
    // Every entry is filled in with where it appears; no `##` section.
    assert_eq!(glossary.matches("gloss-appears-in").count(), plain.len());
    let ids: BTreeSet<&str> = plain.iter().map(String::as_str).collect();
    let mut links = 0;
    let mut called = BTreeSet::new();
    for name in chapter_pages() {
        let page = text(&b.with, &name);
        for marker in ["<a class=\"gloss-term\" href=\"", "data-gloss-entry"] {
            for (i, _) in page.match_indices(marker) {
                let start = page[..=i].rfind('<').unwrap();
                let tag = &page[start..start + page[start..].find('>').unwrap()];
                // The glossary page's store of definitions links nowhere.
                let Some(href) = tag.split("href=\"").nth(1) else {
                    assert!(tag.starts_with("<span data-gloss-entry="), "{tag}");
                    continue;
                };
                let href = href.split('"').next().unwrap();
                let (to, id) = href.split_once('#').unwrap();
                assert_eq!(to, "glossary.html", "{name}: {href}");
                assert!(ids.contains(id), "{name}: {href} is no id of the page");
                called.insert(id.to_string());
                links += 1;
            }
        }
    }
    assert!(links >= 2 * CALLOUTS, "{links} links to the glossary");
    assert!(
        called.len() >= 20,
        "{} terms called out: {called:?}",
        called.len()
    );
}

/// `Short:` is the definition a callout's popover shows, for ABI, whose
/// first paragraph runs into a list ("…ABI strings affect:").
#[test]
fn the_abi_popover_is_its_short_definition() {
    let b = builds();
    const SHORT: &str = "An application binary interface (ABI) defines how compiled code interacts with other compiled code.";
    // gloss.js shows a callout's definition from the page's terms list.
    let abi = text(&b.with, "abi.html");
    let listed = "data-gloss-entry=\"application-binary-interface-abi\"";
    assert_eq!(attribute(&abi, listed, "data-definition"), SHORT);
    assert_eq!(callouts(&abi)[0], "application-binary-interface-abi: ABI");
    // The glossary page shows the whole entry, not the field.
    let glossary = text(&b.with, "glossary.html");
    assert!(glossary.contains("ABI strings</em> affect:"));
    assert!(!glossary.contains("Short:"));
    // Size and Turbofish, whose first paragraphs are no definition either.
    let types = text(&b.with, "types.html");
    let size = attribute(&types, "data-gloss-entry=\"size\"", "data-definition");
    assert!(
        size.starts_with("How much memory must be allocated"),
        "{size}"
    );
    let paths = text(&b.with, "paths.html");
    let turbofish = attribute(&paths, "data-gloss-entry=\"turbofish\"", "data-definition");
    assert!(
        turbofish.starts_with("The ::&lt;&gt; syntax:"),
        "{turbofish}"
    );
}

/// What `Match: case-sensitive` changed, chapter by chapter: "bounds" as
/// limits and "name" as a verb are no longer called out.
#[test]
fn common_words_are_called_out_in_their_sense_only() {
    let b = builds();
    let ids = |page: &str| callout_ids(&text(&b.with, page));
    assert!(!ids("behavior-considered-undefined.html").contains(&"bound".to_string()));
    assert!(!ids("visibility-and-privacy.html").contains(&"name".to_string()));
    assert_eq!(
        callouts(&text(&b.with, "trait-bounds.html")),
        ["bound: Bounds", "trait: trait", "slice: slice"]
    );
    assert_eq!(
        callouts(&text(&b.with, "names.html")),
        [
            "entity: entity",
            "module: module",
            "name: Names",
            "namespace: namespaces",
            "path: paths",
            "associated-item: associated items",
            "crate: crate",
        ]
    );
}

/// The search documents differ only by the terms lists' text, and, in a
/// chapter with footnotes (`crates-and-source-files.md` has two), by where
/// the footnotes' text is indexed: mdBook 0.5 moves footnotes to the end of
/// the page, after the terms list, so their text is indexed under "Terms in
/// this chapter" rather than at the end of the chapter's last section. It
/// is moved back before comparing, and only exactly that is allowed.
#[test]
fn the_search_index_differs_only_by_the_generated_text() {
    let b = builds();
    let (_, with) = search_index(&b.with);
    let (_, without) = search_index(&b.without);
    let outside_glossary = |d: &SearchDoc| !d.url.starts_with("glossary.html");
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let (mut lists, mut moved) = (0, 0);
    let mut docs: Vec<SearchDoc> = Vec::new();
    for doc in with.into_iter().filter(outside_glossary) {
        let Some(page) = doc.url.strip_suffix("#gloss-terms-list-title") else {
            docs.push(doc);
            continue;
        };
        lists += 1;
        // The list's text is the names of its terms, in order.
        let html = text(&b.with, page);
        let names: Vec<&str> = html
            .match_indices("data-gloss-entry=\"")
            .map(|(i, _)| {
                let text = &html[i + html[i..].find('>').unwrap() + 1..];
                &text[..text.find("</a>").unwrap()]
            })
            .collect();
        let body = squeeze(&doc.body);
        let rest = body
            .strip_prefix(&squeeze(&names.join(" ")))
            .unwrap_or_else(|| panic!("{page}: the terms list's text is {names:?}: {body}"));
        if !rest.is_empty() {
            let last = docs.last_mut().unwrap();
            assert!(last.url.starts_with(&format!("{page}#")), "{page}");
            last.body.push_str(rest);
            moved += 1;
        }
    }
    let without: Vec<SearchDoc> = without.into_iter().filter(outside_glossary).collect();
    assert_eq!(lists, chapter_pages().len() - 1, "terms lists indexed");
    assert_eq!(moved, 1, "chapters whose footnotes follow the terms list");
    assert_eq!(docs.len(), without.len());
    assert!(docs.len() >= 50, "{} documents", docs.len());
    for (w, o) in docs.iter().zip(&without) {
        assert_eq!(
            (&w.url, &w.title, &w.breadcrumbs),
            (&o.url, &o.title, &o.breadcrumbs)
        );
        assert_eq!(squeeze(&w.body), squeeze(&o.body), "{}", w.url);
    }
    eprintln!("{} search documents compared", docs.len());
}

/// The conversion is field lines under seven headings and nothing else
/// (NOTICE.md lists them, and how to check the rest against the Reference).
#[test]
fn the_conversion_is_seven_field_lines() {
    let glossary = std::fs::read_to_string(source().join("src/glossary.md")).unwrap();
    let mut heading = "";
    let mut added = Vec::new();
    let mut lines = glossary.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(h) = line.strip_prefix("### ") {
            heading = h;
        } else if ["- Short: ", "- Match: ", "- Aliases: "]
            .iter()
            .any(|f| line.starts_with(f))
        {
            assert_eq!(lines.peek(), Some(&""), "{line}: a blank line after it");
            added.push(format!("{heading}: {}", &line[2..line.find(':').unwrap()]));
        }
    }
    assert_eq!(
        added,
        [
            "Application binary interface (ABI): Short",
            "Bound: Match",
            "Entity: Aliases",
            "Name: Match",
            "Size: Short",
            "Turbofish: Short",
            "Zero-sized type (ZST): Short",
        ]
    );
}
