//! Errors and warnings a writer can act on: file, line and column, a one-line
//! reason, a label at the exact span and a suggestion where one exists.
//!
//! Every pass reports into one [`Diagnostics`] and keeps going, so a build
//! shows every problem at once; the run fails at the end if any error was
//! reported (or any warning, with `deny-warnings`). Rendering is done by
//! `annotate-snippets`, the crate rustc uses, so the output looks like rustc's.

use std::fmt::Write as _;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Fails the build.
    Error,
    /// Printed; fails the build only with `deny-warnings`.
    Warning,
}

/// A place in a source file, with the text of its line for the snippet.
#[derive(Debug, Clone)]
pub struct Location {
    /// The path as a writer knows it, e.g. `src/glossary.md`.
    pub path: String,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    line_text: String,
    /// Byte range of the span inside `line_text`.
    span: Range<usize>,
}

impl Location {
    /// Locates `span` (byte offsets into `text`) in the file `path`.
    /// A span that runs over several lines is shown on its first line.
    pub fn new(path: &str, text: &str, span: Range<usize>) -> Location {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[..start].bytes().filter(|&b| b == b'\n').count() + 1;
        let mut line_text = text[line_start..line_end].to_string();
        if line_text.ends_with('\r') {
            line_text.pop();
        }
        let column = text[line_start..start].chars().count() + 1;
        let rel_start = (start - line_start).min(line_text.len());
        let rel_end = (end.min(line_end) - line_start).clamp(rel_start, line_text.len());
        Location {
            path: path.to_string(),
            line,
            column,
            line_text,
            span: rel_start..rel_end,
        }
    }

    /// A location for a whole file, or a file whose text we do not have.
    pub fn file(path: &str, line: usize, column: usize) -> Location {
        Location {
            path: path.to_string(),
            line,
            column,
            line_text: String::new(),
            span: 0..0,
        }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem found in the book.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The one-line reason.
    pub message: String,
    /// Where it is, if it is anywhere in particular (boxed: diagnostics
    /// travel in `Result`s and should stay small).
    pub location: Option<Box<Location>>,
    /// The label under the span.
    pub label: Option<String>,
    /// A suggestion: `help: …`.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error with a one-line reason.
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            label: None,
            help: None,
        }
    }

    /// A warning with a one-line reason.
    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Points the diagnostic at a place.
    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(Box::new(location));
        self
    }

    /// Labels the span.
    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    /// Adds a suggestion.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Renders the diagnostic the way rustc would, without colour.
    pub fn render(&self) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(&self.message);
        let group = match &self.location {
            None => Group::with_title(title),
            Some(loc) if loc.line_text.is_empty() && loc.span.is_empty() => {
                // No text to show: still say where, and why.
                let what = self
                    .label
                    .as_deref()
                    .map(|l| format!(": {l}"))
                    .unwrap_or_default();
                Group::with_title(title).element(
                    Level::NOTE
                        .message(format!("in {}:{}:{}{what}", loc.path, loc.line, loc.column)),
                )
            }
            Some(loc) => {
                let mut annotation = AnnotationKind::Primary.span(loc.span.clone());
                if let Some(label) = &self.label {
                    annotation = annotation.label(label);
                }
                Group::with_title(title).element(
                    Snippet::source(&loc.line_text)
                        .line_start(loc.line)
                        .path(&loc.path)
                        .annotation(annotation),
                )
            }
        };
        let mut report = vec![group];
        if let Some(help) = &self.help {
            report.push(Group::with_title(Level::HELP.secondary_title(help)));
        }
        Renderer::plain().render(&report)
    }

    /// The diagnostic as a GitHub Actions workflow command, which GitHub
    /// shows as an annotation on the line of the pull request's diff:
    /// `::error file=src/a.md,line=3,col=5,title=reason::label%0Ahelp: …`.
    /// `prefix` is the book's root from the repository's (`docs/`, or empty),
    /// put before the path; the title is the one-line reason, the message
    /// the label and the suggestion (or the reason again if there are none).
    pub fn workflow_command(&self, prefix: &str) -> String {
        let command = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut properties = Vec::new();
        if let Some(loc) = &self.location {
            properties.push(format!(
                "file={}",
                escape_property(&format!("{prefix}{}", loc.path))
            ));
            if loc.line > 0 {
                properties.push(format!("line={}", loc.line));
                if loc.column > 0 {
                    properties.push(format!("col={}", loc.column));
                }
            }
        }
        properties.push(format!("title={}", escape_property(&self.message)));
        let mut message: Vec<String> = self.label.iter().cloned().collect();
        if let Some(help) = &self.help {
            message.push(format!("help: {help}"));
        }
        if message.is_empty() {
            message.push(self.message.clone());
        }
        format!(
            "::{command} {}::{}",
            properties.join(","),
            escape_data(&message.join("\n"))
        )
    }

    #[cfg(any(test, feature = "testing"))]
    /// `path:line:col: reason`, for one-line summaries and tests.
    pub fn short(&self) -> String {
        match &self.location {
            Some(loc) => format!("{}:{}:{}: {}", loc.path, loc.line, loc.column, self.message),
            None => self.message.clone(),
        }
    }
}

/// Everything reported during one run.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Number of errors so far.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings so far.
    pub fn warning_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// Whether an error was already reported in `path` between these lines
    /// (1-based, inclusive): a later check of the same text can then stay
    /// quiet instead of reporting a consequence of it.
    pub fn has_error_within(&self, path: &str, lines: std::ops::RangeInclusive<usize>) -> bool {
        self.items.iter().any(|d| {
            d.severity == Severity::Error
                && d.location
                    .as_ref()
                    .is_some_and(|l| l.path == path && lines.contains(&l.line))
        })
    }

    /// All diagnostics, in the order they were reported.
    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    /// Whether the run must stop here.
    pub fn is_fatal(&self, deny_warnings: bool) -> bool {
        self.error_count() > 0 || (deny_warnings && self.warning_count() > 0)
    }

    /// Every diagnostic as a GitHub Actions workflow command, one a line
    /// (see [`Diagnostic::workflow_command`]).
    pub fn workflow_commands(&self, prefix: &str) -> String {
        self.items
            .iter()
            .map(|d| d.workflow_command(prefix) + "\n")
            .collect()
    }

    /// All diagnostics rendered, followed by a one-line summary.
    pub fn render(&self, deny_warnings: bool) -> String {
        let mut out = String::new();
        for d in &self.items {
            out.push_str(&d.render());
            out.push_str("\n\n");
        }
        let (errors, warnings) = (self.error_count(), self.warning_count());
        if errors > 0 || (deny_warnings && warnings > 0) {
            let _ = write!(
                out,
                "error: mdbook-gloss found {} in the book; nothing was written",
                plural(errors + if deny_warnings { warnings } else { 0 }, "problem")
            );
            if deny_warnings && warnings > 0 {
                out.push_str(" (warnings are errors: deny-warnings is on)");
            }
        } else if warnings > 0 {
            let _ = write!(
                out,
                "warning: mdbook-gloss found {}",
                plural(warnings, "warning")
            );
        }
        out
    }
}

/// A workflow command's message, escaped as GitHub requires: `%`, CR, LF.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: as a message, and `:` and `,` too.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The closest known names to `unknown`, for a "did you mean" suggestion.
pub(crate) fn suggest<'a>(
    unknown: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut best: Vec<(f64, &str)> = known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), k))
        // Close by shape, or (for short ids) by one or two edits.
        .filter(|(score, k)| {
            *score >= 0.8 || strsim::levenshtein(unknown, k) <= (unknown.chars().count() / 3).max(1)
        })
        .collect();
    best.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let names: Vec<String> = best.iter().take(3).map(|(_, k)| format!("`{k}`")).collect();
    match names.len() {
        0 => None,
        1 => Some(format!("did you mean {}?", names[0])),
        _ => Some(format!("did you mean one of {}?", names.join(", "))),
    }
}

#[cfg(test)]
mod tests;
