//! Figures drawn from data at build time.
//!
//! A chapter places a figure with a paragraph that holds nothing but a link
//! whose destination is `figure:<name>`; the link text is the caption:
//!
//! ```markdown
//! [Compute-optimal training tokens against compute](figure:scaling-law)
//! ```
//!
//! `<name>` is the stem of a data file, `src/data/<name>.toml`. Every data
//! file is read and checked with serde before any chapter changes; values
//! keep their spans, so a bad one is reported at its file, line and column.
//! Sources are written in the chapters' own citation syntax
//! (`"[§3.2.1, Fig. 3](cite:l3)"`) and checked against the references.
//!
//! For the HTML renderer the paragraph becomes a `<figure>`: an inline SVG
//! (viewBox-based, colours from the `--gloss-fig-*` custom properties of
//! `theme/figures.css`), a legend, the caption with its source, and the data
//! as a table in a `<details>`. The Rust side computes only geometry; the
//! markup comes from the templates `figure.html`, `figure-line.html`,
//! `figure-bar.html` and `figure-flow.html` in `theme/gloss/`. For any other
//! renderer the paragraph becomes the caption and a Markdown table.
//!
//! One module per kind of chart: [`line`] (linear or logarithmic axes),
//! [`bar`] (horizontal bars, single or grouped) and [`flow`] (boxes and
//! arrows, with a loop back to the start).

use std::ops::Range;
use std::path::Path;

use mdbook_markdown::pulldown_cmark::{Event, Tag, TagEnd};
use serde::Serialize;
use serde::de::DeserializeOwned;
use toml::Spanned;

use crate::book::Book;
use crate::diagnostics::{Diagnostic, Diagnostics, Location, suggest};
use crate::links::relative;
use crate::markdown::md_escape;
use crate::markdown::{parse, plain_text_of};
use crate::references::References;
use crate::scan::{RefKind, Scan};

pub mod bar;
pub mod flow;
pub mod line;

/// Width of every chart's viewBox, in user units. Text is never smaller
/// than [`FONT`] units, so it stays at 12 px or more on a 390 px phone,
/// where mdBook leaves about 350 px for the content.
pub const WIDTH: f64 = 460.0;
/// The smallest font size in a chart, in user units.
pub const FONT: f64 = 16.0;

/// Every data file of the book, read and checked.
#[derive(Debug, Default)]
pub struct Figures {
    /// The stem of every data file, valid or not, sorted: a chapter that
    /// names a file with an error gets that file's error, not a second one.
    names: Vec<String>,
    /// The valid figures, sorted by name.
    list: Vec<Figure>,
}

/// One figure, as read from its data file.
#[derive(Debug, Clone)]
pub struct Figure {
    /// The file's stem, as written after `figure:`.
    pub name: String,
    /// The file as a writer knows it: `src/data/<name>.toml`.
    pub path: String,
    /// The file's text, for diagnostics.
    pub text: String,
    /// A short name for the chart (the SVG's `<title>`).
    pub title: String,
    /// The caption, used when the directive's link text is empty.
    pub caption: String,
    /// What the chart shows, in words (the SVG's `<desc>`).
    pub description: String,
    /// Where the data come from.
    pub source: Source,
    /// A remark printed after the caption.
    pub note: Option<String>,
    /// The chart.
    pub chart: Chart,
}

/// The kinds of chart.
#[derive(Debug, Clone)]
pub enum Chart {
    /// A line chart.
    Line(line::Line),
    /// A bar chart.
    Bar(bar::Bar),
    /// A flow diagram.
    Flow(flow::Flow),
}

/// A `source` string: text and citations in the chapters' syntax.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// Byte range of the string in its data file.
    pub span: Range<usize>,
    /// Its pieces, in order.
    pub parts: Vec<Part>,
}

/// A piece of a [`Source`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Plain text.
    Text(String),
    /// `[locator](cite:id)`.
    Cite {
        /// The reference id.
        id: String,
        /// Where in the source: section, table, figure; may be empty.
        locator: String,
    },
}

/// How the values of an axis are written in labels and tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// `405`, with the axis unit: `405B`.
    #[default]
    Plain,
    /// `16.55T`, `1.4B`, `250K`.
    Si,
    /// `3.8 × 10²⁵`.
    Power,
}

/// Checks values and reports into the book's diagnostics, pointing into one
/// data file.
pub struct Checker<'a> {
    path: &'a str,
    text: &'a str,
    diags: &'a mut Diagnostics,
    errors: usize,
}

impl Checker<'_> {
    /// Reports an error at `span` of the data file.
    pub fn error(
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
    pub fn source(&mut self, s: &Spanned<String>) -> Source {
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
    pub fn on_axis(&mut self, v: &Spanned<f64>, axis: &Axis, what: &str) -> f64 {
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

/// An axis, checked.
#[derive(Debug, Clone)]
pub struct Axis {
    /// Its title.
    pub label: String,
    /// Whether it is logarithmic.
    pub log: bool,
    /// The smallest value shown.
    pub min: f64,
    /// The largest value shown.
    pub max: f64,
    /// How values are written.
    pub format: Format,
    /// A unit written after plain values: `B` gives `405B`.
    pub unit: String,
}

impl Axis {
    /// Where `v` sits along the axis, from 0 (at `min`) to 1 (at `max`).
    pub fn t(&self, v: f64) -> f64 {
        if self.log {
            (v.log10() - self.min.log10()) / (self.max.log10() - self.min.log10())
        } else {
            (v - self.min) / (self.max - self.min)
        }
    }

    /// A value as written on this axis.
    pub fn cell(&self, v: f64, significant: usize) -> Vec<Piece> {
        format_value(v, self.format, &self.unit, significant)
    }
}

impl Figures {
    /// Reads every `*.toml` file of `dir` (shown to writers as `shown`). A
    /// book without the folder has no figures.
    pub fn load(dir: &Path, shown: &str, diags: &mut Diagnostics) -> Figures {
        let mut figures = Figures::default();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return figures;
        };
        let mut paths: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let file = format!("{shown}/{stem}.toml");
            match std::fs::read_to_string(&path) {
                Ok(text) => figures.add(&stem, &file, &text, diags),
                Err(err) => diags.push(
                    Diagnostic::error(format!("cannot read figure data `{file}`: {err}"))
                        .at(Location::file(&file, 1, 1))
                        .help("save it as UTF-8 text"),
                ),
            }
        }
        figures
    }

    /// Reads one data file, `name` being its stem and `path` its path as a
    /// writer knows it.
    pub fn add(&mut self, name: &str, path: &str, text: &str, diags: &mut Diagnostics) {
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            diags.push(
                Diagnostic::error(format!("figure data file name `{name}.toml` is not an id"))
                    .at(Location::file(path, 1, 1))
                    .help("name data files with lower-case letters, digits and `-`, like `scaling-law.toml`"),
            );
            return;
        }
        self.names.push(name.to_string());
        self.names.sort();
        if let Some(figure) = Figure::parse(name, path, text, diags) {
            let at = self.list.partition_point(|f| f.name.as_str() < name);
            self.list.insert(at, figure);
        }
    }

    #[cfg(any(test, feature = "testing"))]
    /// Whether a data file called `name` exists.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.names.binary_search_by(|n| n.as_str().cmp(name)).ok()
    }

    /// Every data file's name, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    /// The valid figure called `name`.
    pub fn get(&self, name: &str) -> Option<&Figure> {
        self.list
            .binary_search_by(|f| f.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.list[i])
    }

    #[cfg(any(test, feature = "testing"))]
    /// The valid figures, by name.
    pub fn iter(&self) -> impl Iterator<Item = &Figure> {
        self.list.iter()
    }

    /// What needs the whole book: every citation in the data names a
    /// reference, and every figure is placed in some chapter (a warning).
    pub fn check(&self, references: &References, scans: &[Scan], diags: &mut Diagnostics) {
        // An unplaced figure is worth a warning only in a book with no errors:
        // a misspelt `figure:` link already says what is wrong.
        let quiet = diags.error_count() > 0;
        for figure in &self.list {
            for source in figure.sources() {
                for part in &source.parts {
                    let Part::Cite { id, .. } = part else {
                        continue;
                    };
                    if references.position(id).is_some() {
                        continue;
                    }
                    let mut d = Diagnostic::error(format!("unknown reference id `{id}`"))
                        .at(Location::new(
                            &figure.path,
                            &figure.text,
                            source.span.clone(),
                        ))
                        .label("no entry in the references chapter has this id");
                    if let Some(s) = suggest(id, references.refs.iter().map(|r| r.id.as_str())) {
                        d = d.help(s);
                    }
                    diags.push(d);
                }
            }
            let placed = scans.iter().any(|s| {
                s.refs
                    .iter()
                    .any(|r| r.kind == RefKind::Figure && r.target == figure.name)
            });
            if !placed && !quiet {
                diags.push(
                    Diagnostic::warning(format!(
                        "figure `{}` is not placed in any chapter",
                        figure.name
                    ))
                    .at(Location::file(&figure.path, 1, 1))
                    .help(format!(
                        "place it with a paragraph of its own: `[Caption](figure:{})`",
                        figure.name
                    )),
                );
            }
        }
    }
}

/// The kind line every data file starts with.
#[derive(serde::Deserialize)]
struct Head {
    kind: Option<Spanned<String>>,
}

/// What every kind of data file has, whatever else it holds.
pub struct Common<'a> {
    /// `title`.
    pub title: &'a str,
    /// `caption`.
    pub caption: &'a str,
    /// `description`.
    pub description: &'a str,
    /// `source`.
    pub source: &'a Spanned<String>,
    /// `note`.
    pub note: Option<&'a str>,
}

/// A kind's data-file layout, as serde reads it.
pub trait Spec: DeserializeOwned {
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
pub(crate) fn key_offset(text: &str, key: &str) -> usize {
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
    pub fn parse(name: &str, path: &str, text: &str, diags: &mut Diagnostics) -> Option<Figure> {
        let head: Head = match toml::from_str(text) {
            Ok(h) => h,
            Err(err) => {
                diags.push(toml_error(path, text, &err));
                return None;
            }
        };
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

    /// Every source of the figure: its own, then those of its items.
    pub fn sources(&self) -> Vec<&Source> {
        let mut out = vec![&self.source];
        match &self.chart {
            Chart::Line(c) => out.extend(c.sources()),
            Chart::Bar(c) => out.extend(c.sources()),
            Chart::Flow(c) => out.extend(c.sources()),
        }
        out
    }

    fn kind(&self) -> &'static str {
        match self.chart {
            Chart::Line(_) => "line",
            Chart::Bar(_) => "bar",
            Chart::Flow(_) => "flow",
        }
    }

    /// The chart's geometry for its template, and its height.
    fn layout(&self) -> (serde_json::Value, f64) {
        match &self.chart {
            Chart::Line(c) => c.layout(),
            Chart::Bar(c) => c.layout(),
            Chart::Flow(c) => c.layout(),
        }
    }

    fn legend(&self) -> Vec<LegendItem> {
        match &self.chart {
            Chart::Line(c) => c.legend(),
            Chart::Bar(c) => c.legend(),
            Chart::Flow(_) => Vec::new(),
        }
    }

    /// The data as a table.
    pub fn table(&self) -> Table {
        match &self.chart {
            Chart::Line(c) => c.table(),
            Chart::Bar(c) => c.table(),
            Chart::Flow(c) => c.table(),
        }
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
    d
}

/// Piece of text in a label or a table cell: text with an optional
/// superscript (an exponent), or a citation.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Piece {
    /// Plain text.
    pub text: String,
    /// A superscript after it.
    pub sup: Option<String>,
    /// For a citation: its text, "(Llama Team 2024, §3.2.1)".
    pub cite: Option<String>,
    /// For a citation: the link to the references page.
    pub href: Option<String>,
}

impl Piece {
    /// Plain text.
    pub fn text(t: impl Into<String>) -> Piece {
        Piece {
            text: t.into(),
            ..Piece::default()
        }
    }
}

/// Typographic quotes, as mdBook's smart punctuation gives the chapters:
/// `'` becomes ‘ or ’, `"` becomes “ or ”, `--` an en dash and `...` an
/// ellipsis.
pub fn smart(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev: Option<char> = None;
    let opens = |p: Option<char>| p.is_none_or(|c| c.is_whitespace() || "([{—–-/".contains(c));
    for c in text.replace("...", "…").replace("--", "–").chars() {
        let s = match c {
            '\'' if opens(prev) => '‘',
            '\'' => '’',
            '"' if opens(prev) => '“',
            '"' => '”',
            c => c,
        };
        out.push(s);
        prev = Some(c);
    }
    out
}

/// Text in which `^` starts a superscript that runs to the next space or
/// punctuation other than `.` and `-` inside it: `10^25 FLOPs`, `C^0.537`.
pub fn rich(text: &str) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('^') {
        let after = &rest[at + 1..];
        let len = after
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '.' || c == '-' || c == '−'))
            .map_or(after.len(), |(i, _)| i);
        let mut sup = &after[..len];
        // A full stop after the exponent ends the sentence.
        while let Some(s) = sup.strip_suffix('.') {
            sup = s;
        }
        if sup.is_empty() {
            out.push(Piece::text(&rest[..at + 1]));
        } else {
            out.push(Piece {
                text: rest[..at].to_string(),
                sup: Some(sup.to_string()),
                ..Piece::default()
            });
        }
        rest = &after[sup.len()..];
    }
    if !rest.is_empty() || out.is_empty() {
        out.push(Piece::text(rest));
    }
    out
}

/// One cell of a data table: text pieces, or a source.
#[derive(Debug, Clone)]
pub enum Cell {
    /// Text, numbers with exponents.
    Pieces(Vec<Piece>),
    /// A source, its citations resolved when rendered.
    Source(Source, Option<String>),
}

impl Cell {
    /// A text cell; `^` starts a superscript (see [`rich`]).
    pub fn text(t: impl AsRef<str>) -> Cell {
        Cell::Pieces(rich(t.as_ref()))
    }
}

/// A figure's data, as rows.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column headings.
    pub columns: Vec<String>,
    /// The rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
}

/// An entry of a chart's legend.
#[derive(Debug, Clone, Serialize)]
pub struct LegendItem {
    /// The text, with superscripts.
    pub label: Vec<Piece>,
    /// What the swatch shows: `line`, `dashed`, `band`, `bar`, `outline`,
    /// or a marker shape (`circle`, `dot`, `diamond`, `square`).
    pub swatch: String,
    /// The colour class, `gloss-fig-c1`….
    pub class: String,
}

#[derive(Serialize)]
struct View<'a> {
    id: &'a str,
    number: usize,
    kind: &'static str,
    title: &'a str,
    description: &'a str,
    caption: Vec<Piece>,
    note: Vec<Piece>,
    source: Vec<Piece>,
    width: String,
    height: String,
    chart: serde_json::Value,
    legend: Vec<LegendItem>,
    columns: &'a [String],
    rows: Vec<Vec<Vec<Piece>>>,
    data_href: String,
    data_name: String,
}

/// The text that replaces the figure paragraph `ri` of chapter `ci`: the
/// rendered figure for HTML, the caption and a table otherwise.
pub fn render(
    book: &Book<'_>,
    figures: &Figures,
    references: &References,
    ci: usize,
    ri: usize,
) -> Result<String, Diagnostic> {
    let chapter = &book.chapters[ci];
    let r = &book.scans[ci].refs[ri];
    let figure = figures.get(&r.target).ok_or_else(|| {
        Diagnostic::error(format!("internal: figure `{}` was not read", r.target))
    })?;
    let html = book.html();
    let number = book.index.figure_numbers[ci][ri];
    let written = r
        .text
        .as_ref()
        .map(|t| &chapter.content[t.clone()])
        .filter(|t| !t.trim().is_empty());
    let cite = |source: &Source, extra: &Option<String>| -> Vec<Piece> {
        let mut out: Vec<Piece> = source
            .parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => Piece::text(t.clone()),
                Part::Cite { id, locator } => {
                    let short = references
                        .position(id)
                        .map_or(id.as_str(), |i| references.refs[i].cite_as.as_str());
                    let text = if locator.is_empty() {
                        format!("({short})")
                    } else {
                        format!("({short}, {locator})")
                    };
                    Piece {
                        cite: Some(text),
                        href: book.references_chapter.map(|rc| {
                            relative(&chapter.path, &book.chapters[rc].path, Some(id), html)
                        }),
                        ..Piece::default()
                    }
                }
            })
            .collect();
        if let Some(e) = extra {
            out.push(Piece::text(e.clone()));
        }
        out
    };
    let table = figure.table();
    let rows: Vec<Vec<Vec<Piece>>> = table
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Cell::Pieces(p) => p.clone(),
                    Cell::Source(s, extra) => cite(s, extra),
                })
                .collect()
        })
        .collect();
    let source = cite(&figure.source, &None);
    let Some(templates) = book.templates() else {
        return Ok(markdown(
            figure,
            number,
            written,
            &source,
            &table.columns,
            &rows,
        ));
    };
    let mut caption = written.map_or_else(|| figure.caption.clone(), plain_text_of);
    if !caption.ends_with(['.', '!', '?']) {
        caption.push('.');
    }
    let (chart, height) = figure.layout();
    let view = View {
        id: &book.index.anchors[ci][ri],
        number,
        kind: figure.kind(),
        title: &figure.title,
        description: &figure.description,
        caption: rich(&caption),
        note: figure.note.as_deref().map(rich).unwrap_or_default(),
        source,
        width: coord(WIDTH),
        height: coord(height),
        chart,
        legend: figure.legend(),
        columns: &table.columns,
        rows,
        data_href: relative(
            &chapter.path,
            &format!("data/{}.toml", figure.name),
            None,
            false,
        ),
        data_name: format!("{}.toml", figure.name),
    };
    let out = templates.render("figure.html", &view)?;
    // An HTML block ends at the first blank line: the figure has none.
    Ok(out
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n"))
}

/// Pieces as Markdown: exponents as `^`, citations as links.
fn md_pieces(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match (&p.cite, &p.href) {
            (Some(c), Some(h)) => format!("[{}]({h})", md_escape(c)),
            (Some(c), None) => md_escape(c),
            _ => match &p.sup {
                Some(s) => format!("{}^{}", md_escape(&p.text), md_escape(s)),
                None => md_escape(&p.text),
            },
        })
        .collect()
}

/// The figure for renderers other than HTML: a caption paragraph and the
/// data as a Markdown table.
fn markdown(
    figure: &Figure,
    number: usize,
    written: Option<&str>,
    source: &[Piece],
    columns: &[String],
    rows: &[Vec<Vec<Piece>>],
) -> String {
    let mut caption = written.map_or_else(|| md_escape(&figure.caption), |w| w.trim().to_string());
    if !caption.ends_with(['.', '!', '?']) {
        caption.push('.');
    }
    let mut out = format!(
        "**Figure {number}.** {caption} Source: {}.",
        md_pieces(source)
    );
    if let Some(note) = &figure.note {
        out.push(' ');
        out.push_str(&md_pieces(&rich(note)));
    }
    out.push_str("\n\n|");
    for c in columns {
        out.push_str(&format!(" {} |", md_escape(c)));
    }
    out.push_str("\n|");
    out.push_str(&"---|".repeat(columns.len()));
    for row in rows {
        out.push_str("\n|");
        for cell in row {
            out.push_str(&format!(" {} |", md_pieces(cell)));
        }
    }
    out.push('\n');
    out
}

/// A coordinate: one decimal at most.
pub fn coord(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// `v` rounded to `significant` digits.
pub fn round_sig(v: f64, significant: usize) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let digits = significant as i32 - 1 - v.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits);
    (v * scale).round() / scale
}

/// A number as short as it can be written: `405`, `16.55`, `0.537`.
pub fn plain_number(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e7 || v.abs() < 1e-3) {
        let exp = v.abs().log10().floor() as i32;
        let mantissa = round_sig(v / 10f64.powi(exp), 4);
        return format!("{mantissa}e{exp}");
    }
    format!("{}", round_sig(v, 6))
}

/// `v` written in `format`, to `significant` digits.
pub fn format_value(v: f64, format: Format, unit: &str, significant: usize) -> Vec<Piece> {
    let v = round_sig(v, significant);
    match format {
        Format::Plain => vec![Piece::text(format!("{}{unit}", plain_number(v)))],
        Format::Si => {
            let (div, suffix) = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")]
                .into_iter()
                .find(|(d, _)| v.abs() >= *d)
                .unwrap_or((1.0, ""));
            let n = round_sig(v / div, significant);
            vec![Piece::text(format!("{n}{suffix}{unit}"))]
        }
        Format::Power => {
            if v == 0.0 {
                return vec![Piece::text(format!("0{unit}"))];
            }
            let exp = v.abs().log10().floor() as i32;
            let mantissa = round_sig(v / 10f64.powi(exp), significant);
            let (mantissa, exp) = if mantissa.abs() >= 10.0 {
                (mantissa / 10.0, exp + 1)
            } else {
                (mantissa, exp)
            };
            let text = if mantissa == 1.0 {
                "10".to_string()
            } else {
                format!("{mantissa} × 10")
            };
            let mut out = vec![Piece {
                text,
                sup: Some(exp.to_string()),
                ..Piece::default()
            }];
            if !unit.is_empty() {
                out.push(Piece::text(unit));
            }
            out
        }
    }
}

/// Roughly how wide `text` is at font size `size` in the book's sans-serif
/// font, a little generous so labels never collide.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' | '(' | ')' => 0.3,
            'f' | 't' | 'r' | ' ' | '/' | '-' => 0.36,
            'm' | 'w' | 'M' | 'W' | '—' | '×' => 0.88,
            c if c.is_ascii_uppercase() => 0.68,
            c if c.is_ascii_digit() => 0.58,
            _ => 0.56,
        })
        .sum();
    em * size * if bold { 1.08 } else { 1.0 }
}

/// `text` broken into lines no wider than `width`.
pub fn wrap(text: &str, width: f64, size: f64, bold: bool) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}"), size, bold) <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// "Nice" steps for a linear axis from `min` to `max`: 1, 2 or 5 times a
/// power of ten, giving at most `most` intervals.
pub fn linear_ticks(min: f64, max: f64, most: usize) -> Vec<f64> {
    let span = max - min;
    if span <= 0.0 {
        return vec![min];
    }
    let raw = span / most.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let first = (min / step).ceil() as i64;
    let last = (max / step + 1e-9).floor() as i64;
    (first..=last)
        .map(|i| round_sig(i as f64 * step, 12))
        .collect()
}

/// A tick on a logarithmic axis: a power of ten, labelled or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogTick {
    /// The exponent.
    pub exp: i32,
    /// Whether it gets a label.
    pub labelled: bool,
}

/// The powers of ten from `min` to `max`, labelling every one when there
/// are at most `labels` of them, else every second, third…, always
/// including the first.
pub fn log_ticks(min: f64, max: f64, labels: usize) -> Vec<LogTick> {
    let lo = (min.log10() - 1e-9).ceil() as i32;
    let hi = (max.log10() + 1e-9).floor() as i32;
    let count = (hi - lo + 1).max(0) as usize;
    let step = count.div_ceil(labels.max(1)).max(1) as i32;
    (lo..=hi)
        .map(|exp| LogTick {
            exp,
            labelled: (exp - lo) % step == 0,
        })
        .collect()
}

#[cfg(test)]
mod tests;
