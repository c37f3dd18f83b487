//! The Tera templates: every piece of HTML the preprocessor writes comes
//! from one of them, autoescaped, so that markup changes need no Rust. The
//! defaults (`preprocessor/templates/`) are built into the binary; a book's
//! `templates` folder replaces them file by file. They are compiled once
//! per run.
//!
//! A template that wraps the author's own Markdown (a callout around a term,
//! a block around a block quote) renders `{{ body }}` exactly once; the
//! preprocessor splits its output there and keeps the author's bytes between
//! the two halves untouched.

use std::path::Path;

use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics, Location, suggest};

/// Every template the preprocessor renders, with its built-in default.
const DEFAULTS: [(&str, &str); 21] = [
    ("term.html", include_str!("../templates/term.html")),
    ("xref.html", include_str!("../templates/xref.html")),
    ("cite.html", include_str!("../templates/cite.html")),
    (
        "xref-previews.html",
        include_str!("../templates/xref-previews.html"),
    ),
    (
        "cite-previews.html",
        include_str!("../templates/cite-previews.html"),
    ),
    ("claim.html", include_str!("../templates/claim.html")),
    ("block.html", include_str!("../templates/block.html")),
    (
        "backlinks.html",
        include_str!("../templates/backlinks.html"),
    ),
    (
        "correction.html",
        include_str!("../templates/correction.html"),
    ),
    (
        "terms-list.html",
        include_str!("../templates/terms-list.html"),
    ),
    (
        "terms-list-item.html",
        include_str!("../templates/terms-list-item.html"),
    ),
    (
        "definitions.html",
        include_str!("../templates/definitions.html"),
    ),
    ("ledger.html", include_str!("../templates/ledger.html")),
    ("tally.html", include_str!("../templates/tally.html")),
    (
        "claims-strip.html",
        include_str!("../templates/claims-strip.html"),
    ),
    (
        "glossary-fields.html",
        include_str!("../templates/glossary-fields.html"),
    ),
    (
        "reference-fields.html",
        include_str!("../templates/reference-fields.html"),
    ),
    ("figure.html", include_str!("../templates/figure.html")),
    (
        "figure-line.html",
        include_str!("../templates/figure-line.html"),
    ),
    (
        "figure-bar.html",
        include_str!("../templates/figure-bar.html"),
    ),
    (
        "figure-flow.html",
        include_str!("../templates/figure-flow.html"),
    ),
];

/// Stands for the author's Markdown while a wrapping template renders.
const BODY: &str = "GLOSSBODY7f3a9c";

/// The compiled templates.
#[derive(Debug)]
pub struct Templates {
    tera: Tera,
    /// Each template's name, where a writer finds it (for diagnostics) and
    /// its source (to point them at a line).
    sources: Vec<(&'static str, String, String)>,
}

impl Templates {
    /// The built-in templates alone.
    #[cfg(any(test, feature = "testing"))]
    pub fn defaults() -> Templates {
        let mut diags = Diagnostics::default();
        match Templates::load(None, &mut diags) {
            Some(t) => t,
            // The defaults compile: a unit test holds them to it.
            None => unreachable!("the built-in templates compile: {}", diags.render(false)),
        }
    }

    /// The built-in templates, each replaced by the file of the same name
    /// in `overrides` (the folder, and the folder as a writer names it),
    /// compiled. A file there that is no template of ours is a warning: a
    /// misspelt name would otherwise be ignored without a word.
    pub fn load(overrides: Option<(&Path, &str)>, diags: &mut Diagnostics) -> Option<Templates> {
        let mut sources = Vec::new();
        let mut failed = false;
        for (name, default) in DEFAULTS {
            let source = overrides.and_then(|(dir, shown)| {
                let path = dir.join(name);
                path.is_file()
                    .then(|| (format!("{shown}/{name}"), std::fs::read_to_string(&path)))
            });
            match source {
                Some((shown, Ok(text))) => sources.push((name, shown, text)),
                Some((shown, Err(err))) => {
                    failed = true;
                    diags.push(
                        Diagnostic::error(format!("cannot read the template `{shown}`: {err}"))
                            .at(Location::file(&shown, 1, 1))
                            .help("make it a readable UTF-8 file, or delete it to use the built-in one"),
                    );
                }
                None => sources.push((name, format!("(built-in)/{name}"), default.to_string())),
            }
        }
        if let Some((dir, shown)) = overrides {
            unknown_files(dir, shown, diags);
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(escape);
        for (name, shown, text) in &sources {
            if let Err(err) = tera.add_raw_template(name, text) {
                failed = true;
                diags.push(syntax_error(shown, text, &chain(&err)));
            }
        }
        (!failed).then_some(Templates { tera, sources })
    }

    /// Whether every template is the built-in one, or a copy of it: none
    /// is the book's own.
    pub(crate) fn all_built_in(&self) -> bool {
        self.sources
            .iter()
            .zip(DEFAULTS)
            .all(|((_, _, text), (_, default))| text == default)
    }

    /// Renders a whole template.
    pub fn render<T: Serialize>(&self, name: &str, data: &T) -> Result<String, Diagnostic> {
        let context = Context::from_serialize(data).map_err(|e| {
            Diagnostic::error(format!("internal: cannot pass data to `{name}`: {e}"))
        })?;
        let rendered = self.tera.render(name, &context).map_err(|err| {
            let reason = chain(&err);
            let path = self.shown(name).to_string();
            let mut d = Diagnostic::error(format!("template `{path}` failed to render"));
            // "Variable `x` not found" or "Filter `f` not found" (Tera
            // quotes with backticks or apostrophes): point at it in the template.
            let named = |what: &str| {
                [format!("{what} `"), format!("{what} '")].iter().find_map(|open| {
                    let rest = reason.split(open.as_str()).nth(1)?;
                    rest.split(['`', '\'']).next().map(str::to_string)
                })
            };
            let text = self.source(name);
            let (variable, filter) = (named("Variable"), named("Filter"));
            match (&variable, &filter) {
                (Some(v), _) if find_variable(text, v).is_some() => {
                    let at = find_variable(text, v).unwrap_or(0);
                    d = d
                        .at(Location::new(&path, text, at..at + v.len()))
                        .label(format!("no variable `{v}` is passed to this template"))
                        .help("the variables each template receives are listed in preprocessor/README.md");
                }
                (_, Some(f)) if find_variable(text, f).is_some() => {
                    let at = find_variable(text, f).unwrap_or(0);
                    d = d
                        .at(Location::new(&path, text, at..at + f.len()))
                        .label(format!("no filter `{f}` in Tera"))
                        .help("use one of Tera's built-in filters (https://keats.github.io/tera/docs/#built-in-filters)");
                }
                _ => {
                    d = d
                        .at(Location::file(&path, 1, 1))
                        .label(reason)
                        .help("the variables each template receives are listed in preprocessor/README.md");
                }
            }
            d
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
            _ => {
                let path = self.shown(name);
                Err(Diagnostic::error(format!(
                    "template `{path}` must render `{{{{ body }}}}` exactly once"
                ))
                .at(Location::file(path, 1, 1))
                .help("the author's Markdown goes where `{{ body }}` is; keep it, once"))
            }
        }
    }

    fn source(&self, name: &str) -> &str {
        self.sources
            .iter()
            .find(|(n, _, _)| *n == name)
            .map_or("", |(_, _, t)| t.as_str())
    }

    /// Where a writer finds template `name`.
    pub(crate) fn shown<'a>(&'a self, name: &'a str) -> &'a str {
        self.sources
            .iter()
            .find(|(n, _, _)| *n == name)
            .map_or(name, |(_, shown, _)| shown.as_str())
    }
}

/// A warning for each file in the overrides folder that replaces nothing,
/// with the template it most likely meant.
fn unknown_files(dir: &Path, shown: &str, diags: &mut Diagnostics) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // Hidden files (`.gitkeep`, `.DS_Store`) are no one's template.
        .filter(|n| !n.starts_with('.') && !DEFAULTS.iter().any(|(d, _)| d == n))
        .collect();
    names.sort();
    for name in names {
        let path = format!("{shown}/{name}");
        let d = Diagnostic::warning(format!("`{path}` is not a template mdbook-gloss renders"))
            .at(Location::file(&path, 1, 1));
        diags.push(match suggest(&name, DEFAULTS.iter().map(|(d, _)| *d)) {
            Some(s) => d.help(format!("{s} (a file replaces the built-in template of its name)")),
            None => d.help("the templates are listed in preprocessor/README.md; a file replaces the built-in template of its name"),
        });
    }
}

/// Where the template uses variable `v`: the first whole-word occurrence
/// inside a `{{ … }}` or `{% … %}` tag (the same letters in the markup, such
/// as `id` in `class="gloss-id"`, are not it).
fn find_variable(text: &str, v: &str) -> Option<usize> {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
    let mut from = 0;
    while let Some(open) = text[from..].find(['{']).map(|i| from + i) {
        let rest = &text[open..];
        let close = match rest.get(..2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            _ => {
                from = open + 1;
                continue;
            }
        };
        let end = rest.find(close).map_or(text.len(), |i| open + i);
        let tag = &text[open + 2..end];
        let mut at = 0;
        while let Some(i) = tag[at..].find(v).map(|i| at + i) {
            let before = tag[..i].chars().next_back();
            let after = tag[i + v.len()..].chars().next();
            // A whole word, or the head of a property path (`source.title`).
            let ends = !word(after) || after == Some('.');
            if !word(before) && ends {
                return Some(open + 2 + i);
            }
            at = i + v.len();
        }
        from = end;
    }
    None
}

/// How every value a template prints is escaped: the seal between what an
/// author wrote and the markup around it. What we render is spliced into
/// Markdown that mdBook parses again, either as an HTML block (which a blank
/// line ends) or as inline HTML around the author's own text (where Markdown
/// still applies between our tags). So beyond Tera's HTML escaping, a value
/// keeps no character that Markdown would read as syntax there: no line
/// break (a blank line would end our block and let the rest run on as
/// Markdown), no link, emphasis or code-span delimiter (a `[x](javascript:…)`
/// in a source's `Cite as:` would become a live link in every citation, and
/// a backtick could swallow our closing tag into a code span), no backslash
/// (it would escape the `<` of our next tag), no `|` (it would split a table
/// cell a callout stands in). Each becomes a character reference, which
/// Markdown leaves as text and the browser shows as the character.
fn escape(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            // Tera's own escaping, but for its `/` as `&#x2F;`, which HTML
            // does not need and Markdown does not read (mdBook writes it
            // back as `/`): it was one byte in fifty of a book's output.
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            // Markdown's.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            '*' => out.push_str("&#42;"),
            '_' => out.push_str("&#95;"),
            '`' => out.push_str("&#96;"),
            '\\' => out.push_str("&#92;"),
            '~' => out.push_str("&#126;"),
            '|' => out.push_str("&#124;"),
            '$' => out.push_str("&#36;"),
            c => out.push(c),
        }
    }
    out
}

/// The inverse of [`escape`], for reading back what a template printed
/// (a callout's `data-gloss-term`: an id with a `_` is printed `&#95;`, and
/// read raw it named no term, so a second run called out a mention the
/// first had left alone; the fuzzer's, when `/` was printed `&#x2F;`). Decodes the named references
/// `escape` writes and every numeric one; anything else stays as written.
pub(crate) fn unescape(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A template that does not compile, pointed at the line and column Tera
/// reports (`--> 1:49`), with Tera's expectation as the label.
fn syntax_error(path: &str, text: &str, reason: &str) -> Diagnostic {
    let d = Diagnostic::error(format!("template `{path}` does not compile"));
    let position = reason.split("--> ").nth(1).and_then(|rest| {
        let (line, rest) = rest.split_once(':')?;
        let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((
            line.trim().parse::<usize>().ok()?,
            col.parse::<usize>().ok()?,
        ))
    });
    let expected = reason
        .split("= ")
        .nth(1)
        .unwrap_or(reason)
        .trim()
        .to_string();
    let offset = position.map(|(line, col)| {
        let start = text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum::<usize>();
        let line_text = text[start..].lines().next().unwrap_or("");
        let byte = line_text
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i);
        start + byte
    });
    match offset {
        Some(at) => d.at(Location::new(path, text, at..at + 1)).label(expected),
        None => d.at(Location::file(path, 1, 1)).label(expected),
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

#[cfg(test)]
mod tests;
