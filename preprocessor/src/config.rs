//! `[preprocessor.gloss]` in `book.toml`.
//!
//! ```toml
//! [preprocessor.gloss]
//! command = "cargo run --quiet --locked --release -p mdbook-gloss --"
//! after = ["links"]
//! callouts = "first-in-chapter"   # or "first-in-section", "every"
//! glossary = "glossary.md"        # inside src/
//! references = "references.md"    # inside src/
//! templates = "theme/gloss"       # optional: files here replace the built-in templates
//! terms-list = true               # "Terms in this chapter" at the end of each chapter
//! appears-in = true               # each glossary entry lists where its term appears
//! referenced-from = true          # each target lists the places that cross-reference it
//! claims = true                   # read CLAIM / VERDICT / EVIDENCE blocks (default false)
//! claim-count = 46                # claims run C01 to C46 (optional; needs `claims`)
//! claims-source = "article"       # the references entry the claims come from (optional)
//! entry-level = 2                 # glossary entries are `## Term` headings (1 to 6)
//! site-origin = "https://example.github.io"  # read by `cargo xtask build`, see below
//! deny-warnings = false
//! ```
//!
//! `entry-level` is the heading level of the glossary's entries: headings
//! above it are section headings (`## A` over `### Term` entries), deeper
//! ones belong to an entry's body. The references keep level 2, as their
//! fields are this preprocessor's own: a book that brings its glossary in
//! need not move its references too. An entry's own fields (`Aliases:`,
//! `See also:`, `Short:`, `Match:`) are described in `terms.rs` and the
//! README.
//!
//! `site-origin` is not this preprocessor's: `cargo xtask build` joins it
//! with `output.html.site-url` for the absolute URLs of link previews and the
//! sitemap (xtask/src/share.rs), and mdBook rejects unknown keys under
//! `[output.html]`. It is here, beside the book's other settings, so that it
//! is set once; the preprocessor only accepts it.
//!
//! Unknown keys are errors that name the key and the allowed ones; mdBook's
//! own keys (`command`, `before`, `after`, `renderers`, `optional`) are
//! accepted and ignored.

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Location};

/// Which mentions of a term become callouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    /// The first mention in each chapter.
    #[default]
    FirstInChapter,
    /// The first mention in each section (reset at every heading).
    FirstInSection,
    /// Every mention.
    Every,
}

/// The heading level glossary entries are read at: 1 to 6, 2 by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "i64")]
pub struct EntryLevel(u8);

impl EntryLevel {
    /// The level, from 1 to 6.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl Default for EntryLevel {
    fn default() -> Self {
        EntryLevel(2)
    }
}

impl TryFrom<i64> for EntryLevel {
    type Error = String;
    fn try_from(level: i64) -> Result<Self, String> {
        match u8::try_from(level) {
            Ok(l @ 1..=6) => Ok(EntryLevel(l)),
            // A heading has one to six `#`: anything else reads no entry.
            _ => Err(format!("`{level}` is not a heading level")),
        }
    }
}

/// The preprocessor's settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Which mentions become callouts.
    #[serde(default)]
    pub callouts: Policy,
    /// The glossary chapter, inside `src/`.
    #[serde(default = "default_glossary")]
    pub glossary: String,
    /// The references chapter, inside `src/`.
    #[serde(default = "default_references")]
    pub references: String,
    /// A folder, from the book root, whose files replace the built-in Tera
    /// templates of the same name.
    #[serde(default)]
    pub templates: Option<String>,
    /// Whether each chapter ends with the list of its terms.
    #[serde(default = "yes")]
    pub terms_list: bool,
    /// Whether each glossary entry lists the chapters its term appears in.
    #[serde(default = "yes")]
    pub appears_in: bool,
    /// Whether each cross-referenced heading, entry and claim lists the
    /// places that refer to it.
    #[serde(default = "yes")]
    pub referenced_from: bool,
    /// Whether `[!CLAIM]`, `[!VERDICT]` and `[!EVIDENCE]` blocks are ours
    /// (cards, the ledger, `c17` ids). Off, they pass through to mdBook
    /// like any other kind, so a book with its own conventions is left alone.
    #[serde(default)]
    pub claims: bool,
    /// How many claims the article has: claim ids then run from `C1` to
    /// this number, zero-padded to its width (`C01` … `C46`).
    #[serde(default)]
    pub claim_count: Option<u32>,
    /// The references entry of the work whose claims are annotated: each
    /// card's "the article, ¶7" links to its URL, at the words the claim
    /// quotes (a text fragment).
    #[serde(default)]
    pub claims_source: Option<String>,
    /// Where `claims-source` is set in book.toml, for its errors (which
    /// need the references, read later).
    #[serde(skip)]
    pub claims_source_at: Option<Location>,
    /// The heading level of glossary entries.
    #[serde(default)]
    pub entry_level: EntryLevel,
    /// Whether warnings fail the build.
    #[serde(default)]
    pub deny_warnings: bool,
    /// The published site's origin (`https://owner.github.io`), for the
    /// xtask's sharing metadata and sitemap; not read here.
    #[allow(dead_code, reason = "read by the xtask's sharing step, not by us")]
    #[serde(default)]
    pub site_origin: Option<String>,
    /// The book's repository, from `output.html.git-repository-url` (not
    /// ours to set here): claim cards and chapters link to its issue form
    /// "Suggest a correction". `None`, no link.
    #[serde(skip)]
    pub repository: Option<String>,
    // mdBook's own keys: accepted so that unknown keys can be errors.
    #[allow(dead_code, reason = "read by mdBook, not by us")]
    #[serde(default)]
    command: Option<String>,
    #[allow(dead_code, reason = "read by mdBook, not by us")]
    #[serde(default)]
    before: Option<Vec<String>>,
    #[allow(dead_code, reason = "read by mdBook, not by us")]
    #[serde(default)]
    after: Option<Vec<String>>,
    #[allow(dead_code, reason = "read by mdBook, not by us")]
    #[serde(default)]
    renderers: Option<Vec<String>>,
    #[allow(dead_code, reason = "read by mdBook, not by us")]
    #[serde(default)]
    optional: Option<bool>,
}

fn default_glossary() -> String {
    "glossary.md".into()
}
fn default_references() -> String {
    "references.md".into()
}
fn yes() -> bool {
    true
}

impl Default for Config {
    fn default() -> Config {
        serde_json::from_str("{}").expect("every field has a default")
    }
}

/// Every key of `[preprocessor.gloss]` and what it accepts, for errors.
const KEYS: [(&str, &str); 13] = [
    (
        "callouts",
        "`first-in-chapter`, `first-in-section` or `every`",
    ),
    (
        "glossary",
        "the glossary chapter's path inside `src/`, e.g. `\"glossary.md\"`",
    ),
    (
        "references",
        "the references chapter's path inside `src/`, e.g. `\"references.md\"`",
    ),
    (
        "templates",
        "a folder from the book root whose files replace the built-in templates, e.g. `\"theme/gloss\"`",
    ),
    ("terms-list", "`true` or `false`"),
    ("appears-in", "`true` or `false`"),
    ("referenced-from", "`true` or `false`"),
    ("claims", "`true` or `false`"),
    ("claim-count", "a whole number from 1, e.g. `46`"),
    (
        "claims-source",
        "the id of the references entry the claims come from, e.g. `\"article\"`",
    ),
    (
        "entry-level",
        "a heading level from 1 to 6, e.g. `3` for entries written `### Term`",
    ),
    ("deny-warnings", "`true` or `false`"),
    (
        "site-origin",
        "the published site's origin, e.g. `\"https://example.github.io\"` (read by `cargo xtask build`)",
    ),
];

/// The prefix of the environment variables mdBook merges into this table.
const ENV_PREFIX: &str = "MDBOOK_PREPROCESSOR__GLOSS__";

impl Config {
    /// Reads `[preprocessor.gloss]` from mdBook's config. `book_toml` is the
    /// text of `book.toml`: an error is pointed at the key or value there, or,
    /// when the text is fine, at the environment variable that set it.
    pub fn from_mdbook(
        config: &mdbook_preprocessor::config::Config,
        book_toml: Option<&str>,
    ) -> Result<Config, Diagnostic> {
        let repository = config
            .get::<String>("output.html.git-repository-url")
            .ok()
            .flatten()
            .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
            .map(|url| url.trim_end_matches('/').to_string());
        let claims_source_at = book_toml.and_then(|text| {
            let span = value_span(text, "claims-source")?;
            Some(Location::new("book.toml", text, span))
        });
        let err = match config.get::<Config>("preprocessor.gloss") {
            Ok(Some(c)) => {
                return Ok(Config {
                    repository,
                    claims_source_at,
                    ..c
                });
            }
            Ok(None) => {
                return Ok(Config {
                    repository,
                    ..Config::default()
                });
            }
            Err(err) => err.root_cause().to_string(),
        };
        if let Some(d) = book_toml.and_then(in_book_toml) {
            return Err(d);
        }
        let vars: Vec<(String, String)> = std::env::vars()
            .filter(|(k, _)| k.starts_with(ENV_PREFIX))
            .collect();
        let reason = err.lines().next().unwrap_or("invalid value").to_string();
        Err(match vars.as_slice() {
            [] => Diagnostic::error(format!(
                "invalid `[preprocessor.gloss]` in book.toml: {reason}"
            ))
            .at(Location::file("book.toml", 1, 1))
            .help(allowed()),
            vars => {
                let names: Vec<String> = vars.iter().map(|(k, v)| format!("`{k}={v}`")).collect();
                let key = vars[0].0[ENV_PREFIX.len()..]
                    .to_ascii_lowercase()
                    .replace('_', "-");
                let accepts = KEYS.iter().find(|(k, _)| *k == key).map(|(_, a)| *a);
                let reason = reason.split(", expected ").next().unwrap_or(&reason);
                Diagnostic::error(format!(
                    "invalid `[preprocessor.gloss]` setting from the environment ({}): {reason}",
                    names.join(", ")
                ))
                .help(match accepts {
                    Some(a) => format!("`{key}` accepts {a}; fix or unset the variable"),
                    None => format!("fix or unset the variable ({})", allowed()),
                })
            }
        })
    }
}

/// The offset of `key =` inside the `[preprocessor.gloss]` table of
/// `text`, the text of book.toml.
pub(crate) fn key_offset(text: &str, key: &str) -> Option<usize> {
    let table = text.find("[preprocessor.gloss]")?;
    let mut offset = crate::markdown::line_end(text, table);
    for line in text[offset..].split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with('[') {
            return None;
        }
        if t.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
        {
            return Some(offset + line.len() - t.len());
        }
        offset += line.len();
    }
    None
}

/// The byte range of the value of `key =` inside `[preprocessor.gloss]`.
pub(crate) fn value_span(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let at = key_offset(text, key)?;
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let eq = at + text[at..line_end].find('=')? + 1;
    let value = text[eq..line_end].split(" #").next().unwrap_or("");
    let start = eq + value.len() - value.trim_start().len();
    Some(start..start + value.trim().len())
}

/// The keys, for a help line.
fn allowed() -> String {
    let keys: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
    format!(
        "allowed keys: {} (and mdBook's command, before, after, renderers, optional)",
        keys.join(", ")
    )
}

/// Reads `[preprocessor.gloss]` from the text of `book.toml` with spans, and
/// says what is wrong there, at its line and column, or `None` if the text
/// is fine (then the environment set the bad value).
fn in_book_toml(text: &str) -> Option<Diagnostic> {
    // Read only for the error and its span.
    #[derive(Deserialize)]
    struct File {
        #[allow(dead_code, reason = "read for its error only")]
        preprocessor: Option<Preprocessors>,
    }
    #[derive(Deserialize)]
    struct Preprocessors {
        #[allow(dead_code, reason = "read for its error only")]
        gloss: Option<Config>,
    }
    let err = toml::from_str::<File>(text).err()?;
    let span = err.span()?;
    let message = err.message().trim().to_string();
    let (reason, expected) = match message.split_once(", expected ") {
        Some((r, e)) => (r.to_string(), Some(e.to_string())),
        None => (message.clone(), None),
    };
    // The key on the line the span points into.
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let key = text[line_start..]
        .split('=')
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches('"')
        .to_string();
    let accepts = KEYS.iter().find(|(k, _)| *k == key).map(|(_, a)| *a);
    let d = Diagnostic::error(format!(
        "invalid `[preprocessor.gloss]` in book.toml: {reason}"
    ))
    .at(Location::new("book.toml", text, span))
    .label(match accepts {
        Some(_) => format!("`{key}` cannot be this"),
        None => "here".to_string(),
    });
    Some(if reason.starts_with("unknown field") {
        let token = reason.split('`').nth(1).unwrap_or("");
        match crate::diagnostics::suggest(token, KEYS.iter().map(|(k, _)| *k)) {
            Some(s) => d.help(format!("{s} ({})", allowed())),
            None => d.help(allowed()),
        }
    } else {
        match (accepts, expected) {
            (Some(a), _) => d.help(format!("`{key}` accepts {a}")),
            (None, Some(e)) => d.help(format!("expected {e}")),
            (None, None) => d.help(allowed()),
        }
    })
}

pub(crate) mod missing;

#[cfg(test)]
mod tests;
