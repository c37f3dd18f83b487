//! The two entry pages the preprocessor fills in: the glossary (each entry's
//! aliases and see-also as `glossary-fields.html` after its definition, then
//! where it appears and what refers to it, as `backlinks.html`) and the
//! references (each source's details as `reference-fields.html` under its
//! title, with links into the sections the book cites, and where it is
//! cited, as `backlinks.html`). The entries
//! themselves are read by [`crate::terms`] and [`crate::references`];
//! everything listed comes from the index.

use serde::Serialize;

use crate::backlinks::Kind;
use crate::book::{Book, Link};
use crate::diagnostics::Diagnostic;
use crate::edits::Edit;
use crate::entries::Entry;
use crate::markdown::line_end;
use crate::references::{Reference, References, sections};
use crate::terms::Glossary;

/// What `glossary-fields.html` receives.
#[derive(Serialize)]
struct GlossaryFields<'a> {
    id: &'a str,
    aliases: &'a [String],
    see_also: Vec<Link>,
}

/// What `reference-fields.html` receives.
#[derive(Serialize)]
struct ReferenceFields<'a> {
    source: &'a Reference,
    /// The numbered sections the book cites, each linked into the source
    /// (empty without a `Section URL:`).
    sections: Vec<Link>,
}

/// The glossary page (chapter `ci`, `m` mapping source offsets into its text
/// after the inline edits): each entry's fields and where it appears.
pub(crate) fn glossary(
    book: &Book<'_>,
    glossary: &Glossary,
    ci: usize,
    m: &dyn Fn(usize, bool) -> usize,
    edits: &mut Vec<Edit>,
) -> Result<(), Diagnostic> {
    let Some(t) = book.templates() else {
        return Ok(());
    };
    let cap = crate::backlinks::appears_in_cap(glossary.terms.len());
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
        // The definition first, as the glossary's introduction promises
        // (and as search teasers and a reader skimming want it): the field
        // list leaves the top of the entry and its rendering follows the
        // entry's text, before the lists of where the term is used.
        let mut html = t.render("glossary-fields.html", &fields)?;
        if let Some(r) = &entry.fields_range {
            edits.push(Edit::replace(
                m(r.start, false),
                m(r.end, true),
                String::new(),
            ));
        }
        // With "Appears in" off, an entry still lists what refers to it.
        if book.config.appears_in {
            let list = book
                .index
                .appears_in
                .get(&ti)
                .map_or(&[][..], Vec::as_slice);
            push_block(&mut html, book.appears_in(ci, list, cap).render(book)?);
        }
        let referenced = book.referenced_from(ci, &[&term.id]);
        if !referenced.is_empty() {
            push_block(&mut html, referenced.render(book)?);
        }
        if !html.is_empty() {
            edits.push(Edit::insert(m(entry.end, true), format!("\n{html}\n\n")));
        }
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
        let sections = match (
            &source.section_url,
            book.index.sections_cited.get(&source.id),
        ) {
            (Some(pattern), Some(cited)) => cited
                .iter()
                .map(|s| Link {
                    href: sections::link(pattern, s),
                    text: s.to_string(),
                })
                .collect(),
            _ => Vec::new(),
        };
        let fields = t.render(
            "reference-fields.html",
            &ReferenceFields { source, sections },
        )?;
        edits.push(fields_edit(text, entry, fields, m));
        let cited = book.index.cited_in.get(&source.id).into_iter().flatten();
        let mut html = String::new();
        push_block(
            &mut html,
            book.backlink_list(ci, Kind::CitedIn, cited).render(book)?,
        );
        let referenced = book.referenced_from(ci, &[&source.id]);
        if !referenced.is_empty() {
            push_block(&mut html, referenced.render(book)?);
        }
        edits.push(Edit::insert(m(entry.end, true), format!("\n{html}\n\n")));
    }
    Ok(())
}

/// Appends a rendered block to `html`, after a blank line if it follows one.
fn push_block(html: &mut String, block: Option<String>) {
    if let Some(block) = block.filter(|b| !b.is_empty()) {
        if !html.is_empty() {
            html.push_str("\n\n");
        }
        html.push_str(&block);
    }
}

/// The edit that puts a source's rendered details in place of its field
/// list, or under its heading when it has none. A blank line follows, so the
/// entry's first paragraph stays Markdown rather than joining the HTML block.
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
