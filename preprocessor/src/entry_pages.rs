//! The two entry pages the preprocessor fills in: the glossary (each entry's
//! aliases and see-also as `glossary-fields.html`, and where it appears as
//! `appears-in.html`) and the references (each source's details as
//! `reference-fields.html`, and where it is cited as `backrefs.html`). The
//! entries themselves are read by [`crate::terms`] and [`crate::references`];
//! everything listed comes from the index.

use serde::Serialize;

use crate::book::{Book, Link};
use crate::diagnostics::Diagnostic;
use crate::edits::Edit;
use crate::entries::Entry;
use crate::markdown::line_end;
use crate::references::{Reference, References};
use crate::terms::Glossary;
use crate::xrefs::Backrefs;

/// What `glossary-fields.html` receives.
#[derive(Serialize)]
struct GlossaryFields<'a> {
    id: &'a str,
    aliases: &'a [String],
    see_also: Vec<Link>,
}

/// What `appears-in.html` receives.
#[derive(Serialize)]
struct AppearsIn<'a> {
    id: &'a str,
    chapters: Vec<AppearsInChapter<'a>>,
    referenced: Vec<Link>,
}

#[derive(Serialize)]
struct AppearsInChapter<'a> {
    href: &'a str,
    title: &'a str,
    sections: Vec<Link>,
}

/// What `reference-fields.html` receives.
#[derive(Serialize)]
struct ReferenceFields<'a> {
    source: &'a Reference,
}

/// The glossary page (chapter `ci`, `text` after the inline edits, `m`
/// mapping source offsets into it): each entry's fields and where it appears.
pub(crate) fn glossary(
    book: &Book<'_>,
    glossary: &Glossary,
    ci: usize,
    text: &str,
    m: &dyn Fn(usize, bool) -> usize,
    edits: &mut Vec<Edit>,
) -> Result<(), Diagnostic> {
    let Some(t) = book.templates() else {
        return Ok(());
    };
    let chapter_hrefs: Vec<String> = (0..book.chapters.len())
        .map(|cj| book.href(ci, cj, None))
        .collect();
    for (ti, (term, entry)) in glossary.terms.iter().zip(&glossary.entries).enumerate() {
        let see_also = term
            .see_also
            .iter()
            .filter_map(|id| book.index.term(id))
            .map(|j| Link {
                href: format!("#{}", glossary.terms[j].id),
                text: glossary.terms[j].name.clone(),
            })
            .collect();
        let fields = GlossaryFields {
            id: &term.id,
            aliases: &term.aliases,
            see_also,
        };
        let fields = t.render("glossary-fields.html", &fields)?;
        edits.push(fields_edit(text, entry, fields, m));
        let chapters = book
            .index
            .appears_in
            .get(&ti)
            .map(|list| {
                list.iter()
                    .map(|(cj, sections)| AppearsInChapter {
                        href: &chapter_hrefs[*cj],
                        title: &book.chapters[*cj].name,
                        sections: sections
                            .iter()
                            .map(|(id, title)| Link {
                                href: format!("{}#{id}", chapter_hrefs[*cj]),
                                text: title.clone(),
                            })
                            .collect(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let view = AppearsIn {
            id: &term.id,
            chapters,
            referenced: book.referenced_from(ci, &term.id),
        };
        // With "Appears in" off, an entry still lists what refers to it.
        let html = if book.config.appears_in {
            t.render("appears-in.html", &view)?
        } else if !view.referenced.is_empty() {
            t.render(
                "backrefs.html",
                &Backrefs::referenced_from(&view.referenced),
            )?
        } else {
            continue;
        };
        edits.push(Edit::insert(m(entry.end, true), format!("\n{html}\n\n")));
    }
    Ok(())
}

/// The references page: each source's details and where it is cited.
pub(crate) fn references(
    book: &Book<'_>,
    references: &References,
    ci: usize,
    text: &str,
    m: &dyn Fn(usize, bool) -> usize,
    edits: &mut Vec<Edit>,
) -> Result<(), Diagnostic> {
    let Some(t) = book.templates() else {
        return Ok(());
    };
    for (source, entry) in references.refs.iter().zip(&references.entries) {
        let fields = t.render("reference-fields.html", &ReferenceFields { source })?;
        edits.push(fields_edit(text, entry, fields, m));
        let links = book.backlinks(ci, book.index.cited_in.get(&source.id));
        let referenced = book.referenced_from(ci, &source.id);
        let cited_in = Backrefs {
            kind: "cited-in",
            label: "Cited in",
            links: &links,
        };
        let mut html = t.render("backrefs.html", &cited_in)?;
        if !referenced.is_empty() {
            html.push_str("\n\n");
            html.push_str(&t.render("backrefs.html", &Backrefs::referenced_from(&referenced))?);
        }
        edits.push(Edit::insert(m(entry.end, true), format!("\n{html}\n\n")));
    }
    Ok(())
}

/// The edit that puts an entry's rendered fields (aliases, see-also, or a
/// source's details) in place of its field list, or under its heading when
/// it has none. A blank line follows, so the entry's first paragraph stays
/// Markdown rather than joining the HTML block.
fn fields_edit(
    text: &str,
    entry: &Entry,
    fields: String,
    m: &dyn Fn(usize, bool) -> usize,
) -> Edit {
    match &entry.fields_range {
        Some(r) => Edit::replace(m(r.start, false), m(r.end, true), format!("{fields}\n\n")),
        None => {
            let at = line_end(text, m(entry.heading.end, false).saturating_sub(1));
            Edit::insert(at, format!("\n{fields}\n\n"))
        }
    }
}
