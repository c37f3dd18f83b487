//! Fixture books for the end-to-end tests: `tests/books/<case>/` copied to a
//! temporary folder and built in-process by mdBook with the preprocessor
//! registered, using the repository's own templates.

#![allow(dead_code, reason = "each test file uses a different part")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use mdbook_driver::MDBook;

/// The repository root.
pub(crate) fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A built fixture book.
pub(crate) struct Built {
    /// Keeps the folder alive.
    pub(crate) dir: tempfile::TempDir,
    /// The build's result: `Err` holds the rendered diagnostics.
    pub(crate) result: Result<(), String>,
}

impl Built {
    /// The output folder.
    pub(crate) fn out(&self) -> PathBuf {
        self.dir.path().join("book")
    }

    /// A page of the output.
    pub(crate) fn page(&self, name: &str) -> String {
        std::fs::read_to_string(self.out().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// The `<main>` of a page.
    pub(crate) fn main(&self, name: &str) -> String {
        let page = self.page(name);
        let start = page.find("<main>").expect("a <main>");
        let end = page.find("</main>").expect("a </main>");
        page[start..end + 7].to_string()
    }

    /// The error text of a failed build.
    pub(crate) fn error(&self) -> &str {
        self.result
            .as_ref()
            .expect_err("the build should have failed")
    }
}

/// Copies the folder `from` into `to`, recursively.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

/// Builds `tests/books/<case>`.
pub(crate) fn build(case: &str) -> Built {
    build_with(case, |_| {})
}

/// Builds `tests/books/<case>` after `tweak` has changed the loaded book.
pub(crate) fn build_with(case: &str, tweak: impl FnOnce(&mut MDBook)) -> Built {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/books")
            .join(case),
        dir.path(),
    );
    let result = build_in(dir.path(), tweak);
    Built { dir, result }
}

/// Builds the book already laid out in `dir` (by the caller, in a folder
/// it owns) after `tweak` has changed the loaded book; `Err` holds the
/// rendered diagnostics.
pub(crate) fn build_in(dir: &Path, tweak: impl FnOnce(&mut MDBook)) -> Result<(), String> {
    let mut book = MDBook::load(dir).expect("fixture loads");
    book.with_preprocessor(mdbook_gloss::Gloss);
    tweak(&mut book);
    book.build().map_err(|e| format!("{e:#}"))
}

/// The message of a caught panic.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_string()))
        .unwrap_or_default()
}

/// A page with what the preprocessor generates in a chapter taken out (see
/// [`remove_generated`]), and how much was taken out.
#[derive(Debug)]
pub(crate) struct Removed {
    /// The page as it would be without the preprocessor.
    pub(crate) html: String,
    /// Callouts unwrapped: `<a class="gloss-term" …>text</a>` became `text`.
    pub(crate) callouts: usize,
    /// "Terms in this chapter" sections removed.
    pub(crate) terms_lists: usize,
}

/// Takes out of an HTML page, as mdBook wrote it, what the preprocessor adds
/// to a chapter of a book that uses only the glossary: each callout's
/// `<a class="gloss-term" …>` and its `</a>` (`term.html`), keeping the text
/// they wrap, and the "Terms in this chapter" section (`terms-list.html`)
/// with the one line break mdBook's serialiser writes after it. What is left
/// should be byte for byte the page built without the preprocessor.
///
/// It reads tags as mdBook 0.5 serialises them: text has `<` escaped, and
/// an attribute value is quoted and may hold a raw `>`, so tags are skipped
/// quote-aware. It panics on anything it cannot take out cleanly (a callout
/// or a section that never closes, a link inside a callout, a section not
/// followed by its line break) and on any `class="gloss-` markup left
/// afterwards, so generated markup it does not know is never compared as if
/// it were the book's own.
pub(crate) fn remove_generated(page: &str) -> Removed {
    const CALLOUT: &str = "<a class=\"gloss-term\" ";
    const TERMS_LIST: &str = "<section class=\"gloss-terms-list\">";
    let mut html = String::with_capacity(page.len());
    let (mut callouts, mut terms_lists) = (0, 0);
    let mut rest = page;
    loop {
        let callout = rest.find(CALLOUT);
        let list = rest.find(TERMS_LIST);
        let (start, is_callout) = match (callout, list) {
            (None, None) => break,
            (Some(c), Some(l)) if l < c => (l, false),
            (Some(c), _) => (c, true),
            (None, Some(l)) => (l, false),
        };
        html.push_str(&rest[..start]);
        let at = page.len() - rest.len() + start;
        let element = &rest[start..];
        let open_end = tag_end(element)
            .unwrap_or_else(|| panic!("an unclosed tag at byte {at}: {}", excerpt(element)));
        if is_callout {
            // The text the callout wraps, up to its `</a>`; inline tags
            // (`<em>`) may be inside it, another link may not.
            let mut i = open_end;
            let close = loop {
                let Some(lt) = element[i..].find('<').map(|j| i + j) else {
                    panic!("a callout at byte {at} never closes: {}", excerpt(element));
                };
                let tag = &element[lt..];
                if tag.starts_with("</a>") {
                    break lt;
                }
                assert!(
                    !tag.starts_with("<a ") && !tag.starts_with("<a>"),
                    "a link inside the callout at byte {at}: {}",
                    excerpt(element)
                );
                i = lt
                    + tag_end(tag)
                        .unwrap_or_else(|| panic!("an unclosed tag in the callout at byte {at}"));
            };
            html.push_str(&element[open_end..close]);
            rest = &element[close + "</a>".len()..];
            callouts += 1;
        } else {
            // Tag by tag to the section's `</section>` (the template nests
            // no other section), then the line break after it.
            let mut i = open_end;
            let close = loop {
                let Some(lt) = element[i..].find('<').map(|j| i + j) else {
                    panic!("a terms list at byte {at} never closes");
                };
                let tag = &element[lt..];
                if tag.starts_with("</section>") {
                    break lt + "</section>".len();
                }
                i = lt
                    + tag_end(tag).unwrap_or_else(|| {
                        panic!("an unclosed tag in the terms list at byte {at}")
                    });
            };
            assert!(
                element[close..].starts_with('\n'),
                "the terms list at byte {at} is not followed by a line break: {}",
                excerpt(&element[close..])
            );
            rest = &element[close + 1..];
            terms_lists += 1;
        }
    }
    html.push_str(rest);
    if let Some(left) = html.find("class=\"gloss-") {
        panic!(
            "generated markup that remove_generated does not take out: {}",
            excerpt(&html[left.saturating_sub(40)..])
        );
    }
    Removed {
        html,
        callouts,
        terms_lists,
    }
}

/// The length of the tag `s` starts with, through its `>`, skipping quoted
/// attribute values; `None` if it never ends.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The first 120 characters of `s`, for a failure message.
fn excerpt(s: &str) -> String {
    s.chars().take(120).collect()
}

/// Every file of a built site, by its path from the site's root (with `/`).
pub(crate) fn site_files(out: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, map: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, map);
            } else {
                let rel = path.strip_prefix(base).unwrap().to_string_lossy();
                map.insert(rel.replace('\\', "/"), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut map = BTreeMap::new();
    walk(out, out, &mut map);
    map
}

/// One document of mdBook's search index: a section of a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SearchDoc {
    pub(crate) url: String,
    pub(crate) title: String,
    pub(crate) body: String,
    pub(crate) breadcrumbs: String,
}

/// The search index of a built site (`searchindex-<hash>.js`, or
/// `searchindex.js` without hashed file names): its file name and its
/// documents in index order.
pub(crate) fn search_index(files: &BTreeMap<String, Vec<u8>>) -> (String, Vec<SearchDoc>) {
    let mut names = files
        .keys()
        .filter(|k| k.starts_with("searchindex") && k.ends_with(".js"));
    let name = names.next().expect("a search index").clone();
    assert!(names.next().is_none(), "one search index");
    let js = std::str::from_utf8(&files[&name]).unwrap();
    // mdBook writes `…JSON.parse('<json>'));`, the JSON with `\` and `'`
    // escaped by a backslash.
    let quoted = js
        .strip_prefix("window.search = Object.assign(window.search, JSON.parse('")
        .and_then(|s| s.strip_suffix("'));"))
        .expect("mdBook's search index wrapper");
    let mut json = String::with_capacity(quoted.len());
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        json.push(if c == '\\' { chars.next().unwrap() } else { c });
    }
    let index: serde_json::Value = serde_json::from_str(&json).unwrap();
    let urls = index["doc_urls"].as_array().unwrap();
    let docs = &index["index"]["documentStore"]["docs"];
    let field = |doc: &serde_json::Value, key: &str| doc[key].as_str().unwrap_or("").to_string();
    let docs = urls
        .iter()
        .enumerate()
        .map(|(i, url)| {
            let doc = &docs[i.to_string()];
            assert!(doc.is_object(), "search document {i}");
            SearchDoc {
                url: url.as_str().unwrap().to_string(),
                title: field(doc, "title"),
                body: field(doc, "body"),
                breadcrumbs: field(doc, "breadcrumbs"),
            }
        })
        .collect();
    (name, docs)
}

/// Runs `f` (an in-process mdBook build) and returns what it returns with
/// every warning and error mdBook logged meanwhile, on this thread.
pub(crate) fn logged_warnings<T>(f: impl FnOnce() -> T) -> (T, Vec<String>) {
    let subscriber = WarningLog::default();
    let log = subscriber.0.clone();
    let out = tracing::subscriber::with_default(subscriber, f);
    let log = log.lock().unwrap().clone();
    (out, log)
}

/// A tracing subscriber that keeps the events at `WARN` and `ERROR`.
#[derive(Default)]
struct WarningLog(Arc<Mutex<Vec<String>>>);

impl tracing::Subscriber for WarningLog {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        *metadata.level() <= tracing::Level::WARN
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::WARN)
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        struct Message(String);
        impl tracing::field::Visit for Message {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                use std::fmt::Write;
                let _ = write!(self.0, " {}={value:?}", field.name());
            }
        }
        let mut message = Message(format!(
            "{} {}:",
            event.metadata().level(),
            event.metadata().target()
        ));
        event.record(&mut message);
        self.0.lock().unwrap().push(message.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// A file of a built site as text.
pub(crate) fn text(files: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(files[name].clone()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Where two texts first differ, with the lines around it.
pub(crate) fn first_difference(got: &str, want: &str) -> String {
    let mut at = got
        .bytes()
        .zip(want.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(want.len()));
    while !got.is_char_boundary(at) || !want.is_char_boundary(at) {
        at -= 1;
    }
    let line = got[..at].matches('\n').count() + 1;
    let around = |s: &str| {
        let from = s[..at.min(s.len())].rfind('\n').map_or(0, |i| i + 1);
        s[from..].lines().take(3).collect::<Vec<_>>().join("\n")
    };
    format!(
        "first difference at byte {at} (line {line}):\n--- with gloss, generated markup removed:\n{}\n--- without gloss:\n{}",
        around(got),
        around(want)
    )
}

/// `print.html` without the glossary's part: from the page break before the
/// glossary's heading to the end of `<main>`'s content.
pub(crate) fn print_without_glossary(print: &str) -> String {
    const BREAK: &str = r#"<div style="break-before: page; page-break-before: always;"></div>"#;
    let heading = print
        .find(r#"<h1 id="glossary">"#)
        .expect("the glossary in print.html");
    let start = print[..heading].rfind(BREAK).expect("a page break");
    let end = heading + print[heading..].find("</main>").expect("</main>");
    assert!(
        !print[heading..end].contains(BREAK),
        "the glossary is the last chapter"
    );
    format!("{}{}", &print[..start], &print[end..])
}

/// An outside book built twice, read into memory (the temporary folders
/// are gone): with the preprocessor, warnings being errors, and without it.
pub(crate) struct Builds {
    pub(crate) with: BTreeMap<String, Vec<u8>>,
    pub(crate) without: BTreeMap<String, Vec<u8>>,
    /// What mdBook logged at `WARN` or above, in either build.
    pub(crate) warnings: Vec<String>,
    pub(crate) took: std::time::Duration,
}

/// Builds the book at `source` with and without the preprocessor.
pub(crate) fn build_twice(source: &Path) -> Builds {
    let start = std::time::Instant::now();
    let ((with, without), warnings) =
        logged_warnings(|| (build_copy(source, true), build_copy(source, false)));
    Builds {
        with,
        without,
        warnings,
        took: start.elapsed(),
    }
}

/// Builds a copy of the book at `source`, with the preprocessor (warnings
/// are errors) or with `[preprocessor.gloss]` taken out of its book.toml.
fn build_copy(source: &Path, gloss: bool) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(source, dir.path());
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

/// The chapters of the SUMMARY.md of the book at `source`, as the pages
/// they become, the glossary last.
pub(crate) fn chapter_pages(source: &Path) -> Vec<String> {
    let summary = std::fs::read_to_string(source.join("src/SUMMARY.md")).unwrap();
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
