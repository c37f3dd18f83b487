//! What a figure paragraph becomes: for HTML, the `figure.html` template
//! filled from a [`View`] (geometry, legend, caption, source and data
//! table); for other renderers, a caption paragraph and a Markdown table.
//! Also the check that a `figure:` link is a paragraph of its own. Charts
//! hand their data over as a [`Table`] and their legend as [`LegendItem`]s.

use serde::Serialize;

use super::format::{Piece, coord, rich};
use super::{Figure, Figures, Part, Source, WIDTH, bar, flow, line};
use crate::book::Book;
use crate::diagnostics::Diagnostic;
use crate::links::relative;
use crate::markdown::md_escape;
use crate::markdown::plain_text_of;
use crate::references::References;

/// One cell of a data table: text pieces, or a source.
#[derive(Debug, Clone)]
pub(super) enum Cell {
    /// Text, numbers with exponents.
    Pieces(Vec<Piece>),
    /// A source, its citations resolved when rendered.
    Source(Source, Option<String>),
}

impl Cell {
    /// A text cell; `^` starts a superscript (see [`rich`]).
    pub(super) fn text(t: impl AsRef<str>) -> Cell {
        Cell::Pieces(rich(t.as_ref()))
    }
}

/// A figure's data, as rows.
#[derive(Debug, Clone, Default)]
pub(super) struct Table {
    /// Column headings.
    pub(super) columns: Vec<String>,
    /// The rows, each as long as `columns`.
    pub(super) rows: Vec<Vec<Cell>>,
}

/// An entry of a chart's legend.
#[derive(Debug, Clone, Serialize)]
pub(super) struct LegendItem {
    /// The text, with superscripts.
    pub(super) label: Vec<Piece>,
    /// What the swatch shows: `line`, `dashed`, `band`, `bar`, `outline`,
    /// or a marker shape (`circle`, `dot`, `diamond`, `square`).
    pub(super) swatch: String,
    /// The colour class, `gloss-fig-c1`….
    pub(super) class: String,
}

/// A chart's geometry, what its template reads as `chart`. Untagged: each
/// kind's struct is `chart` itself, as `figure.html` picks the template by
/// `kind`. Boxed, as the kinds' geometries differ in size by hundreds of
/// bytes (serde serialises a box as what it holds).
#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum Geometry {
    Line(Box<line::Geometry>),
    Bar(Box<bar::Geometry>),
    Flow(Box<flow::Geometry>),
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
    chart: Geometry,
    legend: Vec<LegendItem>,
    columns: &'a [String],
    rows: Vec<Vec<Vec<Piece>>>,
    data_href: String,
    data_name: String,
    /// The data file in the book's repository (`git-repository-url`), where
    /// it opens as a page: served from the site, a `.toml` file downloads.
    data_view: Option<String>,
}

/// The text that replaces the figure paragraph `ri` of chapter `ci`: the
/// rendered figure for HTML, the caption and a table otherwise.
pub(crate) fn render(
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
        data_view: book.config.repository.as_ref().map(|repo| {
            // `src/` as the chapter's shown path spells it.
            let src = chapter
                .display
                .strip_suffix(chapter.path.as_str())
                .unwrap_or("src/");
            format!("{repo}/blob/HEAD/{src}data/{}.toml", figure.name)
        }),
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
