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
use std::time::{Duration, Instant};

use common::{
    SearchDoc, copy_dir, first_difference, logged_warnings, print_without_glossary,
    remove_generated, search_index, site_files, text,
};
use mdbook_driver::MDBook;

/// The vendored book.
fn source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/outside/rust-reference")
}

/// The two builds, read into memory.
struct Builds {
    with: BTreeMap<String, Vec<u8>>,
    without: BTreeMap<String, Vec<u8>>,
    /// What mdBook logged at `WARN` or above, in either build.
    warnings: Vec<String>,
    took: Duration,
}

fn builds() -> &'static Builds {
    static BUILDS: OnceLock<Builds> = OnceLock::new();
    BUILDS.get_or_init(|| {
        let start = Instant::now();
        let ((with, without), warnings) = logged_warnings(|| (build(true), build(false)));
        Builds {
            with,
            without,
            warnings,
            took: start.elapsed(),
        }
    })
}

/// Builds a copy of the book, with the preprocessor (warnings are errors)
/// or with `[preprocessor.gloss]` taken out of its book.toml.
fn build(gloss: bool) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&source(), dir.path());
    if !gloss {
        let path = dir.path().join("book.toml");
        let mut toml: toml_edit::DocumentMut =
            std::fs::read_to_string(&path).unwrap().parse().unwrap();
        let preprocessors = toml["preprocessor"].as_table_mut().unwrap();
        assert!(preprocessors.remove("gloss").is_some());
        std::fs::write(&path, toml.to_string()).unwrap();
    }
    let mut book = MDBook::load(dir.path()).expect("the book loads");
    if gloss {
        book.with_preprocessor(mdbook_gloss::Gloss);
        book.config
            .set("preprocessor.gloss.deny-warnings", true)
            .unwrap();
    }
    if let Err(e) = book.build() {
        panic!("the build (gloss: {gloss}) failed:\n{e:#}");
    }
    site_files(&dir.path().join("book"))
}

/// The chapters of SUMMARY.md, as the pages they become, glossary last.
fn chapter_pages() -> Vec<String> {
    let summary = std::fs::read_to_string(source().join("src/SUMMARY.md")).unwrap();
    let pages: Vec<String> = summary
        .match_indices("](")
        .map(|(i, _)| {
            let path = summary[i + 2..].split(')').next().unwrap();
            path.strip_suffix(".md").unwrap().to_string() + ".html"
        })
        .collect();
    assert_eq!(pages.last().map(String::as_str), Some("glossary.html"));
    pages
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

#[test]
fn the_book_builds_without_warnings() {
    let b = builds();
    if let Ok(dir) = std::env::var("DUMP_SITE") {
        for (name, bytes) in &b.with {
            let path = Path::new(&dir).join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
    }
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
            eprintln!("{name}: {:?}", callouts(&page));
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
    assert_eq!(pages, chapters.len() - 1 + 4);
}
