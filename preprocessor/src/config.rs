//! `[preprocessor.gloss]` in `book.toml`.
//!
//! ```toml
//! [preprocessor.gloss]
//! command = "cargo run --quiet --locked --release -p mdbook-gloss --"
//! after = ["links"]
//! callouts = "first-in-chapter"   # or "first-in-section", "every"
//! glossary = "glossary.md"        # inside src/
//! references = "references.md"    # inside src/
//! templates = "theme/gloss"       # from the book root
//! terms-list = true               # "Terms in this chapter" at the end of each chapter
//! claim-count = 46                # claims run C01 to C46 (optional)
//! deny-warnings = false
//! ```
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
    /// The folder of Tera templates, from the book root.
    #[serde(default = "default_templates")]
    pub templates: String,
    /// Whether each chapter ends with the list of its terms.
    #[serde(default = "yes")]
    pub terms_list: bool,
    /// How many claims the article has: claim ids then run from `C1` to
    /// this number, zero-padded to its width (`C01` … `C46`).
    #[serde(default)]
    pub claim_count: Option<u32>,
    /// Whether warnings fail the build.
    #[serde(default)]
    pub deny_warnings: bool,
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
fn default_templates() -> String {
    "theme/gloss".into()
}
fn yes() -> bool {
    true
}

impl Default for Config {
    fn default() -> Config {
        serde_json::from_str("{}").expect("every field has a default")
    }
}

impl Config {
    /// Reads `[preprocessor.gloss]` from mdBook's config. `book_toml` is the
    /// text of `book.toml`, used only to point an error at its line.
    pub fn from_mdbook(
        config: &mdbook_preprocessor::config::Config,
        book_toml: Option<&str>,
    ) -> Result<Config, Diagnostic> {
        match config.get::<Config>("preprocessor.gloss") {
            Ok(Some(c)) => Ok(c),
            Ok(None) => Ok(Config::default()),
            Err(err) => {
                let reason = err.root_cause().to_string();
                let reason = reason.lines().next().unwrap_or("invalid value");
                // serde lists the expected names itself; the help says it better.
                let (reason, expected) = match reason.split_once(", expected ") {
                    Some((r, e)) => (r.to_string(), Some(e.to_string())),
                    None => (reason.to_string(), None),
                };
                // The offending key, or failing that the offending value.
                let token = reason.split(['`', '"']).nth(1).unwrap_or("").to_string();
                let mut d = Diagnostic::error(format!(
                    "invalid `[preprocessor.gloss]` in book.toml: {reason}"
                ));
                if let Some((text, at, len)) = book_toml.and_then(|t| {
                    find_key(t, &token)
                        .map(|at| (t, at, token.len()))
                        .or_else(|| find_value(t, &token).map(|(at, len)| (t, at, len)))
                }) {
                    d = d
                        .at(Location::new("book.toml", text, at..at + len))
                        .label("here");
                }
                let allowed = "allowed keys: callouts, glossary, references, templates, terms-list, claim-count, deny-warnings \
                               (and mdBook's command, before, after, renderers, optional)";
                let keys = [
                    "callouts",
                    "glossary",
                    "references",
                    "templates",
                    "terms-list",
                    "claim-count",
                    "deny-warnings",
                ];
                Err(if reason.starts_with("unknown field") {
                    match crate::diagnostics::suggest(&token, keys) {
                        Some(s) => d.help(format!("{s} ({allowed})")),
                        None => d.help(allowed),
                    }
                } else {
                    match expected {
                        Some(e) => d.help(format!("expected {e}")),
                        None => d.help(allowed),
                    }
                })
            }
        }
    }
}

/// The offset and length of the value of the key, inside the
/// `[preprocessor.gloss]` table, whose value contains `value`.
fn find_value(text: &str, value: &str) -> Option<(usize, usize)> {
    if value.is_empty() {
        return None;
    }
    let mut offset = crate::markdown::line_end(text, text.find("[preprocessor.gloss]")?);
    for line in text[offset..].split_inclusive('\n') {
        if line.trim_start().starts_with('[') {
            return None;
        }
        if let Some((_, v)) = line.split_once('=')
            && v.contains(value)
        {
            let v_trim = v.trim();
            let at = offset + line.len() - v.len() + (v.len() - v.trim_start().len());
            return Some((at, v_trim.len()));
        }
        offset += line.len();
    }
    None
}

/// The offset of `key =` inside the `[preprocessor.gloss]` table.
fn find_key(text: &str, key: &str) -> Option<usize> {
    if key.is_empty() {
        return None;
    }
    let table = text.find("[preprocessor.gloss]")?;
    let mut offset = crate::markdown::line_end(text, table);
    for line in text[offset..].split_inclusive('\n') {
        offset += line.len();
        let t = line.trim_start();
        if t.starts_with('[') {
            return None;
        }
        if t.starts_with(key) && t[key.len()..].trim_start().starts_with('=') {
            return Some(offset - line.len() + (line.len() - t.len()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(toml: &str) -> Result<Config, Diagnostic> {
        let c: mdbook_preprocessor::config::Config = toml.parse().unwrap();
        Config::from_mdbook(&c, Some(toml))
    }

    #[test]
    fn defaults_and_mdbook_keys() {
        let c = config(
            "[preprocessor.gloss]\ncommand = \"x\"\nafter = [\"links\"]\ncallouts = \"every\"\n",
        )
        .unwrap();
        assert_eq!(c.callouts, Policy::Every);
        assert_eq!(c.glossary, "glossary.md");
        assert!(c.terms_list);
    }

    #[test]
    fn unknown_key_names_it_and_its_line() {
        let e = config(
            "[book]\ntitle = \"t\"\n\n[preprocessor.gloss]\ncommand = \"x\"\ncallout = \"every\"\n",
        )
        .unwrap_err();
        assert!(
            e.message.contains("unknown field `callout`"),
            "{}",
            e.message
        );
        assert_eq!(e.short().split(": ").next(), Some("book.toml:6:1"));
        assert!(e.help.unwrap().contains("callouts"));
    }

    #[test]
    fn bad_policy_value() {
        let e = config("[preprocessor.gloss]\ncallouts = \"sometimes\"\n").unwrap_err();
        assert!(
            e.message.contains("unknown variant `sometimes`"),
            "{}",
            e.message
        );
    }
}
