//! Reading one data file: serde reads it into a kind's layout ([`Spec`]),
//! then [`Checker`] checks the values, reporting each error at its file,
//! line and column. The kind-specific checks live with each kind of chart;
//! what every kind shares (the `kind` line, title, caption, description,
//! source, note, and the citations in sources) is here.

use std::ops::Range;

use mdbook_markdown::pulldown_cmark::{Event, Tag, TagEnd};
use serde::de::DeserializeOwned;
use toml::Spanned;

use super::format::{plain_number, smart};
use super::{Axis, Chart, Figure, Part, Source, bar, flow, line};
use crate::diagnostics::{Diagnostic, Diagnostics, Location, suggest};
use crate::markdown::{parse, unsafe_html};

/// Checks values and reports into the book's diagnostics, pointing into one
/// data file.
pub(super) struct Checker<'a> {
    path: &'a str,
    pub(super) text: &'a str,
    diags: &'a mut Diagnostics,
    errors: usize,
}

impl Checker<'_> {
    /// Reports an error at `span` of the data file.
    pub(super) fn error(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) {
        let mut d = Diagnostic::error(message)
            .at(Location::new(self.path, self.text, span))
            .label(label);
        if let Some(h) = help {
            d = d.help(h);
        }
        self.diags.push(d);
        self.errors += 1;
    }

    /// Reads a `source` string.
    pub(super) fn source(&mut self, s: &Spanned<String>) -> Source {
        let mut parts = Vec::new();
        let mut link: Option<(String, String)> = None;
        let push_text = |parts: &mut Vec<Part>, t: &str| match parts.last_mut() {
            Some(Part::Text(prev)) => prev.push_str(t),
            _ => parts.push(Part::Text(t.to_string())),
        };
        for (event, _) in parse(s.get_ref()) {
            match event {
                Event::Start(Tag::Link { dest_url, .. }) => match dest_url.strip_prefix("cite:") {
                    Some(id) => link = Some((id.to_string(), String::new())),
                    None => self.error(
                        s.span(),
                        "a source may only link to references",
                        format!("`{dest_url}` is not a `cite:` link"),
                        Some(
                            "write citations as in a chapter, `[§3.2](cite:l3)`; put other sources in references.md"
                                .into(),
                        ),
                    ),
                },
                Event::End(TagEnd::Link) => {
                    if let Some((id, locator)) = link.take() {
                        parts.push(Part::Cite {
                            id,
                            locator: locator.trim().to_string(),
                        });
                    }
                }
                Event::Text(t) | Event::Code(t) => match &mut link {
                    Some((_, locator)) => locator.push_str(&t),
                    None => push_text(&mut parts, &t),
                },
                Event::SoftBreak | Event::HardBreak => push_text(&mut parts, " "),
                Event::Html(h) | Event::InlineHtml(h) => {
                    // A comment left open hides the rest of the source; one
                    // closed has no place in a line of citations either.
                    let comment = h.trim_start().starts_with("<!--").then(|| "an HTML comment in a source".to_string());
                    if let Some(reason) = comment.or_else(|| unsafe_html(&h).map(|r| r.replace(" here", " in a source"))) {
                        self.error(
                            s.span(),
                            reason,
                            "a source holds citations and plain text",
                            Some("write citations as in a chapter, `[§3.2](cite:l3)`, and plain text".into()),
                        );
                        return Source { span: s.span(), parts };
                    }
                }
                _ => {}
            }
        }
        if parts.is_empty() {
            self.error(
                s.span(),
                "empty source",
                "every value needs a source",
                Some("cite it as in a chapter: `[§3.2, Table 3](cite:l3)`".into()),
            );
        }
        Source {
            span: s.span(),
            parts,
        }
    }

    /// Checks that `v` lies on `axis`.
    pub(super) fn on_axis(&mut self, v: &Spanned<f64>, axis: &Axis, what: &str) -> f64 {
        let x = *v.get_ref();
        if !(axis.min..=axis.max).contains(&x) {
            self.error(
                v.span(),
                format!("{what} {} is outside its axis", plain_number(x)),
                format!(
                    "the axis runs from {} to {}",
                    plain_number(axis.min),
                    plain_number(axis.max)
                ),
                Some("widen the axis (`min`, `max`) or correct the value".into()),
            );
        }
        x
    }
}

/// The kind line every data file starts with.
#[derive(serde::Deserialize)]
struct Head {
    kind: Option<Spanned<String>>,
}

/// What every kind of data file has, whatever else it holds.
pub(super) struct Common<'a> {
    /// `title`.
    pub(super) title: &'a str,
    /// `caption`.
    pub(super) caption: &'a str,
    /// `description`.
    pub(super) description: &'a str,
    /// `source`.
    pub(super) source: &'a Spanned<String>,
    /// `note`.
    pub(super) note: Option<&'a str>,
}

/// A kind's data-file layout, as serde reads it.
pub(super) trait Spec: DeserializeOwned {
    /// The fields every kind has.
    fn common(&self) -> Common<'_>;
    /// Checks the values; `None` if any is wrong (reported to `check`).
    fn check(self, check: &mut Checker<'_>) -> Option<Chart>;
}

fn read<S: Spec>(check: &mut Checker<'_>) -> Option<(Chart, [String; 3], Source, Option<String>)> {
    let spec: S = match toml::from_str(check.text) {
        Ok(s) => s,
        Err(err) => {
            check.diags.push(toml_error(check.path, check.text, &err));
            check.errors += 1;
            return None;
        }
    };
    let common = spec.common();
    let texts = [
        smart(common.title),
        smart(common.caption),
        smart(common.description),
    ];
    let note = common.note.map(smart);
    let source = common.source.clone();
    let source = check.source(&source);
    for (text, field) in texts.iter().zip(["title", "caption", "description"]) {
        if text.trim().is_empty() {
            let at = key_offset(check.text, field);
            check.error(
                at..at + field.len(),
                format!("empty `{field}`"),
                "write something here",
                Some(format!(
                    "every figure needs a `{field}`; see CONTRIBUTING.md, \"Figures\""
                )),
            );
        }
    }
    let chart = spec.check(check)?;
    (check.errors == 0).then_some((chart, texts, source, note))
}

/// Where `key =` starts in a data file (0 if it cannot be found).
pub(super) fn key_offset(text: &str, key: &str) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with(key) && t[key.len()..].trim_start().starts_with('=') {
            return offset + (line.len() - t.len());
        }
        offset += line.len();
    }
    0
}

impl Figure {
    /// Reads and checks one data file; errors go to `diags`.
    pub(super) fn parse(
        name: &str,
        path: &str,
        text: &str,
        diags: &mut Diagnostics,
    ) -> Option<Figure> {
        let head: Head = match toml::from_str(text) {
            Ok(h) => h,
            Err(err) => {
                diags.push(toml_error(path, text, &err));
                return None;
            }
        };
        if let Some(at) = non_finite(text) {
            let word = text[at..]
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '+' && c != '-')
                .next()
                .unwrap_or("");
            diags.push(
                Diagnostic::error(format!("`{word}` is not a number a figure can draw"))
                    .at(Location::new(path, text, at..at + word.len()))
                    .label("figure values are finite numbers")
                    .help("write the value, or leave the field out where it is optional"),
            );
            return None;
        }
        let Some(kind) = head.kind else {
            diags.push(
                Diagnostic::error("figure data without a `kind`")
                    .at(Location::file(path, 1, 1))
                    .help("start the file with `kind = \"line\"`, `kind = \"bar\"` or `kind = \"flow\"`"),
            );
            return None;
        };
        let mut check = Checker {
            path,
            text,
            diags,
            errors: 0,
        };
        let read = match kind.get_ref().as_str() {
            "line" => read::<line::Spec>(&mut check),
            "bar" => read::<bar::Spec>(&mut check),
            "flow" => read::<flow::Spec>(&mut check),
            other => {
                let help = suggest(other, ["line", "bar", "flow"])
                    .unwrap_or_else(|| "the kinds are `line`, `bar` and `flow`".into());
                check.error(
                    kind.span(),
                    format!("unknown figure kind `{other}`"),
                    "not one of line, bar, flow",
                    Some(help),
                );
                None
            }
        };
        let (chart, [title, caption, description], source, note) = read?;
        Some(Figure {
            name: name.to_string(),
            path: path.to_string(),
            text: text.to_string(),
            title,
            caption,
            description,
            source,
            note,
            chart,
        })
    }
}

/// A serde error from `toml`, at its span, with the allowed names moved to
/// a suggestion.
fn toml_error(path: &str, text: &str, err: &toml::de::Error) -> Diagnostic {
    let message = err
        .message()
        .lines()
        .next()
        .unwrap_or("invalid data")
        .trim();
    let (reason, expected) = match message.split_once(", expected ") {
        Some((r, e)) => (r.to_string(), Some(e.to_string())),
        None => (message.to_string(), None),
    };
    let mut d = Diagnostic::error(format!("invalid figure data: {reason}"));
    d = match err.span() {
        Some(span) => d.at(Location::new(path, text, span)),
        None => d.at(Location::file(path, 1, 1)),
    };
    if let Some(expected) = expected {
        let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let unknown = reason.split('`').nth(1).unwrap_or("");
        let what = if names.is_empty() {
            format!("expected {}", expected.replace("f64", "a number"))
        } else {
            format!("expected {expected}")
        };
        d = match suggest(unknown, names.iter().copied()) {
            Some(s) if !unknown.is_empty() => d.label(what).help(s),
            _ => d.label(what),
        };
    }
    if d.help.is_none() {
        let help = match reason.strip_prefix("missing field `") {
            Some(rest) => format!(
                "add `{} = …` here; CONTRIBUTING.md, \"Figures\", says what each field holds",
                rest.split('`').next().unwrap_or("")
            ),
            None => "CONTRIBUTING.md, \"Figures\", lists each kind's fields and what they hold"
                .to_string(),
        };
        d = d.help(help);
    }
    d
}

/// Where `text`, a TOML file, writes one of TOML's special floats (`inf`,
/// `nan`, signed or not) as a value: the one kind of number no check of a
/// field's range refuses, since every comparison with NaN is false. Strings
/// and comments are skipped.
pub(super) fn non_finite(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => i = text[i..].find('\n').map_or(bytes.len(), |n| i + n),
            quote @ (b'"' | b'\'') => {
                let triple = text[i..].starts_with(if quote == b'"' { "\"\"\"" } else { "\'\'\'" });
                let delimiter = &text[i..i + if triple { 3 } else { 1 }];
                let mut j = i + delimiter.len();
                loop {
                    match text[j..].find(delimiter) {
                        None => return None,
                        Some(n) => {
                            let at = j + n;
                            // A basic string's quote may be escaped.
                            let escaped = quote == b'"'
                                && text[j..at]
                                    .bytes()
                                    .rev()
                                    .take_while(|&b| b == b'\\')
                                    .count()
                                    % 2
                                    == 1;
                            j = at + delimiter.len();
                            if !escaped {
                                break;
                            }
                        }
                    }
                }
                i = j;
            }
            b'=' | b'[' | b',' | b'{' => {
                // A value starts after white space.
                let start = i + 1 + text[i + 1..].len()
                    - text[i + 1..].trim_start_matches([' ', '\t']).len();
                let word: String = text[start..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-'))
                    .collect();
                if matches!(
                    word.as_str(),
                    "inf" | "+inf" | "-inf" | "nan" | "+nan" | "-nan"
                ) {
                    return Some(start);
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}
