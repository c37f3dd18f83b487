//! Glossary callouts: which mentions of a term become a link to its entry
//! (by the `callouts` policy), the link itself (`term.html`, wrapped around
//! the author's words), and the "Terms in this chapter" list that ends a
//! chapter (`terms-list.html`).
//!
//! ```markdown
//! A dense MoE differs.
//! ```
//! becomes
//! ```markdown
//! A dense <a class="gloss-term" href="glossary.html#moe" data-gloss-term="moe">MoE</a> differs.
//! ```

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::Serialize;

use crate::book::Book;
use crate::config::Policy;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::edits::Edit;
use crate::markdown::md_escape;
use crate::scan::RefKind;
use crate::templates::Templates;
use crate::terms::Glossary;

/// The callouts feature: the glossary it links to, and what it has rendered.
pub(crate) struct Callouts<'a> {
    glossary: &'a Glossary,
    /// Callouts rendered so far, by the chapter's link to the glossary page
    /// and the term: a callout differs between chapters only in that link, so
    /// each term is rendered once per folder depth, not once per chapter.
    rendered: RefCell<CalloutCache>,
    /// Terms-list items rendered so far (`terms-list-item.html`), by the
    /// chapter's link to the glossary page and the term: a list differs
    /// from chapter to chapter, its items do not.
    items: RefCell<HashMap<(String, usize), String>>,
}

/// Rendered callouts (the halves before and after the term), by whether
/// they carry the definition and the link to the glossary page, and then by
/// term.
type CalloutCache = HashMap<(bool, String), HashMap<usize, (String, String)>>;

/// A term as `term.html` and `terms-list.html` see it.
#[derive(Serialize)]
struct TermItem<'a> {
    id: &'a str,
    name: &'a str,
    href: String,
    definition: &'a str,
}

/// What `definitions.html` receives.
#[derive(Serialize)]
struct TermsList<'a> {
    terms: Vec<TermItem<'a>>,
}

/// What `terms-list.html` receives: its items, each rendered once per term
/// and folder depth by `terms-list-item.html` and followed by a line break,
/// and how many there are.
#[derive(Serialize)]
struct RenderedList {
    items: String,
    count: usize,
}

impl<'a> Callouts<'a> {
    /// Callouts to the entries of `glossary`.
    pub(crate) fn new(glossary: &'a Glossary) -> Self {
        Callouts {
            glossary,
            rendered: RefCell::default(),
            items: RefCell::default(),
        }
    }

    /// A term as the templates see it; `page` is the chapter's link to the
    /// glossary page (computed once per chapter, not once per term).
    fn term_item(&self, page: Option<&str>, term: usize) -> TermItem<'a> {
        let t = &self.glossary.terms[term];
        TermItem {
            id: &t.id,
            name: &t.name,
            href: page.map(|p| format!("{p}#{}", t.id)).unwrap_or_default(),
            definition: &t.definition,
        }
    }

    /// The callouts of chapter `ci`, as edits to its source. Returns the
    /// terms called out, in order of first callout.
    pub(crate) fn edits(
        &self,
        book: &Book<'_>,
        ci: usize,
        edits: &mut Vec<Edit>,
    ) -> Result<Vec<usize>, Diagnostic> {
        let Some(t) = book.templates() else {
            return Ok(Vec::new());
        };
        if book.glossary_chapter.is_none() {
            return Ok(Vec::new());
        }
        let scan = &book.scans[ci];
        let is_glossary = Some(ci) == book.glossary_chapter;
        let policy = if is_glossary {
            Policy::FirstInSection
        } else {
            book.config.callouts
        };
        // Mentions and forced links, in text order.
        enum Item {
            Mention(usize),
            Forced(usize),
            Existing(usize),
        }
        let mut items: Vec<(usize, Item)> = scan
            .mentions
            .iter()
            .enumerate()
            .map(|(i, m)| (m.range.start, Item::Mention(i)))
            .collect();
        items.extend(
            scan.refs
                .iter()
                .enumerate()
                .filter(|(_, r)| r.kind == RefKind::Term)
                .map(|(i, r)| (r.range.start, Item::Forced(i))),
        );
        items.extend(
            scan.existing
                .iter()
                .enumerate()
                .map(|(i, (_, at))| (*at, Item::Existing(i))),
        );
        items.sort_by_key(|(at, _)| *at);
        let mut done: HashSet<(usize, Option<usize>)> = HashSet::new();
        // The link to the glossary page is all that differs between two
        // chapters' callouts of a term (`glossary.html`, `../glossary.html`).
        let glossary_page = book.glossary_href(ci);
        // The page's "Terms in this chapter" list (on the glossary page, a
        // store of the same attributes, `definitions.html`) carries each
        // definition once, and gloss.js reads it from there; a callout
        // carries its own (in `title`, for readers without JavaScript) only
        // in a book without those lists. Repeating it in every callout made
        // the output half as large again, and the glossary page of a
        // 2,000-term book 0.3 MB larger (a term is called out in each entry
        // that names it).
        let with_definition = !book.config.terms_list;
        let mut cache = self.rendered.borrow_mut();
        let rendered = cache
            .entry((with_definition, glossary_page.clone().unwrap_or_default()))
            .or_default();
        let mut order = Vec::new();
        let excluded = |r: &Range<usize>| {
            scan.blocks
                .iter()
                .any(|b| b.marker.start <= r.start && r.end <= b.marker.end)
        };
        for (_, item) in items {
            let (term, section, range, text_range, forced, suppressed) = match item {
                Item::Mention(i) => {
                    let m = &scan.mentions[i];
                    (
                        m.term,
                        m.section,
                        m.range.clone(),
                        m.range.clone(),
                        false,
                        m.suppressed,
                    )
                }
                Item::Existing(i) => {
                    // Already a callout (the text went through us before): it
                    // counts as the mention, and stays as it is.
                    if let Some(term) = book.index.term(&scan.existing[i].0) {
                        let section = scan
                            .headings
                            .iter()
                            .rposition(|h| h.range.start < scan.existing[i].1);
                        done.insert(match policy {
                            Policy::FirstInChapter => (term, None),
                            Policy::FirstInSection => (term, section),
                            Policy::Every => (term, Some(scan.existing[i].1)),
                        });
                    }
                    continue;
                }
                Item::Forced(i) => {
                    let r = &scan.refs[i];
                    let Some(term) = book.index.term(&r.target) else {
                        continue;
                    };
                    (
                        term,
                        r.section,
                        r.range.clone(),
                        r.text.clone().unwrap_or(r.range.end..r.range.end),
                        true,
                        false,
                    )
                }
            };
            if excluded(&range) {
                continue;
            }
            // Never in the term's own entry; a forced link there stays as written.
            if is_glossary
                && section.is_some_and(|s| scan.headings[s].id == self.glossary.terms[term].id)
            {
                continue;
            }
            let key = match policy {
                Policy::FirstInChapter => (term, None),
                Policy::FirstInSection => (term, section),
                Policy::Every => (term, Some(range.start)),
            };
            if !forced && (suppressed || done.contains(&key)) {
                continue;
            }
            done.insert(key);
            if !order.contains(&term) {
                order.push(term);
            }
            let (open, close) = match rendered.get(&term) {
                Some(pair) => pair,
                None => {
                    let mut item = self.term_item(glossary_page.as_deref(), term);
                    if !with_definition {
                        item.definition = "";
                    }
                    let pair = t.wrap("term.html", &item)?;
                    rendered.entry(term).or_insert(pair)
                }
            };
            if forced && text_range.is_empty() {
                let name = md_escape(&self.glossary.terms[term].name);
                edits.push(Edit::replace(
                    range.start,
                    range.end,
                    format!("{open}{name}{close}"),
                ));
            } else {
                edits.push(Edit::replace(range.start, text_range.start, open.clone()));
                edits.push(Edit::replace(text_range.end, range.end, close.clone()));
            }
        }
        Ok(order)
    }

    /// "Terms in this chapter", for the terms chapter `ci` called out: the
    /// last block of its page (see [`crate::rewrite`]). On the glossary
    /// page, whose entries are the list, the definitions go in a store
    /// that is not displayed (`definitions.html`).
    pub(crate) fn terms_list(
        &self,
        book: &Book<'_>,
        ci: usize,
        called_out: &[usize],
    ) -> Result<Option<String>, Diagnostic> {
        let Some(t) = book.templates() else {
            return Ok(None);
        };
        if !book.config.terms_list || called_out.is_empty() {
            return Ok(None);
        }
        let page = book.glossary_href(ci);
        if Some(ci) == book.glossary_chapter {
            let terms = called_out
                .iter()
                .map(|&term| self.term_item(page.as_deref(), term))
                .collect();
            return t.render("definitions.html", &TermsList { terms }).map(Some);
        }
        let mut cache = self.items.borrow_mut();
        let page_key = page.clone().unwrap_or_default();
        let mut items = String::new();
        for &term in called_out {
            let item = match cache.get(&(page_key.clone(), term)) {
                Some(item) => item,
                None => {
                    let html = t.render(
                        "terms-list-item.html",
                        &self.term_item(page.as_deref(), term),
                    )?;
                    cache.entry((page_key.clone(), term)).or_insert(html)
                }
            };
            items.push_str(item);
            items.push('\n');
        }
        t.render(
            "terms-list.html",
            &RenderedList {
                items,
                count: called_out.len(),
            },
        )
        .map(Some)
    }
}

/// Checks, when the templates load, the contract a book's own `term.html`
/// and `terms-list.html` must keep. The preprocessor finds its own callouts
/// again (in an included or twice-processed chapter, and when it judges
/// where a callout may go) by `<a class="gloss-term"` … `data-gloss-term`
/// … `</a>`, so a callout that breaks that is an error; `gloss.js` finds a
/// callout's definition in the terms list by `data-gloss-entry` and
/// `data-definition`, so a list without them is a warning: the callouts
/// still link, but show no definition.
pub(crate) fn check_templates(t: &Templates, diags: &mut Diagnostics) {
    let item = || TermItem {
        id: "gloss-contract",
        name: "Term",
        href: "glossary.html#gloss-contract".into(),
        definition: "Its definition.",
    };
    match t.wrap("term.html", &item()) {
        Ok((open, close))
            if open.starts_with("<a class=\"gloss-term\"")
                && open.ends_with('>')
                && open.contains("data-gloss-term=\"gloss-contract\"")
                && close == "</a>" => {}
        Ok((open, close)) => diags.push(
            Diagnostic::error(format!(
                "template `{}` breaks the callout markup the preprocessor reads back",
                t.shown("term.html")
            ))
            .at(Location::file(t.shown("term.html"), 1, 1))
            .label(format!("renders `{open}…{close}`"))
            .help("keep `<a class=\"gloss-term\" href=\"{{ href }}\" … data-gloss-term=\"{{ id }}\">{{ body }}</a>` (more attributes may follow `class`); restyle callouts in CSS"),
        ),
        Err(d) => diags.push(d),
    }
    match t.render("terms-list-item.html", &item()) {
        Ok(html)
            if html.contains("data-gloss-entry=\"gloss-contract\"")
                && html.contains("data-definition=\"Its definition.\"") => {}
        Ok(_) => diags.push(
            Diagnostic::warning(format!(
                "template `{}` gives gloss.js no definitions",
                t.shown("terms-list-item.html")
            ))
            .at(Location::file(t.shown("terms-list-item.html"), 1, 1))
            .label("no `data-gloss-entry=\"{{ id }}\"` with `data-definition=\"{{ definition }}\"`")
            .help("keep both attributes on each term's link: gloss.js shows a callout's definition from them"),
        ),
        Err(d) => diags.push(d),
    }
    // The items come rendered; a list that does not print them unescaped
    // shows no terms, or their markup as text.
    let sentinel = "<li data-gloss-contract></li>\n";
    match t.render(
        "terms-list.html",
        &RenderedList {
            items: sentinel.into(),
            count: 1,
        },
    ) {
        Ok(html) if html.contains(sentinel.trim_end()) => {}
        Ok(_) => diags.push(
            Diagnostic::warning(format!(
                "template `{}` does not print its items",
                t.shown("terms-list.html")
            ))
            .at(Location::file(t.shown("terms-list.html"), 1, 1))
            .label("no `{{ items | safe }}`: the terms, rendered by `terms-list-item.html`")
            .help("print `{{ items | safe }}` inside the list; each item's markup is in `terms-list-item.html`"),
        ),
        Err(d) => diags.push(d),
    }
}

#[cfg(any(test, feature = "testing"))]
/// The inverse of the callout pass: removes every `<a class="gloss-term" …>`
/// and its `</a>`, keeping what they wrapped. Used by the property tests and
/// the fuzz target to check that callouts change nothing else.
pub fn remove_callouts(text: &str) -> String {
    const OPEN: &str = "<a class=\"gloss-term\"";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let tag = &rest[start..];
        let Some(open_end) = tag.find('>') else { break };
        let body = &tag[open_end + 1..];
        let Some(close) = body.find("</a>") else {
            break;
        };
        out.push_str(&body[..close]);
        rest = &body[close + 4..];
    }
    out.push_str(rest);
    out
}

#[cfg(any(test, feature = "testing"))]
/// What a reader gets from `text`, with our callouts left out: the events
/// mdBook's parser yields, adjacent text joined, and each callout's opening
/// tag and its `</a>` dropped. A chapter and its output must give the same:
/// a callout that changes anything else (an escaped `<`, emphasis paired
/// differently) shows here even where [`remove_callouts`] gives the input back.
pub fn rendered_without_callouts(text: &str) -> String {
    use mdbook_markdown::pulldown_cmark::Event;
    use std::fmt::Write;
    let mut out = String::new();
    let mut open = 0usize;
    for (event, _) in crate::markdown::parse(text) {
        match event {
            Event::Text(t) => out.push_str(&t),
            Event::InlineHtml(h) if h.starts_with("<a class=\"gloss-term\"") => open += 1,
            Event::InlineHtml(h) if open > 0 && &*h == "</a>" => open -= 1,
            Event::Start(tag) => {
                let _ = write!(out, "\n<{:?}", std::mem::discriminant(&tag));
                if let mdbook_markdown::pulldown_cmark::Tag::Link { dest_url, .. } = tag {
                    out.push_str(&dest_url);
                }
                out.push('\n');
            }
            Event::End(tag) => {
                let _ = write!(out, "\n>{tag:?}\n");
            }
            Event::Code(s)
            | Event::Html(s)
            | Event::InlineHtml(s)
            | Event::InlineMath(s)
            | Event::DisplayMath(s)
            | Event::FootnoteReference(s) => {
                let _ = write!(out, "\n={s}\n");
            }
            other => {
                let _ = write!(out, "\n{other:?}\n");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
