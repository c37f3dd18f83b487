//! The Tera templates in `theme/gloss/`: every piece of HTML the
//! preprocessor writes comes from one of them, autoescaped, so that markup
//! changes need no Rust. They are read and compiled once per run.
//!
//! A template that wraps the author's own Markdown (a callout around a term,
//! a block around a block quote) renders `{{ body }}` exactly once; the
//! preprocessor splits its output there and keeps the author's bytes between
//! the two halves untouched.

use std::path::Path;

use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::Diagnostic;

/// Every template the preprocessor renders.
pub const NAMES: [&str; 11] = [
    "term.html",
    "xref.html",
    "cite.html",
    "claim.html",
    "block.html",
    "backrefs.html",
    "terms-list.html",
    "ledger.html",
    "glossary-fields.html",
    "appears-in.html",
    "reference-fields.html",
];

/// Stands for the author's Markdown while a wrapping template renders.
const BODY: &str = "GLOSSBODY7f3a9c";

/// The compiled templates.
#[derive(Debug)]
pub struct Templates {
    tera: Tera,
    dir: String,
}

impl Templates {
    /// Reads and compiles every template of [`NAMES`] from `dir`.
    /// `shown` is the folder as a writer knows it, for diagnostics.
    pub fn load(dir: &Path, shown: &str) -> Result<Templates, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut sources = Vec::new();
        for name in NAMES {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(text) => sources.push((name, text)),
                Err(err) => errors.push(
                    Diagnostic::error(format!("missing template `{shown}/{name}`: {err}"))
                        .help(format!("restore `{shown}/{name}`, or point `templates` in `[preprocessor.gloss]` at a folder that has it")),
                ),
            }
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        for (name, text) in &sources {
            if let Err(err) = tera.add_raw_template(name, text) {
                errors.push(Diagnostic::error(format!(
                    "template `{shown}/{name}` does not compile: {}",
                    chain(&err)
                )));
            }
        }
        if errors.is_empty() {
            Ok(Templates {
                tera,
                dir: shown.to_string(),
            })
        } else {
            Err(errors)
        }
    }

    /// Renders a whole template.
    pub fn render<T: Serialize>(&self, name: &str, data: &T) -> Result<String, Diagnostic> {
        let context = Context::from_serialize(data).map_err(|e| {
            Diagnostic::error(format!("internal: cannot pass data to `{name}`: {e}"))
        })?;
        let rendered = self.tera.render(name, &context).map_err(|err| {
            Diagnostic::error(format!(
                "template `{}/{name}` failed: {}",
                self.dir,
                chain(&err)
            ))
            .help("check the variable names against preprocessor/README.md")
        })?;
        // Template files end with a newline; what is spliced into a line must not.
        Ok(rendered
            .strip_suffix('\n')
            .map(str::to_string)
            .unwrap_or(rendered))
    }

    /// Renders a wrapping template and splits it around `{{ body }}`.
    pub fn wrap<T: Serialize>(&self, name: &str, data: &T) -> Result<(String, String), Diagnostic> {
        #[derive(Serialize)]
        struct WithBody<'a, T: Serialize> {
            #[serde(flatten)]
            data: &'a T,
            body: &'static str,
        }
        let html = self.render(name, &WithBody { data, body: BODY })?;
        let mut parts = html.split(BODY);
        match (parts.next(), parts.next(), parts.next()) {
            (Some(open), Some(close), None) => Ok((open.to_string(), close.to_string())),
            _ => Err(Diagnostic::error(format!(
                "template `{}/{name}` must render `{{{{ body }}}}` exactly once",
                self.dir
            ))),
        }
    }
}

/// A Tera error with its causes, on one line ("… line 3 … Variable `x` not found").
fn chain(err: &tera::Error) -> String {
    let mut out = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out.replace('\n', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
