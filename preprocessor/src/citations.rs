//! Citations: `[§3.2.1](cite:l3)` or `<cite:l3>` links to a source on the
//! references page (`cite.html`), shown as "(Llama Team 2024, §3.2.1)". The
//! sources are read by [`crate::references`]; the index resolves the ids and
//! keeps "Cited in", which the references page lists. Each page also
//! carries, once per distinct source it cites, the source's title, authors,
//! year and link (`cite-previews.html`), which gloss.js shows with the
//! locator of the citation under the pointer.

use std::collections::HashSet;

use serde::Serialize;

use crate::book::{Book, LinkOut};
use crate::diagnostics::Diagnostic;
use crate::edits::Edit;
use crate::references::{Reference, References};
use crate::scan::RefKind;

/// The edits for citation `ri` of chapter `ci`. A book without a references
/// page leaves its citations as written (the index has reported them).
pub(crate) fn link(
    book: &Book<'_>,
    references: &References,
    ci: usize,
    ri: usize,
    edits: &mut Vec<Edit>,
) -> Result<(), Diagnostic> {
    let Some(rc) = book.references_chapter else {
        return Ok(());
    };
    let r = &book.scans[ci].refs[ri];
    let source = &references.refs[references.position(&r.target).expect("resolved")];
    let out = LinkOut {
        template: "cite.html",
        href: book.href(ci, rc, Some(&source.id)),
        fill: &source.cite_as,
        short: Some(&source.cite_as),
    };
    book.link_edits(ci, ri, &out, edits)
}

/// What `cite-previews.html` receives: each distinct source the page cites,
/// once, with the `href` its citations carry (gloss.js's key).
#[derive(Serialize)]
struct SourceList<'a> {
    sources: Vec<SourceItem<'a>>,
}

#[derive(Serialize)]
struct SourceItem<'a> {
    href: String,
    source: &'a Reference,
}

/// Chapter `ci`'s store of citation previews (`cite-previews.html`), in
/// order of first citation, or `None` when it cites nothing. The locator
/// is not in it: it differs from citation to citation, and each citation's
/// text already shows it. The fields sit in attributes, out of mdBook's
/// search index (which reads text nodes) and out of print: the Llama 3 paper
/// is cited about 900 times, and its preview is written once a page.
pub(crate) fn previews(
    book: &Book<'_>,
    references: &References,
    ci: usize,
) -> Result<Option<String>, Diagnostic> {
    let (Some(t), Some(rc)) = (book.templates(), book.references_chapter) else {
        return Ok(None);
    };
    let mut seen = HashSet::new();
    let sources: Vec<_> = book.scans[ci]
        .refs
        .iter()
        .filter(|r| r.kind == RefKind::Cite && seen.insert(r.target.as_str()))
        .filter_map(|r| references.position(&r.target))
        .map(|i| {
            let source = &references.refs[i];
            SourceItem {
                href: book.href(ci, rc, Some(&source.id)),
                source,
            }
        })
        .collect();
    if sources.is_empty() {
        return Ok(None);
    }
    t.render("cite-previews.html", &SourceList { sources })
        .map(Some)
}

#[cfg(test)]
mod tests {
    use crate::chapter::Chapter;
    use crate::config::Config;
    use crate::diagnostics::Diagnostics;
    use crate::pipeline::transform;
    use crate::templates::Templates;

    /// Chapter `path` of a test book.
    fn make(path: &str, content: &str) -> Chapter {
        Chapter {
            path: path.into(),
            display: format!("src/{path}"),
            name: path.into(),
            part: None,
            content: content.into(),
        }
    }

    /// Each source once a page, however often it is cited, with its fields
    /// sealed and the link its identifier gives.
    #[test]
    fn each_page_carries_each_source_once() {
        let chapters = [
            make(
                "a.md",
                "# A\n\nOne [§1](cite:l3), two [](cite:l3), three [](cite:w).\n",
            ),
            make(
                "references.md",
                "# References\n\n## The *Herd* & Models {#l3}\n\n- Authors: Llama Team\n- Cite as: Llama Team 2024\n- Year: 2024\n- arXiv: 2407.21783\n\n\
                 ## Web {#w}\n\n- Authors: A & B\n- Cite as: A 2020\n- Year: 2020\n- URL: https://example.org/a?b=1&c=2\n",
            ),
        ];
        let mut diags = Diagnostics::default();
        let t = Templates::defaults();
        let out = transform(&chapters, &Config::default(), Some(&t), &mut diags);
        assert_eq!(diags.error_count(), 0, "{}", diags.render(false));
        let store = out[0]
            .split("<div class=\"gloss-previews\">\n")
            .nth(1)
            .expect("a store");
        assert_eq!(
            store,
            "<span data-gloss-preview=\"references.html#l3\" data-title=\"The Herd &amp; Models\" data-authors=\"Llama Team\" data-year=\"2024\" data-short=\"Llama Team 2024\" data-url=\"https://arxiv.org/abs/2407.21783\"></span>\n\
             <span data-gloss-preview=\"references.html#w\" data-title=\"Web\" data-authors=\"A &amp; B\" data-year=\"2020\" data-short=\"A 2020\" data-url=\"https://example.org/a?b=1&amp;c=2\"></span>\n\
             </div>\n"
        );
    }

    /// A source with a `Section URL:` links, from the top of its entry, each
    /// numbered section the book cites once, in order of number, and its
    /// preview carries the pattern; a source without one links none.
    #[test]
    fn the_sections_cited_link_into_the_source() {
        let chapters = [
            make(
                "a.md",
                "# A\n\n[§3.10](cite:l3), [§3.2.1, Fig. 2](cite:l3), [Table 2](cite:l3), [§3.9 and §10](cite:l3), [§3.2.1](cite:l3), [§1.b.i](cite:w), [§2](cite:w).\n",
            ),
            make(
                "references.md",
                "# References\n\n## Herd {#l3}\n\n- Authors: Llama Team\n- Cite as: Llama Team 2024\n- Year: 2024\n- arXiv: 2407.21783\n- Section URL: https://arxiv.org/html/2407.21783v3#S{1}.SS{2}.SSS{3}\n\nRead.\n\n\
                 ## Web {#w}\n\n- Authors: A\n- Cite as: A 2020\n- Year: 2020\n- URL: https://example.org/\n\nRead.\n",
            ),
        ];
        let mut diags = Diagnostics::default();
        let t = Templates::defaults();
        let out = transform(&chapters, &Config::default(), Some(&t), &mut diags);
        assert_eq!(diags.error_count(), 0, "{}", diags.render(false));
        let lines: Vec<&str> = out[1]
            .lines()
            .filter(|l| l.starts_with("<p class=\"gloss-sections-cited\">"))
            .collect();
        let base = "https://arxiv.org/html/2407.21783v3#";
        assert_eq!(
            lines,
            [format!(
                "<p class=\"gloss-sections-cited\">Sections cited, in the source: \
                 <a href=\"{base}S3.SS2.SSS1\">§3.2.1</a>, <a href=\"{base}S3.SS9\">§3.9</a>, \
                 <a href=\"{base}S3.SS10\">§3.10</a>, <a href=\"{base}S10\">§10</a></p>"
            )]
        );
        assert!(
            out[0].contains(
                " data-section-url=\"https://arxiv.org/html/2407.21783v3#S{1}.SS{2}.SSS{3}\">"
            ),
            "the preview does not carry the pattern"
        );
    }
}
