//! `mdbook-gloss`: an mdBook 0.5 preprocessor that turns annotated Markdown
//! into cross-linked chapters.
//!
//! - glossary callouts: the first mention of a term in a chapter links to its
//!   entry and shows its short definition on hover, focus or tap;
//! - the glossary page, with aliases, see-also links and "Appears in";
//! - cross-references by id (`xref:`), with "Referenced from" backlinks;
//! - citations (`cite:`) to the references page, which lists "Cited in";
//! - the book's annotation blocks (`CLAIM`, `VERDICT`, `EVIDENCE`) and the
//!   claims ledger;
//! - figures drawn at build time from `src/data/*.toml` (`figure:` links).
//!
//! The syntax is in CONTRIBUTING.md. [`Gloss::run`] reads as its passes:
//! read the glossary and references, scan every chapter (pass 1), index the
//! whole book and resolve every id, and only then, if nothing is wrong,
//! rewrite each chapter (pass 2) by splicing edits into its source.

use std::collections::HashMap;
use std::io::{Read, Write};

use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::errors::{Error, Result};
use mdbook_preprocessor::{MDBOOK_VERSION, Preprocessor, PreprocessorContext};

pub mod claims;
pub mod config;
pub mod diagnostics;
pub mod edits;
pub mod entries;
pub mod figures;
pub mod index;
pub mod links;
pub mod markdown;
pub mod matcher;
pub mod references;
pub mod rewrite;
pub mod scan;
pub mod templates;
pub mod terms;

use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::figures::Figures;
use crate::index::{Chapter, Index};
use crate::matcher::Matcher;
use crate::references::References;
use crate::scan::{ScanContext, scan};
use crate::templates::Templates;
use crate::terms::Glossary;

/// The preprocessor, as registered with mdBook under the name `gloss`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Gloss;

impl Preprocessor for Gloss {
    fn name(&self) -> &str {
        "gloss"
    }

    fn run(&self, ctx: &PreprocessorContext, book: Book) -> Result<Book> {
        process(ctx, book).map_err(Error::msg)
    }

    fn supports_renderer(&self, renderer: &str) -> Result<bool> {
        Ok(supports_renderer(renderer))
    }
}

/// Every renderer is supported: `html` gets callouts and generated HTML;
/// any other gets plain Markdown (links, labels, a Markdown ledger).
pub fn supports_renderer(_renderer: &str) -> bool {
    true
}

/// The protocol: `[context, book]` JSON in, book JSON out.
pub fn handle_preprocessing(
    input: impl Read,
    mut output: impl Write,
) -> std::result::Result<(), String> {
    let mut raw = String::new();
    let mut input = input;
    input
        .read_to_string(&mut raw)
        .map_err(|e| format!("error: mdbook-gloss could not read its input: {e}"))?;
    if raw.trim().is_empty() {
        return Err("error: mdbook-gloss received no input\n  = help: mdBook runs this program and sends the book on stdin; \
                    run `mdbook build` or `cargo xtask build` instead"
            .into());
    }
    // `from_str` rather than `mdbook_preprocessor::parse_input`, which reads
    // through `io::Read` byte by byte: 6% of the preprocessor's time on a large
    // book went there. The types and the error are the same.
    let parsed: serde_json::Result<(PreprocessorContext, Book)> = serde_json::from_str(&raw);
    let (ctx, book) = parsed.map_err(|e| {
        let found = serde_json::from_str::<serde_json::Value>(&raw)
            .ok()
            .and_then(|v| v.get(0)?.get("mdbook_version")?.as_str().map(str::to_string));
        match found {
            Some(v) => format!(
                "error: mdbook-gloss cannot read the book sent by mdBook {v}: {e}\n  = help: this preprocessor speaks mdBook {MDBOOK_VERSION}'s protocol; install that version (`cargo xtask serve` does)"
            ),
            None => format!("error: mdbook-gloss received input that is not mdBook's preprocessor JSON: {e}"),
        }
    })?;
    // The book now holds its own copy: the input need not stay in memory.
    drop(raw);
    if let Some(warning) = version_warning(&ctx.mdbook_version) {
        eprintln!("{warning}");
    }
    let book = process(&ctx, book)?;
    serde_json::to_writer(&mut output, &book)
        .map_err(|e| format!("error: mdbook-gloss could not write the book: {e}"))?;
    output
        .flush()
        .map_err(|e| format!("error: mdbook-gloss could not write the book: {e}"))
}

/// A warning when mdBook's version differs from the one we were built for.
pub fn version_warning(found: &str) -> Option<String> {
    let wanted = semver::VersionReq::parse(&format!("~{MDBOOK_VERSION}")).ok()?;
    match semver::Version::parse(found) {
        Ok(v) if wanted.matches(&v) => None,
        _ => Some(format!(
            "warning: mdbook-gloss was built for mdBook {MDBOOK_VERSION} but is running under mdBook {found}; \
             install mdBook {MDBOOK_VERSION} (`cargo xtask serve` does) if the build misbehaves"
        )),
    }
}

/// Runs every pass over `book`. Returns all diagnostics as one message if
/// anything is wrong; the book is then left untouched.
pub fn process(ctx: &PreprocessorContext, mut book: Book) -> std::result::Result<Book, String> {
    let mut diags = Diagnostics::default();
    let book_toml = std::fs::read_to_string(ctx.root.join("book.toml")).ok();
    let config = match Config::from_mdbook(&ctx.config, book_toml.as_deref()) {
        Ok(c) => c,
        Err(d) => {
            diags.push(d);
            return Err(diags.render(false));
        }
    };
    let html = ctx.renderer == "html";
    let templates = if html {
        match Templates::load(&ctx.root.join(&config.templates), &config.templates) {
            Ok(t) => Some(t),
            Err(errors) => {
                errors.into_iter().for_each(|d| diags.push(d));
                return Err(diags.render(config.deny_warnings));
            }
        }
    } else {
        None
    };
    let src = ctx.config.book.src.to_string_lossy().replace('\\', "/");
    let chapters = take_chapters(&mut book, &src);
    let data = ctx.root.join(&ctx.config.book.src).join("data");
    let figures = Figures::load(&data, &format!("{src}/data"), &mut diags);
    let new = transform_with(&chapters, &config, templates.as_ref(), &figures, &mut diags);
    if diags.is_fatal(config.deny_warnings) {
        return Err(diags.render(config.deny_warnings));
    }
    if diags.warning_count() > 0 {
        eprintln!("{}", diags.render(false));
    }
    let mut new: HashMap<&str, String> =
        chapters.iter().map(|c| c.path.as_str()).zip(new).collect();
    book.for_each_chapter_mut(|ch| {
        let path = ch
            .path
            .as_ref()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        if let Some(text) = new.remove(path.as_str()) {
            ch.content = text;
        }
    });
    Ok(book)
}

/// The chapters in book order (pre-order, drafts left out), with their parts.
pub fn collect_chapters(book: &Book, src: &str) -> Vec<Chapter> {
    take_chapters(&mut book.clone(), src)
}

/// [`collect_chapters`], moving each chapter's text out of `book` instead of
/// copying it: a large book is then held once, not twice.
pub fn take_chapters(book: &mut Book, src: &str) -> Vec<Chapter> {
    fn walk(items: &mut [BookItem], part: &mut Option<String>, src: &str, out: &mut Vec<Chapter>) {
        for item in items {
            match item {
                BookItem::PartTitle(t) => *part = Some(t.clone()),
                BookItem::Chapter(ch) => {
                    if let Some(path) = &ch.path {
                        let path = path.to_string_lossy().replace('\\', "/");
                        let source = ch
                            .source_path
                            .as_ref()
                            .map_or(path.clone(), |p| p.to_string_lossy().replace('\\', "/"));
                        out.push(Chapter {
                            path,
                            display: format!("{src}/{source}"),
                            name: ch.name.clone(),
                            part: part.clone(),
                            content: std::mem::take(&mut ch.content),
                        });
                    }
                    walk(&mut ch.sub_items, part, src, out);
                }
                BookItem::Separator => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&mut book.items, &mut None, src, &mut out);
    out
}

/// Passes 1 and 2 over the chapters; the new text of each, in order. When
/// anything is reported as an error the texts are not computed.
pub fn transform(
    chapters: &[Chapter],
    config: &Config,
    templates: Option<&Templates>,
    diags: &mut Diagnostics,
) -> Vec<String> {
    transform_with(chapters, config, templates, &Figures::default(), diags)
}

/// [`transform`] for a book with figures (the data files of `src/data/`).
pub fn transform_with(
    chapters: &[Chapter],
    config: &Config,
    templates: Option<&Templates>,
    figures: &Figures,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let glossary_chapter = chapters.iter().position(|c| c.path == config.glossary);
    let references_chapter = chapters.iter().position(|c| c.path == config.references);
    let glossary = glossary_chapter.map_or_else(Glossary::default, |g| {
        Glossary::parse(&chapters[g].display, &chapters[g].content, diags)
    });
    let references = references_chapter.map_or_else(References::default, |r| {
        References::parse(&chapters[r].display, &chapters[r].content, diags)
    });
    let text_len = chapters.iter().map(|c| c.content.len()).sum();
    let matcher = Matcher::for_text(glossary.patterns(), text_len);
    let scans: Vec<_> = chapters
        .iter()
        .map(|c| {
            let cx = ScanContext {
                chapter_path: &c.path,
                display_path: &c.display,
                glossary_path: &config.glossary,
                matcher: (templates.is_some() || glossary_chapter.is_some()).then_some(&matcher),
            };
            scan(&cx, &c.content, diags)
        })
        .collect();
    let claims: Vec<_> = chapters
        .iter()
        .zip(&scans)
        .map(|(c, s)| claims::collect(&c.display, &c.content, s, diags))
        .collect();
    let entry_pages: Vec<usize> = glossary_chapter
        .into_iter()
        .chain(references_chapter)
        .collect();
    let index = Index::build(
        chapters,
        &scans,
        &claims,
        &glossary,
        &references,
        figures,
        &entry_pages,
        diags,
    );
    figures.check(&references, &scans, diags);
    if diags.error_count() > 0 {
        return Vec::new();
    }
    let book = rewrite::Book {
        chapters,
        scans: &scans,
        claims: &claims,
        index: &index,
        glossary: &glossary,
        glossary_chapter,
        references: &references,
        references_chapter,
        config,
        templates,
        figures,
        callouts: Default::default(),
    };
    let mut out = Vec::with_capacity(chapters.len());
    for ci in 0..chapters.len() {
        match book.rewrite(ci) {
            Ok(text) => out.push(text),
            Err(d) => {
                diags.push(d);
                return Vec::new();
            }
        }
    }
    out
}

/// Transforms one chapter (`chapter.md`) of a book whose only other chapter
/// is the glossary (`glossary.md`): the unit the property tests, the fuzz
/// target and the benchmarks work on. Returns the rendered diagnostics on error.
pub fn transform_chapter(
    glossary: &str,
    chapter: &str,
    config: &Config,
    templates: Option<&Templates>,
) -> std::result::Result<String, String> {
    let make = |path: &str, name: &str, content: &str| Chapter {
        path: path.to_string(),
        display: format!("src/{path}"),
        name: name.to_string(),
        part: None,
        content: content.to_string(),
    };
    let chapters = [
        make("chapter.md", "Chapter", chapter),
        make("glossary.md", "Glossary", glossary),
    ];
    let mut diags = Diagnostics::default();
    let mut out = transform(&chapters, config, templates, &mut diags);
    if diags.error_count() > 0 || out.is_empty() {
        return Err(diags.render(false));
    }
    Ok(out.swap_remove(0))
}
