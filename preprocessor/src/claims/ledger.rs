//! The claims ledger, which replaces `<!-- gloss:ledger -->`: every claim of
//! the book in article order, with counts by verdict (`ledger.html`), or a
//! Markdown table for other renderers.

use serde::Serialize;

use super::Claim;
use super::summary::Count;
use crate::book::Book;
use crate::diagnostics::Diagnostic;
use crate::markdown::md_escape;

/// What `ledger.html` receives.
#[derive(Serialize)]
struct Ledger<'a> {
    total: usize,
    counts: Vec<Count>,
    rows: Vec<Row<'a>>,
}

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    paragraph: u32,
    verdict: &'a str,
    href: String,
    chapter: &'a str,
    chapter_href: String,
    summary: &'a str,
}

/// The ledger as written in chapter `ci`; `claims` are every chapter's.
pub(crate) fn render(
    book: &Book<'_>,
    claims: &[Vec<Claim>],
    ci: usize,
) -> Result<String, Diagnostic> {
    let mut rows: Vec<(u32, Row<'_>)> = Vec::new();
    for (cj, claims) in claims.iter().enumerate() {
        for c in claims {
            rows.push((
                c.number,
                Row {
                    id: &c.id,
                    paragraph: c.paragraph,
                    verdict: &c.verdict,
                    href: book.href(ci, cj, Some(&c.anchor())),
                    chapter: &book.chapters[cj].name,
                    chapter_href: book.href(ci, cj, None),
                    summary: &c.text,
                },
            ));
        }
    }
    rows.sort_by_key(|(n, _)| *n);
    let rows: Vec<Row<'_>> = rows.into_iter().map(|(_, r)| r).collect();
    match book.templates() {
        Some(t) => {
            let counts = super::summary::counts(claims);
            t.render(
                "ledger.html",
                &Ledger {
                    total: rows.len(),
                    counts,
                    rows,
                },
            )
        }
        None => {
            let mut out = String::from("| Claim | ¶ | Verdict | Chapter |\n|---|---|---|---|\n");
            for r in &rows {
                out.push_str(&format!(
                    "| [{}]({}) | {} | {} | {} |\n",
                    r.id,
                    r.href,
                    r.paragraph,
                    r.verdict,
                    md_escape(r.chapter)
                ));
            }
            Ok(out)
        }
    }
}
