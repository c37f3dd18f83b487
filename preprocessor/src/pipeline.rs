//! The pipeline over the chapters: read the glossary and the references,
//! scan every chapter (pass 1), let the features register in the index and
//! resolve every id, and only then, if nothing is wrong, rewrite each chapter
//! (pass 2).

use crate::book::{Book, Output};
use crate::callouts::Callouts;
use crate::chapter::Chapter;
use crate::claims;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::figures::Figures;
use crate::index::{EntryPages, Ids, Index};
use crate::matcher::Matcher;
use crate::references::References;
use crate::rewrite::{Features, rewrite};
use crate::scan::{ScanContext, scan};
use crate::templates::Templates;
use crate::terms::Glossary;

#[cfg(any(test, feature = "testing"))]
/// Passes 1 and 2 over the chapters; the new text of each, in order. When
/// anything fatal is reported the texts are not computed.
pub fn transform(
    chapters: &[Chapter],
    config: &Config,
    templates: Option<&Templates>,
    diags: &mut Diagnostics,
) -> Vec<String> {
    transform_with(chapters, config, templates, &Figures::default(), diags)
}

/// [`transform`] for a book with figures (the data files of `src/data/`).
pub fn transform_with(
    chapters: &[Chapter],
    config: &Config,
    templates: Option<&Templates>,
    figures: &Figures,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut out = Vec::with_capacity(chapters.len());
    if !transform_each(
        chapters,
        config,
        templates,
        figures,
        diags,
        &mut |_, text| {
            out.push(text);
        },
    ) {
        out.clear();
    }
    out
}

/// Passes 1 and 2, handing each chapter's new text to `emit`, in order, as
/// soon as it is rewritten, so that the book's output need not be held
/// whole (it is about three times the input). Nothing is emitted when pass 1
/// found anything fatal (an error, or a warning under `deny-warnings`).
/// Returns `false` if a chapter failed to rewrite (a template that fails to
/// render on its data; the diagnostic is pushed): `emit` has then had the
/// chapters before it.
pub(crate) fn transform_each(
    chapters: &[Chapter],
    config: &Config,
    templates: Option<&Templates>,
    figures: &Figures,
    diags: &mut Diagnostics,
    emit: &mut dyn FnMut(usize, String),
) -> bool {
    let glossary_chapter = chapters.iter().position(|c| c.path == config.glossary);
    let references_chapter = chapters.iter().position(|c| c.path == config.references);
    let glossary = glossary_chapter.map_or_else(Glossary::default, |g| {
        let level = config.entry_level.get();
        let glossary = Glossary::parse_at(&chapters[g].display, &chapters[g].content, level, diags);
        if glossary.terms.is_empty() && diags.error_count() == 0 {
            diags.push(no_entries(&chapters[g], level));
        }
        glossary
    });
    let references = references_chapter.map_or_else(References::default, |r| {
        References::parse(&chapters[r].display, &chapters[r].content, diags)
    });
    check_claims_source(config, &references, diags);
    let matcher = Matcher::new(glossary.patterns());
    let mut scans: Vec<_> = chapters
        .iter()
        .map(|c| {
            let cx = ScanContext {
                chapter_path: &c.path,
                display_path: &c.display,
                glossary_path: &config.glossary,
                matcher: (templates.is_some() || glossary_chapter.is_some()).then_some(&matcher),
                claims: config.claims,
            };
            scan(&cx, &c.content, diags)
        })
        .collect();
    // The scan derives a heading's id from its text alone; on the glossary
    // page an entry's heading has the id the page gives it (`bound-1` for a
    // second `Bound`), which callouts and cross-references must use.
    if let Some(scan) = glossary_chapter.and_then(|g| scans.get_mut(g)) {
        let ids: std::collections::HashMap<usize, &str> = glossary
            .entries
            .iter()
            .map(|e| (e.heading.start, e.id.as_str()))
            .collect();
        for h in &mut scan.headings {
            if let Some(id) = ids.get(&h.range.start) {
                h.id = (*id).to_string();
            }
        }
    }
    let claims: Vec<_> = chapters
        .iter()
        .zip(&scans)
        .map(|(c, s)| claims::collect(&c.display, &c.content, s, diags))
        .collect();
    let texts: Vec<(&str, &str)> = chapters
        .iter()
        .map(|c| (c.display.as_str(), c.content.as_str()))
        .collect();
    claims::check_book(&texts, &claims, config.claim_count, diags);
    let pages = EntryPages {
        glossary: glossary_chapter,
        references: references_chapter,
    };
    let registered = claims
        .iter()
        .enumerate()
        .map(|(ci, claims)| claims::targets(ci, claims))
        .collect();
    let ids = Ids {
        cite: references.refs.iter().map(|r| r.id.as_str()).collect(),
        term: glossary.terms.iter().map(|t| t.id.as_str()).collect(),
        figure: figures.names().collect(),
    };
    let index = Index::build(chapters, &scans, registered, &ids, pages, diags);
    figures.check(&references, &scans, diags);
    if diags.is_fatal(config.deny_warnings) {
        return false;
    }
    let book = Book {
        chapters,
        scans: &scans,
        index: &index,
        config,
        output: templates.map_or(Output::Markdown, Output::Html),
        glossary_chapter,
        references_chapter,
    };
    let features = Features {
        glossary: &glossary,
        callouts: Callouts::new(&glossary),
        references: &references,
        claims: &claims,
        figures,
        xref_previews: crate::xrefs::Previews::new(&book),
    };
    for ci in 0..chapters.len() {
        match rewrite(&book, &features, ci) {
            Ok(text) => emit(ci, text),
            Err(d) => {
                diags.push(d);
                return false;
            }
        }
    }
    true
}

#[cfg(any(test, feature = "testing"))]
/// Transforms one chapter (`chapter.md`) of a book whose only other chapter
/// is the glossary (`glossary.md`): the unit the property tests, the fuzz
/// target and the benchmarks work on. Returns the rendered diagnostics on error.
pub fn transform_chapter(
    glossary: &str,
    chapter: &str,
    config: &Config,
    templates: Option<&Templates>,
) -> std::result::Result<String, String> {
    let make = |path: &str, name: &str, content: &str| Chapter {
        path: path.to_string(),
        display: format!("src/{path}"),
        name: name.to_string(),
        part: None,
        content: content.to_string(),
    };
    let chapters = [
        make("chapter.md", "Chapter", chapter),
        make("glossary.md", "Glossary", glossary),
    ];
    let mut diags = Diagnostics::default();
    let mut out = transform(&chapters, config, templates, &mut diags);
    if diags.error_count() > 0 || out.is_empty() {
        return Err(diags.render(false));
    }
    Ok(out.swap_remove(0))
}

/// `claims-source` must name an entry of the references that has a URL,
/// in a book with claims.
fn check_claims_source(config: &Config, references: &References, diags: &mut Diagnostics) {
    let Some(id) = config.claims_source.as_deref() else {
        return;
    };
    let at = |d: Diagnostic| match &config.claims_source_at {
        Some(at) => d.at(at.clone()),
        None => d,
    };
    let d = if !config.claims {
        Diagnostic::error("`claims-source` is set but claims are off")
            .label("only claim cards link to the claims' source")
            .help("add `claims = true` to `[preprocessor.gloss]`, or remove `claims-source`")
    } else {
        match references.refs.iter().find(|r| r.id == id) {
            Some(r) if r.url.is_some() => return,
            Some(_) => Diagnostic::error(format!("`claims-source = \"{id}\"` has no URL"))
                .label("claim cards link to the source's `URL:` field")
                .help(format!(
                    "add `- URL: https://…` to the `{id}` entry of the references"
                )),
            None => {
                let d = Diagnostic::error(format!(
                    "`claims-source = \"{id}\"` names no entry of the references"
                ))
                .label("expected the id of a references entry, as in `cite:id`");
                match crate::diagnostics::suggest(id, references.refs.iter().map(|r| r.id.as_str()))
                {
                    Some(s) => d.help(s),
                    None => d.help("add the source to the references, or write its id"),
                }
            }
        }
    };
    diags.push(at(d));
}

/// The error for a glossary chapter without one entry: what was looked for,
/// and, if the headings under the title are at another level, that level.
fn no_entries(chapter: &Chapter, level: u8) -> Diagnostic {
    let hashes = |l: usize| "#".repeat(l);
    // Headings by level, the title's left out: the most frequent level is
    // the entries' (letter groups, if any, are fewer; a tie goes deeper).
    let mut counts = [0usize; 7];
    for line in chapter.content.lines() {
        let n = line.bytes().take_while(|&b| b == b'#').count();
        if (2..=6).contains(&n) && line[n..].starts_with([' ', '\t']) {
            counts[n] += 1;
        }
    }
    // (A line at the entries' own level sits in a fence or a block.)
    counts[usize::from(level)] = 0;
    let found = (2..=6)
        .max_by_key(|&n| counts[n])
        .filter(|&n| counts[n] > 0);
    let d = Diagnostic::error("the glossary has no entries")
        .at(Location::new(&chapter.display, &chapter.content, 0..0))
        .label(format!(
            "looked for level-{level} headings (`{} Term`), each followed by its definition",
            hashes(level.into())
        ));
    match found {
        Some(n) => d.help(format!(
            "entries are read at level {level} (`{} `), not as `{}`: set `entry-level = {n}` in `[preprocessor.gloss]` to read them there",
            hashes(level.into()),
            hashes(n)
        )),
        None => d.help(format!(
            "add an entry: `{} Mixture of experts`, a blank line, then its definition",
            hashes(level.into())
        )),
    }
}
