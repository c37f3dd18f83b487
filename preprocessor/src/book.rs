//! What every feature's rendering reads about the book (pass 2): the
//! chapters and their scans, the index, links between pages and the output
//! kind. Feature data (the glossary, the references, claims, figures) is not
//! here: each feature is handed the models it needs, so that no core module
//! depends on a feature.

use serde::Serialize;

use crate::chapter::Chapter;
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::edits::Edit;
use crate::index::Index;
use crate::links::relative;
use crate::markdown::md_escape;
use crate::scan::Scan;
use crate::templates::Templates;

/// What the preprocessor writes: HTML from the templates, or plain Markdown
/// for every other renderer (links, labels, a Markdown ledger).
#[derive(Clone, Copy)]
pub(crate) enum Output<'a> {
    /// The `html` renderer.
    Html(&'a Templates),
    /// Any other renderer.
    Markdown,
}

/// A link as the templates see it.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub(crate) struct Link {
    /// Relative to the page it is written in.
    pub href: String,
    /// Its text.
    pub text: String,
}

/// Everything pass 2 reads that is not a feature's own: the chapters, their
/// scans, the index, the settings and the output kind.
pub(crate) struct Book<'a> {
    /// Chapters in book order.
    pub chapters: &'a [Chapter],
    /// Their scans.
    pub scans: &'a [Scan],
    /// The index.
    pub index: &'a Index,
    /// Settings.
    pub config: &'a Config,
    /// HTML or Markdown.
    pub output: Output<'a>,
    /// Index of the glossary chapter, if the book has one.
    pub glossary_chapter: Option<usize>,
    /// Index of the references chapter, if the book has one.
    pub references_chapter: Option<usize>,
}

impl Book<'_> {
    /// The templates, when the output is HTML.
    pub(crate) fn templates(&self) -> Option<&Templates> {
        match self.output {
            Output::Html(t) => Some(t),
            Output::Markdown => None,
        }
    }

    /// Whether the output is HTML.
    pub(crate) fn html(&self) -> bool {
        matches!(self.output, Output::Html(_))
    }

    /// The link from chapter `from` to chapter `to` (and a fragment in it).
    pub(crate) fn href(&self, from: usize, to: usize, fragment: Option<&str>) -> String {
        relative(
            &self.chapters[from].path,
            &self.chapters[to].path,
            fragment,
            self.html(),
        )
    }

    /// The link from chapter `from` to the glossary page, if the book has one.
    pub(crate) fn glossary_href(&self, from: usize) -> Option<String> {
        self.glossary_chapter.map(|g| self.href(from, g, None))
    }
}

/// What `xref.html` and `cite.html` receive.
#[derive(Serialize)]
struct RefView<'a> {
    href: &'a str,
    anchor: &'a str,
    target: &'a str,
    short: Option<&'a str>,
    locator: bool,
}

/// How a link of ours is written out: where it goes, the text it shows when
/// the author wrote none, and the short form a citation puts first.
pub(crate) struct LinkOut<'a> {
    /// The template that wraps it (`xref.html`, `cite.html`).
    pub template: &'static str,
    /// Where it goes.
    pub href: String,
    /// The text shown when the author wrote none.
    pub fill: &'a str,
    /// A citation's short form, "Llama Team 2024".
    pub short: Option<&'a str>,
}

impl Book<'_> {
    /// The edits that turn ref `ri` of chapter `ci` into its link: the
    /// template's halves around the author's text (which stays as written),
    /// or, for Markdown output, an ordinary link with the same text.
    pub(crate) fn link_edits(
        &self,
        ci: usize,
        ri: usize,
        out: &LinkOut<'_>,
        edits: &mut Vec<Edit>,
    ) -> Result<(), Diagnostic> {
        let r = &self.scans[ci].refs[ri];
        let source = &self.chapters[ci].content;
        let Some(t) = self.templates() else {
            let text = match (&r.text, out.short) {
                (Some(tr), Some(s)) => format!("({}, {})", md_escape(s), &source[tr.clone()]),
                (None, Some(s)) => format!("({})", md_escape(s)),
                (Some(tr), None) => source[tr.clone()].to_string(),
                (None, None) => md_escape(out.fill),
            };
            edits.push(Edit::replace(
                r.range.start,
                r.range.end,
                format!("[{text}]({})", out.href),
            ));
            return Ok(());
        };
        let view = RefView {
            href: &out.href,
            anchor: &self.index.anchors[ci][ri],
            target: &r.target,
            short: out.short,
            locator: r.text.is_some(),
        };
        let (open, close) = t.wrap(out.template, &view)?;
        match &r.text {
            Some(tr) => {
                edits.push(Edit::replace(r.range.start, tr.start, open));
                edits.push(Edit::replace(tr.end, r.range.end, close));
            }
            None => {
                // A citation with no locator shows only its short form.
                let body = if out.short.is_some() {
                    String::new()
                } else {
                    md_escape(out.fill)
                };
                edits.push(Edit::replace(
                    r.range.start,
                    r.range.end,
                    format!("{open}{body}{close}"),
                ));
            }
        }
        Ok(())
    }
}
