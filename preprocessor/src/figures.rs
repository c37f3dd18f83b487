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
//! `preprocessor/assets/gloss-figures.css`), a legend, the caption with its source, and the data
//! as a table in a `<details>`. The Rust side computes only geometry; the
//! markup comes from the templates `figure.html`, `figure-line.html`,
//! `figure-bar.html` and `figure-flow.html` in `preprocessor/templates/`. For any other
//! renderer the paragraph becomes the caption and a Markdown table.
//!
//! This module owns the model, what a data file becomes ([`Figure`],
//! [`Chart`], [`Source`]), and the book's collection of them ([`Figures`]:
//! loading, lookup, and the checks that need the whole book). The rest is
//! split by job, so that each part can be read on its own:
//!
//! - `read`: reading and checking one data file (serde, spans, the fields
//!   every kind shares, citations in sources);
//! - one module per kind of chart: [`line`] (linear or logarithmic axes),
//!   [`bar`] (horizontal bars, single or grouped) and [`flow`] (boxes and
//!   arrows, with a loop back to the start); `line` and `bar` each keep
//!   their data-file layout and checks in `spec` and their geometry, legend
//!   and table in `draw`, and `flow` its geometry and table in `draw`;
//! - `axis`: axes and their ticks; `format`: how numbers and text are
//!   written and measured;
//! - `render`: what a figure paragraph becomes, in HTML or in Markdown.

use std::ops::Range;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics, Location, suggest};
use crate::references::References;
use crate::scan::{RefKind, Scan};

mod axis;
pub(crate) mod bar;
pub(crate) mod flow;
mod format;
pub(crate) mod line;
mod read;
mod render;

pub(crate) use axis::Axis;
pub(crate) use format::Format;
pub(crate) use render::render;

use render::{Geometry, LegendItem, Table};

/// Width of every chart's viewBox, in user units. Text is never smaller
/// than [`FONT`] units, so it stays at 12 px or more on a 390 px phone,
/// where mdBook leaves about 350 px for the content.
const WIDTH: f64 = 460.0;
/// The smallest font size in a chart, in user units.
const FONT: f64 = 16.0;

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
        let errors = diags.error_count();
        match Figure::parse(name, path, text, diags) {
            Some(figure) => {
                let at = self.list.partition_point(|f| f.name.as_str() < name);
                self.list.insert(at, figure);
            }
            // Every check that refuses a file says why; should one not, the
            // writer still learns which file, rather than "internal" later.
            None if diags.error_count() == errors => diags.push(
                Diagnostic::error(format!("figure data `{path}` could not be drawn"))
                    .at(Location::file(path, 1, 1))
                    .help("check its values against CONTRIBUTING.md's figure section, and report this message as a bug"),
            ),
            None => {}
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

impl Figure {
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
    fn layout(&self) -> (Geometry, f64) {
        match &self.chart {
            Chart::Line(c) => {
                let (g, h) = c.layout();
                (Geometry::Line(Box::new(g)), h)
            }
            Chart::Bar(c) => {
                let (g, h) = c.layout();
                (Geometry::Bar(Box::new(g)), h)
            }
            Chart::Flow(c) => {
                let (g, h) = c.layout();
                (Geometry::Flow(Box::new(g)), h)
            }
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
    fn table(&self) -> Table {
        match &self.chart {
            Chart::Line(c) => c.table(),
            Chart::Bar(c) => c.table(),
            Chart::Flow(c) => c.table(),
        }
    }
}

#[cfg(test)]
mod tests;
