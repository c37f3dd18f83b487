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

// Without the `testing` feature, what `testing` re-exports is reachable from
// nowhere outside the crate; with it (as CI's clippy builds the workspace),
// the lint checks that nothing else is `pub`.
#![cfg_attr(
    not(feature = "testing"),
    allow(unreachable_pub, reason = "the items `testing` re-exports")
)]

use std::io::{Read, Write};

use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::errors::{Error, Result};
use mdbook_preprocessor::{MDBOOK_VERSION, Preprocessor, PreprocessorContext};

// The core: the book model, the one scan, the index, edits, diagnostics,
// settings and templates.
mod book;
mod chapter;
mod config;
mod diagnostics;
mod edits;
mod entries;
mod index;
mod links;
mod markdown;
mod matcher;
mod pipeline;
mod rewrite;
mod scan;
mod stream;
mod templates;

// The features, each of which recognises its syntax in the scan, registers
// in the index and renders its edits.
mod backlinks;
mod callouts;
mod citations;
mod claims;
mod entry_pages;
mod figures;
mod install;
mod references;
mod terms;
mod xrefs;

#[cfg(feature = "testing")]
pub mod testing;

use crate::chapter::take_chapters;
use crate::config::Config;
use crate::config::missing::{missing_page, missing_templates};
use crate::diagnostics::Diagnostics;
use crate::figures::Figures;
use crate::pipeline::{transform_each, transform_with};
use crate::stream::Stream;
use crate::templates::Templates;

pub use crate::install::install;

/// The preprocessor, as registered with mdBook under the name `gloss`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Gloss;

impl Preprocessor for Gloss {
    fn name(&self) -> &str {
        "gloss"
    }

    fn run(&self, ctx: &PreprocessorContext, book: Book) -> Result<Book> {
        match process(ctx, book, None) {
            Ok(book) => Ok(book.expect("a run without output returns the book")),
            Err(e) => Err(Error::msg(e.to_string())),
        }
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

/// Why a run of the preprocessor failed. Each carries its whole message,
/// rustc-style, for stderr.
#[derive(Debug)]
pub enum RunError {
    /// The input is not the preprocessor JSON of a supported mdBook.
    Input(String),
    /// The book has problems: every diagnostic, rendered. Nothing was written.
    Book(String),
    /// The book could not be written out.
    Output(std::io::Error),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Input(message) | RunError::Book(message) => f.write_str(message),
            RunError::Output(e) => write!(f, "error: mdbook-gloss could not write the book: {e}"),
        }
    }
}

impl std::error::Error for RunError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RunError::Output(e) => Some(e),
            _ => None,
        }
    }
}

/// The protocol: `[context, book]` JSON in, book JSON out.
pub fn handle_preprocessing(input: impl Read, mut output: impl Write) -> Result<(), RunError> {
    let mut raw = String::new();
    let mut input = input;
    input.read_to_string(&mut raw).map_err(|e| {
        RunError::Input(format!("error: mdbook-gloss could not read its input: {e}"))
    })?;
    if raw.trim().is_empty() {
        return Err(RunError::Input(
            "error: mdbook-gloss received no input\n  = help: mdBook runs this program and sends the book on stdin; \
             run `mdbook build` or `cargo xtask build` instead"
                .into(),
        ));
    }
    // `from_str` rather than `mdbook_preprocessor::parse_input`, which reads
    // through `io::Read` byte by byte: 6% of the preprocessor's time on a large
    // book went there. The types and the error are the same.
    let parsed: serde_json::Result<(PreprocessorContext, Book)> = serde_json::from_str(&raw);
    let (ctx, book) = parsed.map_err(|e| RunError::Input(input_error(&raw, &e)))?;
    // The book now holds its own copy: the input need not stay in memory.
    drop(raw);
    if let Some(warning) = version_warning(&ctx.mdbook_version) {
        eprintln!("{warning}");
    }
    process(&ctx, book, Some(&mut output)).map(drop)
}

/// What is wrong with input that is not the book JSON we read.
fn input_error(raw: &str, e: &serde_json::Error) -> String {
    let found = serde_json::from_str::<serde_json::Value>(raw)
        .ok()
        .and_then(|v| {
            v.get(0)?
                .get("mdbook_version")?
                .as_str()
                .map(str::to_string)
        });
    match found {
        Some(v) => format!(
            "error: mdbook-gloss cannot read the book sent by mdBook {v}: {e}\n  = help: this preprocessor speaks mdBook {MDBOOK_VERSION}'s protocol; install that version (`cargo xtask serve` does)"
        ),
        None => format!(
            "error: mdbook-gloss received input that is not mdBook's preprocessor JSON: {e}"
        ),
    }
}

/// A warning when mdBook's version differs from the one we were built for.
fn version_warning(found: &str) -> Option<String> {
    let wanted = semver::VersionReq::parse(&format!("~{MDBOOK_VERSION}")).ok()?;
    match semver::Version::parse(found) {
        Ok(v) if wanted.matches(&v) => None,
        _ => Some(format!(
            "warning: mdbook-gloss was built for mdBook {MDBOOK_VERSION} but is running under mdBook {found}; \
             install mdBook {MDBOOK_VERSION} (`cargo xtask serve` does) if the build misbehaves"
        )),
    }
}

/// Runs every pass over `book`, and writes the result as JSON to `output`,
/// or returns it without one. Returns all diagnostics as one message if
/// anything is wrong; nothing is then written. Under GitHub Actions
/// (`GITHUB_ACTIONS=true`) every diagnostic, error or warning, is also
/// written to stderr as a workflow command, which GitHub shows on the line of
/// the pull request's diff (stdout is mdBook's JSON channel).
fn process(
    ctx: &PreprocessorContext,
    book: Book,
    output: Option<&mut dyn Write>,
) -> std::result::Result<Option<Book>, RunError> {
    let mut diags = Diagnostics::default();
    let result = process_with(ctx, book, output, &mut diags);
    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        eprint!("{}", diags.workflow_commands(&workspace_prefix(&ctx.root)));
    }
    result
}

/// The book's root as a path from the repository's (`GITHUB_WORKSPACE`), with
/// a trailing `/`: what a diagnostic's path (from the book's root) needs in
/// front for GitHub to find the file. Empty when the book is the repository,
/// or is not inside it.
fn workspace_prefix(root: &std::path::Path) -> String {
    let Some(workspace) = std::env::var_os("GITHUB_WORKSPACE") else {
        return String::new();
    };
    let (Ok(root), Ok(workspace)) = (
        std::fs::canonicalize(root),
        std::fs::canonicalize(workspace),
    ) else {
        return String::new();
    };
    match root.strip_prefix(&workspace) {
        Ok(rel) if !rel.as_os_str().is_empty() => {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            format!("{}/", parts.join("/"))
        }
        _ => String::new(),
    }
}

/// [`process`], reporting into `diags`.
fn process_with(
    ctx: &PreprocessorContext,
    mut book: Book,
    output: Option<&mut dyn Write>,
    diags: &mut Diagnostics,
) -> std::result::Result<Option<Book>, RunError> {
    let book_toml = std::fs::read_to_string(ctx.root.join("book.toml")).ok();
    let config = match Config::from_mdbook(&ctx.config, book_toml.as_deref()) {
        Ok(c) => c,
        Err(d) => {
            diags.push(d);
            return Err(RunError::Book(diags.render(false)));
        }
    };
    let html = ctx.renderer == "html";
    let templates = if html {
        let overrides = config.templates.as_deref().map(|t| (ctx.root.join(t), t));
        if let Some((dir, shown)) = &overrides
            && !dir.is_dir()
        {
            diags.push(missing_templates(&ctx.root, shown, book_toml.as_deref()));
            return Err(RunError::Book(diags.render(config.deny_warnings)));
        }
        let overrides = overrides
            .as_ref()
            .map(|(dir, shown)| (dir.as_path(), *shown));
        let assets: Vec<String> = ["additional-css", "additional-js"]
            .iter()
            .filter_map(|key| {
                ctx.config
                    .get::<Vec<String>>(&format!("output.html.{key}"))
                    .ok()
                    .flatten()
            })
            .flatten()
            .collect();
        install::check_versions(&ctx.root, &assets, book_toml.as_deref(), diags);
        match Templates::load(overrides, diags) {
            Some(t) => {
                callouts::check_templates(&t, diags);
                if diags.is_fatal(config.deny_warnings) {
                    return Err(RunError::Book(diags.render(config.deny_warnings)));
                }
                Some(t)
            }
            None => return Err(RunError::Book(diags.render(config.deny_warnings))),
        }
    } else {
        None
    };
    let src = ctx.config.book.src.to_string_lossy().replace('\\', "/");
    let chapters = take_chapters(&mut book, &src);
    for (key, path) in [
        ("glossary", &config.glossary),
        ("references", &config.references),
    ] {
        // Set in book.toml (the defaults may name no chapter: a book need
        // not have a glossary) but naming no chapter.
        let set = ctx
            .config
            .get::<String>(&format!("preprocessor.gloss.{key}"))
            .ok()
            .flatten()
            .is_some();
        if set && !chapters.iter().any(|c| &c.path == path) {
            diags.push(missing_page(
                key,
                path,
                &src,
                &chapters,
                book_toml.as_deref(),
            ));
        }
    }
    if config.claim_count.is_some() && !config.claims {
        let mut d = diagnostics::Diagnostic::error("`claim-count` is set but claims are off")
            .label("the count applies only to a book that turns claims on")
            .help("add `claims = true` to `[preprocessor.gloss]`, or remove `claim-count`");
        if let Some((text, at)) = book_toml
            .as_deref()
            .and_then(|t| Some((t, config::key_offset(t, "claim-count")?)))
        {
            d = d.at(diagnostics::Location::new(
                "book.toml",
                text,
                at..at + "claim-count".len(),
            ));
        }
        diags.push(d);
    }
    let data = ctx.root.join(&ctx.config.book.src).join("data");
    let figures = Figures::load(&data, &format!("{src}/data"), diags);
    let failed = |diags: &Diagnostics| RunError::Book(diags.render(config.deny_warnings));
    let Some(output) = output else {
        let new = transform_with(&chapters, &config, templates.as_ref(), &figures, diags);
        if diags.is_fatal(config.deny_warnings) {
            return Err(failed(diags));
        }
        warn(diags);
        stream::fill(&mut book, new);
        return Ok(Some(book));
    };
    // Each chapter is written as soon as it is rewritten, into the rest of
    // the book, which is serialised first (and then dropped). A book's own
    // templates might fail to render on some chapter's data, after others
    // went out; their output is held until every chapter is rewritten, so
    // that a failing run still writes nothing. The built-in ones render
    // whatever the data (the fuzz target and the bad-input cases run them).
    let mut stream = Stream::new(&book, chapters.len(), output).map_err(RunError::Output)?;
    drop(book);
    let hold = templates.as_ref().is_some_and(|t| !t.all_built_in());
    let mut held = Vec::new();
    let done = transform_each(
        &chapters,
        &config,
        templates.as_ref(),
        &figures,
        diags,
        &mut |i, text| {
            if hold {
                held.push(text);
            } else {
                stream.chapter(i, &text);
            }
        },
    );
    if !done || diags.is_fatal(config.deny_warnings) {
        return Err(failed(diags));
    }
    warn(diags);
    for (i, text) in held.iter().enumerate() {
        stream.chapter(i, text);
    }
    stream.finish().map_err(RunError::Output)?;
    Ok(None)
}

/// Prints the warnings of a run that goes on.
fn warn(diags: &Diagnostics) {
    if diags.warning_count() > 0 {
        eprintln!("{}", diags.render(false));
    }
}
