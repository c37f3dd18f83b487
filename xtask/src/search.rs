//! The search index, written again without the lists the preprocessor
//! generates around a chapter's content.
//!
//! mdBook indexes every text node of a chapter (it leaves out only `script`
//! and `style`), and its search script cannot be themed. So "Terms in this
//! chapter", "Referenced from", "Cited in" and "Appears in", the claims strip
//! and the correction links were hits for every word they repeat: for "GPU",
//! 7 of 30 results were terms lists. Those lists stay on the page for readers;
//! this step, run by `cargo xtask build` (what `.github/workflows/pages.yml`
//! publishes), reads each built chapter back, walks its content exactly as
//! mdBook's indexer walks the chapter tree (mdbook-html 0.5.4,
//! `html_handlebars/search.rs`), leaves out every element with one of
//! [`SKIPPED`] classes, and writes the index again with `elasticlunr-rs`, the
//! crate mdBook writes it with. A test checks that with nothing skipped the
//! file comes out byte for byte as mdBook wrote it.
//!
//! Each claim card is a section of its own, titled by the article's words it
//! quotes, so that a reader who searches those words lands on the card (the
//! card's words are then not in its chapter section as well).
//!
//! It also indexes a number written with thousands separators a second time
//! without them, and a long one written without them a second time with them,
//! so that "16000 GPUs" finds "16,000 GPUs" (mdBook splits words only at
//! spaces and hyphens, and its search script cannot be changed to do more).
//!
//! Decisions:
//! - The file keeps the name mdBook gave it. Pages name it in an inline
//!   script, and the search script names it as a fallback, so a new name would
//!   mean rewriting and renaming `searcher.js` too. The name is a hash of
//!   mdBook's index, which follows every change of the book's text; only a
//!   change to this step alone keeps an old name for new content.
//! - `cargo xtask serve` and plain `mdbook serve` do not run this step: a
//!   contributor's preview searches with mdBook's own index, lists included.
//! - Text is read back from mdBook's serializer, which escapes only `<`, `>`
//!   and `&` in text and adds a newline after the end tag of a block element.
//!   A page that does not parse as such output is an error, not a guess.

mod html;
#[cfg(test)]
mod tests;
mod words;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use elasticlunr::{Index, IndexBuilder};
use mdbook_driver::MDBook;
use mdbook_driver::book::BookItem;
use mdbook_driver::config::Search;

use html::Event;
#[cfg(test)]
use words::other_number_form;
use words::{collapse_whitespace, tokenize, tokenize_with_numbers};

/// Classes of the elements the preprocessor generates around the content of
/// a page, whose words are navigation and would only repeat the pages they
/// point to. `gloss-backrefs` covers "Referenced from", "Appears in" and
/// "Cited in".
pub(crate) const SKIPPED: &[&str] = &[
    "gloss-backrefs",
    "gloss-terms-list",
    "gloss-claims-strip",
    "gloss-correction",
    "gloss-sections-cited",
];

/// The prefix and suffix mdBook wraps the index's JSON in.
const JS_START: &str = "window.search = Object.assign(window.search, JSON.parse('";
const JS_END: &str = "'));";

/// A chapter as the index needs it: its page, and the names its breadcrumbs
/// start with (its parents' and its own).
pub(crate) struct Chapter {
    html_path: String,
    names: Vec<String>,
}

/// What the rewrite leaves out and adds; [`Options::MDBOOK`] is mdBook's own
/// behaviour, for the test that the walk matches it.
#[derive(Clone, Copy)]
pub(crate) struct Options {
    skip: &'static [&'static str],
    numbers: bool,
    /// Each claim card a section of its own (see [`Builder::claim`]).
    claims: bool,
}

impl Options {
    pub(crate) const SITE: Options = Options {
        skip: SKIPPED,
        numbers: true,
        claims: true,
    };
    #[cfg(test)]
    pub(crate) const MDBOOK: Options = Options {
        skip: &[],
        numbers: false,
        claims: false,
    };
}

/// The chapters mdBook indexes, in its order: every chapter with a file, less
/// those `[output.html.search.chapter]` turns off. The preprocessor adds and
/// renames no chapter, so the book as loaded names them as the renderer saw
/// them.
pub(crate) fn chapters(book: &MDBook, search: &Search) -> Vec<Chapter> {
    // Sorted as mdBook sorts them, so a longer prefix overrides a shorter one.
    let mut settings: Vec<_> = (search.chapter.iter())
        .map(|(key, s)| (PathBuf::from(key), s.enable))
        .collect();
    settings.sort_by(|a, b| a.0.cmp(&b.0));
    book.iter()
        .filter_map(|item| match item {
            BookItem::Chapter(ch) => Some(ch),
            _ => None,
        })
        .filter_map(|ch| {
            let path = ch.path.as_ref()?;
            let source = ch.source_path.as_deref().unwrap_or(path);
            let mut enable = None;
            for (prefix, on) in &settings {
                if source.starts_with(prefix) {
                    enable = on.or(enable);
                }
            }
            if !enable.unwrap_or(true) {
                return None;
            }
            let mut names = ch.parent_names.clone();
            names.push(ch.name.clone());
            let html_path = path.with_extension("html");
            Some(Chapter {
                html_path: html_path.to_string_lossy().replace('\\', "/"),
                names,
            })
        })
        .collect()
}

/// Writes the index in `dir` again with `options`. Returns the number of
/// sections indexed, or `None` when the book has no index to rewrite (search
/// off, or its files not copied).
pub(crate) fn apply_to_site(
    dir: &Path,
    search: &Search,
    chapters: &[Chapter],
    options: Options,
) -> Result<Option<usize>> {
    if !search.enable || !search.copy_js {
        return Ok(None);
    }
    let file = index_file(dir)?;
    let js = std::fs::read_to_string(&file)
        .with_context(|| format!("could not read {}", file.display()))?;
    let mut json = parse_js(&js).with_context(|| format!("in {}", file.display()))?;
    let mut builder = Builder::new(search, options);
    for chapter in chapters {
        let page = dir.join(&chapter.html_path);
        let html = std::fs::read_to_string(&page)
            .with_context(|| format!("could not read {}", page.display()))?;
        builder
            .chapter(chapter, &html)
            .with_context(|| format!("could not index {}", page.display()))?;
    }
    let sections = builder.urls.len();
    json["doc_urls"] = serde_json::to_value(&builder.urls)?;
    json["index"] = serde_json::to_value(&builder.index)?;
    std::fs::write(&file, to_js(&json)?)
        .with_context(|| format!("could not write {}", file.display()))?;
    Ok(Some(sections))
}

/// The one `searchindex-<hash>.js` mdBook wrote at the top of `dir`.
fn index_file(dir: &Path) -> Result<PathBuf> {
    let mut found = Vec::new();
    for entry in
        std::fs::read_dir(dir).with_context(|| format!("could not list {}", dir.display()))?
    {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.starts_with("searchindex") && name.ends_with(".js") {
            found.push(path);
        }
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => bail!("search is on, but {} has no searchindex*.js", dir.display()),
        _ => bail!(
            "{} has {} searchindex*.js files, expected one",
            dir.display(),
            found.len()
        ),
    }
}

/// The JSON inside mdBook's `searchindex.js`, which writes it inside a
/// single-quoted string with `\` and `'` escaped.
fn parse_js(js: &str) -> Result<serde_json::Value> {
    let Some(inner) = js
        .strip_prefix(JS_START)
        .and_then(|s| s.strip_suffix(JS_END))
    else {
        bail!("not in the form mdBook 0.5 writes: {JS_START}…{JS_END}");
    };
    let mut json = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        json.push(if c == '\\' {
            chars.next().unwrap_or('\\')
        } else {
            c
        });
    }
    Ok(serde_json::from_str(&json)?)
}

/// The inverse of [`parse_js`], as mdBook writes it: keys sorted (through a
/// `serde_json::Value`), `\` then `'` escaped.
fn to_js(json: &serde_json::Value) -> Result<String> {
    let text = serde_json::to_string(json)?;
    Ok(format!(
        "{JS_START}{}{JS_END}",
        text.replace('\\', "\\\\").replace('\'', "\\'")
    ))
}

/// The index being built, and the URL of each section in it.
struct Builder {
    index: Index,
    urls: Vec<String>,
    split_level: u8,
    skip: &'static [&'static str],
    claims: bool,
}

impl Builder {
    fn new(search: &Search, options: Options) -> Builder {
        // A tokenizer per field, as mdBook has it.
        let tokenizer = || -> elasticlunr::TokenizerFn {
            if options.numbers {
                Box::new(tokenize_with_numbers)
            } else {
                Box::new(tokenize)
            }
        };
        let index = IndexBuilder::new()
            .add_field_with_tokenizer("title", tokenizer())
            .add_field_with_tokenizer("body", tokenizer())
            .add_field_with_tokenizer("breadcrumbs", tokenizer())
            .build();
        Builder {
            index,
            urls: Vec::new(),
            split_level: search.heading_split_level,
            skip: options.skip,
            claims: options.claims,
        }
    }

    fn add(&mut self, page: &str, id: &str, items: [&str; 3]) {
        let mut url = page.to_string();
        if !id.is_empty() {
            url.push('#');
            url.push_str(id);
        }
        let doc_ref = self.urls.len().to_string();
        self.urls.push(url);
        self.index.add_doc(
            &doc_ref,
            items.iter().map(|x| collapse_whitespace(x.trim())),
        );
    }

    /// Indexes one built page: mdBook's `index_chapter`, over the page's
    /// content read back from its HTML, with [`Options::skip`] applied.
    fn chapter(&mut self, chapter: &Chapter, page: &str) -> Result<()> {
        let content = html::content(page)?;
        let mut in_heading = false;
        let mut section_id: Option<String> = None;
        let mut heading = String::new();
        let mut body = String::new();
        let mut breadcrumbs = chapter.names.clone();
        let mut events = html::Events::new(content);
        while let Some(event) = events.next().transpose()? {
            match event {
                Event::Open(tag) => {
                    if tag.has_class(self.skip) {
                        // Left out whole; a space keeps the words around it apart.
                        events.skip_element(&tag)?;
                        if in_heading {
                            heading.push(' ')
                        } else {
                            body.push(' ')
                        }
                    } else if self.claims
                        && tag.name() == "section"
                        && tag.has_class(&["gloss-claim"])
                        && let Some(id) = tag.attr("id")
                    {
                        let (title, text) = self.claim(&mut events)?;
                        let label = id.strip_prefix("claim-").unwrap_or(&id).to_uppercase();
                        let crumbs = format!("{} » Claim {label}", breadcrumbs.join(" » "));
                        self.add(&chapter.html_path, &id, [&title, &text, &crumbs]);
                        body.push(' ');
                    } else if let Some(level) = tag.heading_level()
                        && level <= self.split_level
                        && let Some(id) = tag.attr("id")
                    {
                        if !heading.is_empty() {
                            let id = section_id.take().unwrap_or_default();
                            let crumbs = breadcrumbs.join(" » ");
                            self.add(&chapter.html_path, &id, [&heading, &body, &crumbs]);
                            heading.clear();
                            body.clear();
                            breadcrumbs.pop();
                        }
                        section_id = Some(id.into_owned());
                        in_heading = true;
                    } else if tag.is_raw_text() {
                        events.skip_element(&tag)?;
                    } else if in_heading {
                        heading.push(' ');
                    } else {
                        body.push(' ');
                    }
                }
                Event::Text(text) => {
                    if in_heading {
                        heading.push_str(&text)
                    } else {
                        body.push_str(&text)
                    }
                }
                Event::Close(name) => {
                    if let Some(level) = html::heading_level(name)
                        && level <= self.split_level
                    {
                        in_heading = false;
                        breadcrumbs.push(heading.clone());
                    }
                }
            }
        }
        if !body.is_empty() || !heading.is_empty() {
            let title = if heading.is_empty() {
                breadcrumbs.first().cloned().unwrap_or_default()
            } else {
                heading.clone()
            };
            let id = section_id.unwrap_or_default();
            let crumbs = breadcrumbs.join(" » ");
            self.add(&chapter.html_path, &id, [&title, &body, &crumbs]);
        }
        Ok(())
    }
}

impl Builder {
    /// Reads a claim card, from after its start tag to its end tag, as a
    /// section of its own: titled by the article's words it quotes (its first
    /// `gloss-block-claim` block, less the block's label), with the whole card
    /// as its body. Returns the title and the body.
    fn claim(&self, events: &mut html::Events<'_>) -> Result<(String, String)> {
        let (mut title, mut body) = (String::new(), String::new());
        // Depth below the card; the depth of the quote block while in it, and
        // of its label while in that.
        let mut depth = 0usize;
        let (mut quote, mut label, mut quoted) = (None, None, false);
        loop {
            let in_title = quote.is_some() && label.is_none();
            match events
                .next()
                .transpose()?
                .context("a claim card is not closed")?
            {
                Event::Open(tag) => {
                    body.push(' ');
                    if in_title {
                        title.push(' ');
                    }
                    if tag.has_class(self.skip) || tag.is_raw_text() {
                        events.skip_element(&tag)?;
                    } else if !tag.is_empty() {
                        depth += 1;
                        if !quoted && tag.has_class(&["gloss-block-claim"]) {
                            (quote, quoted) = (Some(depth), true);
                        } else if in_title && tag.has_class(&["gloss-block-label"]) {
                            label = Some(depth);
                        }
                    }
                }
                Event::Close(_) if depth == 0 => return Ok((title, body)),
                Event::Close(_) => {
                    if label == Some(depth) {
                        label = None;
                    } else if quote == Some(depth) {
                        quote = None;
                    }
                    depth -= 1;
                }
                Event::Text(text) => {
                    body.push_str(&text);
                    if in_title {
                        title.push_str(&text);
                    }
                }
            }
        }
    }
}
