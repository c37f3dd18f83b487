//! Benchmarks of `mdbook-gloss` (see BENCHMARKS.md): a generator of
//! synthetic books, and what the benchmark binary measures them with.
//!
//! - [`synth`] makes a book of any size, deterministically from a seed.
//! - [`input_json`] builds the `[context, book]` JSON mdBook would send.
//! - [`floor`] is the least any preprocessor that reads Markdown must do:
//!   parse every chapter once, with mdBook's parser options.

use std::path::{Path, PathBuf};

use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::config::Config;

pub mod synth;

/// The repository root: `$CARGO_WORKSPACE_DIR` (set by `.cargo/config.toml`
/// under `cargo run`), else the folder above this crate.
pub fn workspace_root() -> PathBuf {
    let dir = std::env::var_os("CARGO_WORKSPACE_DIR")
        .map(PathBuf::from)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".."));
    dir.canonicalize().unwrap_or(dir)
}

/// Where the synthetic books "live": a folder that does not exist, so that
/// the preprocessor reads nothing from disk but the templates (a book's root
/// may hold more of its inputs, such as the real book's `src/data/`).
pub fn synthetic_root() -> PathBuf {
    std::env::temp_dir().join("gloss-bench-synthetic-book")
}

/// The context mdBook gives the preprocessor for the HTML renderer: the book
/// at `book_root`, the templates in `templates` (the repository's
/// `preprocessor/templates`), and the settings of the real `book.toml`.
pub fn context(book_root: &Path, templates: &Path) -> anyhow::Result<PreprocessorContext> {
    let toml = format!(
        "[book]\ntitle = \"Synthetic book\"\nsrc = \"src\"\n\n[preprocessor.gloss]\ncommand = \"mdbook-gloss\"\n\
         after = [\"links\"]\ncallouts = \"first-in-chapter\"\nglossary = \"glossary.md\"\nreferences = \"references.md\"\n\
         templates = {}\nterms-list = true\nclaims = true\n",
        synth::toml_string(&templates.to_string_lossy())
    );
    let config: Config = toml.parse().map_err(|e| anyhow::anyhow!("{e:#}"))?;
    Ok(PreprocessorContext::new(
        book_root.to_path_buf(),
        config,
        "html".to_string(),
    ))
}

/// The JSON mdBook sends the preprocessor: `[context, book]`.
pub fn input_json(ctx: &PreprocessorContext, book: &Book) -> anyhow::Result<Vec<u8>> {
    Ok(serde_json::to_vec(&(ctx, book))?)
}

/// Parses every text with [`mdbook_gloss::testing::parse`], consuming every
/// event. Returns the number of events, so that nothing is optimised away.
pub fn floor<'a>(texts: impl IntoIterator<Item = &'a str>) -> usize {
    let mut events = 0;
    for text in texts {
        for (event, range) in mdbook_gloss::testing::parse(text) {
            std::hint::black_box((&event, &range));
            events += 1;
        }
    }
    events
}
