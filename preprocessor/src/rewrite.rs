//! Pass 2: the edits to each chapter, computed from its scan and the book's
//! index, then spliced into the original source by byte range.
//!
//! Inline edits (callouts, cross-references, citations) come first; block
//! edits (annotation cards, backlinks, generated lists) are applied on the
//! result, with the block ranges mapped through the first splice.
//!
//! ```markdown
//! A dense MoE differs [§1](cite:l3); see <xref:stability>.
//! ```
//! becomes, for the HTML renderer,
//! ```markdown
//! A dense <a class="gloss-term" href="glossary.html#moe" data-gloss-term="moe">MoE</a> differs
//! <a class="gloss-cite" id="gloss-cite-l3-1" href="references.html#l3">(Llama Team 2024, §1)</a>;
//! see <a class="gloss-xref" id="gloss-xref-stability-1" href="decision-1/stability.html">Decision 1 › The stability argument</a>.
//! ```

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::claims::Claim;
use crate::config::{Config, Policy};
use crate::diagnostics::Diagnostic;
use crate::edits::{Edit, apply};
use crate::index::{Backlink, Chapter, Index};
use crate::links::relative;
use crate::markdown::line_end;
use crate::references::References;
use crate::scan::{BlockKind, RefKind, Scan, unquote};
use crate::templates::Templates;
use crate::terms::Glossary;

/// Everything pass 2 reads.
pub struct Book<'a> {
    /// Chapters in book order.
    pub chapters: &'a [Chapter],
    /// Their scans.
    pub scans: &'a [Scan],
    /// Their claims.
    pub claims: &'a [Vec<Claim>],
    /// The index.
    pub index: &'a Index,
    /// The glossary and its chapter.
    pub glossary: &'a Glossary,
    /// Index of the glossary chapter, if the book has one.
    pub glossary_chapter: Option<usize>,
    /// The references and their chapter.
    pub references: &'a References,
    /// Index of the references chapter, if the book has one.
    pub references_chapter: Option<usize>,
    /// Settings.
    pub config: &'a Config,
    /// Templates, for the HTML renderer; `None` means plain Markdown output.
    pub templates: Option<&'a Templates>,
    /// The figures' data, from `src/data/`.
    pub figures: &'a crate::figures::Figures,
    /// Callouts rendered so far, by the chapter's link to the glossary page
    /// and the term: a callout differs between chapters only in that link, so
    /// each term is rendered once per folder depth, not once per chapter.
    pub callouts: RefCell<CalloutCache>,
}

/// Rendered callouts (the halves before and after the term), by whether
/// they carry the definition and the link to the glossary page, and then by
/// term.
pub type CalloutCache = HashMap<(bool, String), HashMap<usize, (String, String)>>;

/// Where a term appears: a chapter and its sections (id, title).
type Appearance = (usize, Vec<(String, String)>);

#[derive(Serialize)]
struct Link {
    href: String,
    text: String,
}

#[derive(Serialize)]
struct TermItem<'a> {
    id: &'a str,
    name: &'a str,
    href: String,
    definition: &'a str,
}

impl Book<'_> {
    fn html(&self) -> bool {
        self.templates.is_some()
    }

    fn href(&self, from: usize, to: usize, fragment: Option<&str>) -> String {
        relative(
            &self.chapters[from].path,
            &self.chapters[to].path,
            fragment,
            self.html(),
        )
    }

    /// The link from chapter `from` to the glossary page, if the book has one.
    fn glossary_href(&self, from: usize) -> Option<String> {
        self.glossary_chapter.map(|g| self.href(from, g, None))
    }

    fn backlinks(&self, from: usize, list: Option<&Vec<Backlink>>) -> Vec<Link> {
        list.map(|list| {
            list.iter()
                .map(|b| Link {
                    href: self.href(from, b.chapter, Some(&b.anchor)),
                    text: match &b.section {
                        Some(s) => format!("{} › {}", self.chapters[b.chapter].name, s),
                        None => self.chapters[b.chapter].name.clone(),
                    },
                })
                .collect()
        })
        .unwrap_or_default()
    }

    /// The new text of chapter `ci`.
    pub fn rewrite(&self, ci: usize) -> Result<String, Diagnostic> {
        let chapter = &self.chapters[ci];
        let text = chapter.content.as_str();
        let scan = &self.scans[ci];
        let mut inline = Vec::new();
        let called_out = self.callouts(ci, &mut inline)?;
        self.references_inline(ci, &mut inline)?;
        let (text, map) = apply(text, inline);

        let mut blocks = Vec::new();
        let m = |at: usize, before: bool| map.map(at, before);
        self.claim_blocks(ci, &text, &m, &mut blocks)?;
        if let Some(t) = self.templates {
            // "Referenced from" under every referenced heading but the
            // entries of the glossary and references pages, which list them
            // in their own sections.
            let own_entries =
                Some(ci) == self.glossary_chapter || Some(ci) == self.references_chapter;
            for (hi, h) in scan.headings.iter().enumerate() {
                if own_entries && hi > 0 {
                    continue;
                }
                let id = if hi == 0 && h.level == 1
                    || h.explicit
                    || self
                        .index
                        .targets
                        .get(&h.id)
                        .is_some_and(|t| t.chapter == ci)
                {
                    &h.id
                } else {
                    continue;
                };
                let links = self.backlinks(ci, self.index.referenced_from.get(id));
                if links.is_empty() {
                    continue;
                }
                let html = t.render_value("backrefs.html", serde_json::json!({ "kind": "referenced-from", "label": "Referenced from", "links": links }))?;
                let end = m(h.range.end, false);
                let at = line_end(&text, end.saturating_sub(1));
                let lead = if text[..at].ends_with('\n') { "" } else { "\n" };
                blocks.push(Edit::insert(at, format!("{lead}\n{html}\n\n")));
            }
            if Some(ci) == self.glossary_chapter {
                self.glossary_page(ci, &text, &m, &mut blocks)?;
            }
            if Some(ci) == self.references_chapter {
                self.references_page(ci, &text, &m, &mut blocks)?;
            }
            if self.config.terms_list && !called_out.is_empty() && Some(ci) != self.glossary_chapter
            {
                let page = self.glossary_href(ci);
                let terms: Vec<TermItem<'_>> = called_out
                    .iter()
                    .map(|&term| self.term_item(page.as_deref(), term))
                    .collect();
                let html =
                    t.render_value("terms-list.html", serde_json::json!({ "terms": terms }))?;
                let lead = if text.ends_with('\n') { "\n" } else { "\n\n" };
                blocks.push(Edit::insert(text.len(), format!("{lead}{html}\n")));
            }
        }
        for marker in &scan.ledger_markers {
            let ledger = self.ledger(ci)?;
            blocks.push(Edit::replace(
                m(marker.start, false),
                m(marker.end, true),
                ledger,
            ));
        }
        Ok(apply(&text, blocks).0)
    }

    /// A term as the templates see it; `page` is the chapter's link to the
    /// glossary page (computed once per chapter, not once per term).
    fn term_item(&self, page: Option<&str>, term: usize) -> TermItem<'_> {
        let t = &self.glossary.terms[term];
        TermItem {
            id: &t.id,
            name: &t.name,
            href: page.map(|p| format!("{p}#{}", t.id)).unwrap_or_default(),
            definition: &t.definition,
        }
    }

    /// Callouts: which mentions get one, by the policy, and their edits.
    /// Returns the terms called out, in order of first callout.
    fn callouts(&self, ci: usize, edits: &mut Vec<Edit>) -> Result<Vec<usize>, Diagnostic> {
        let Some(t) = self.templates else {
            return Ok(Vec::new());
        };
        if self.glossary_chapter.is_none() {
            return Ok(Vec::new());
        }
        let scan = &self.scans[ci];
        let is_glossary = Some(ci) == self.glossary_chapter;
        let policy = if is_glossary {
            Policy::FirstInSection
        } else {
            self.config.callouts
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
        let glossary_page = self.glossary_href(ci);
        // The page's "Terms in this chapter" list carries each definition
        // once, and gloss.js reads it from there; a callout carries its own
        // (in `title`, for readers without JavaScript) only on a page without
        // that list. Repeating it in every callout made the output half as
        // large again.
        let with_definition = is_glossary || !self.config.terms_list;
        let mut cache = self.callouts.borrow_mut();
        let rendered = cache
            .entry((with_definition, glossary_page.clone().unwrap_or_default()))
            .or_default();
        let mut order = Vec::new();
        let excluded = |r: &std::ops::Range<usize>| {
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
                    if let Some(term) = self.glossary.position(&scan.existing[i].0) {
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
                    let Some(term) = self.glossary.position(&r.target) else {
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

    /// Cross-references and citations.
    fn references_inline(&self, ci: usize, edits: &mut Vec<Edit>) -> Result<(), Diagnostic> {
        let scan = &self.scans[ci];
        for (ri, r) in scan.refs.iter().enumerate() {
            let anchor = &self.index.anchors[ci][ri];
            let (href, fill, short) = match r.kind {
                RefKind::Term => continue,
                RefKind::Figure => {
                    let figure = crate::figures::render(self, ci, ri)?;
                    edits.push(Edit::replace(r.range.start, r.range.end, figure));
                    continue;
                }
                RefKind::Xref => {
                    let target = &self.index.targets[&r.target];
                    (
                        self.href(ci, target.chapter, target.fragment.as_deref()),
                        target.title.clone(),
                        None,
                    )
                }
                RefKind::Cite => {
                    let Some(rc) = self.references_chapter else {
                        continue;
                    };
                    let source = &self.references.refs
                        [self.references.position(&r.target).expect("resolved")];
                    (
                        self.href(ci, rc, Some(&source.id)),
                        source.cite_as.clone(),
                        Some(source.cite_as.clone()),
                    )
                }
            };
            let Some(t) = self.templates else {
                // Plain Markdown: an ordinary link with the same text.
                let text = match (&r.text, &short) {
                    (Some(tr), Some(s)) => {
                        format!("({s}, {})", &self.chapters[ci].content[tr.clone()])
                    }
                    (None, Some(s)) => format!("({})", md_escape(s)),
                    (Some(tr), None) => self.chapters[ci].content[tr.clone()].to_string(),
                    (None, None) => md_escape(&fill),
                };
                edits.push(Edit::replace(
                    r.range.start,
                    r.range.end,
                    format!("[{text}]({href})"),
                ));
                continue;
            };
            let data = serde_json::json!({
                "href": href, "anchor": anchor, "target": r.target,
                "short": short, "locator": r.text.is_some(),
            });
            let name = if r.kind == RefKind::Cite {
                "cite.html"
            } else {
                "xref.html"
            };
            match &r.text {
                Some(tr) => {
                    let (open, close) = t.wrap(name, &data)?;
                    edits.push(Edit::replace(r.range.start, tr.start, open));
                    edits.push(Edit::replace(tr.end, r.range.end, close));
                }
                None => {
                    let (open, close) = t.wrap(name, &data)?;
                    let body = if r.kind == RefKind::Cite {
                        String::new()
                    } else {
                        md_escape(&fill)
                    };
                    edits.push(Edit::replace(
                        r.range.start,
                        r.range.end,
                        format!("{open}{body}{close}"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Annotation blocks: each claim's card around its claim, verdict and
    /// evidence; the block quotes become plain blocks inside it.
    fn claim_blocks(
        &self,
        ci: usize,
        text: &str,
        m: &dyn Fn(usize, bool) -> usize,
        edits: &mut Vec<Edit>,
    ) -> Result<(), Diagnostic> {
        let scan = &self.scans[ci];
        for claim in &self.claims[ci] {
            let blocks: Vec<_> = claim.blocks.iter().map(|&b| &scan.blocks[b]).collect();
            let Some(t) = self.templates else {
                for b in &blocks {
                    let label = match b.kind {
                        BlockKind::Claim => format!(
                            "**Claim {}** (the article, ¶{}):",
                            claim.id, claim.paragraph
                        ),
                        BlockKind::Verdict => format!("**Verdict: {}.**", claim.verdict),
                        BlockKind::Evidence => "**Evidence.**".to_string(),
                    };
                    edits.push(Edit::replace(
                        m(b.marker.start, false),
                        m(b.marker.end, true),
                        label,
                    ));
                }
                continue;
            };
            let backrefs = self.backlinks(ci, self.index.referenced_from.get(&claim.xref_id()));
            let card = serde_json::json!({
                "id": claim.id, "anchor": claim.anchor(), "paragraph": claim.paragraph,
                "verdict": claim.verdict, "backrefs": backrefs,
            });
            let (card_open, card_close) = t.wrap("claim.html", &card)?;
            let first = m(blocks[0].range.start, false);
            edits.push(Edit::insert(first, card_open));
            for b in &blocks {
                let kind = match b.kind {
                    BlockKind::Claim => "claim",
                    BlockKind::Verdict => "verdict",
                    BlockKind::Evidence => "evidence",
                };
                let data = serde_json::json!({
                    "kind": kind, "id": claim.id, "anchor": claim.anchor(),
                    "paragraph": claim.paragraph, "verdict": claim.verdict,
                });
                let (open, close) = t.wrap("block.html", &data)?;
                let (start, end) = (m(b.range.start, false), m(b.range.end, true));
                let (ms, me) = (m(b.marker.start, false), m(b.marker.end, true));
                let body = format!("{}{}", &text[start..ms], &text[me..end]);
                let body = unquote(&body);
                let body = body.trim_matches('\n');
                edits.push(Edit::replace(start, end, format!("{open}{body}{close}")));
            }
            let last = m(blocks[blocks.len() - 1].range.end, true);
            // Markdown may follow directly: end the HTML block with a blank line.
            edits.push(Edit::insert(last, format!("{card_close}\n\n")));
        }
        Ok(())
    }

    /// The glossary page: each entry's aliases and see-also, and where it appears.
    fn glossary_page(
        &self,
        ci: usize,
        text: &str,
        m: &dyn Fn(usize, bool) -> usize,
        edits: &mut Vec<Edit>,
    ) -> Result<(), Diagnostic> {
        let t = self.templates.expect("HTML only");
        // Looked up once per page, not once per link: the page has a link
        // for every see-also and every appearance, so a linear search of the
        // glossary per link was quadratic in the number of terms.
        let mut term_index: HashMap<&str, usize> = HashMap::new();
        for (i, term) in self.glossary.terms.iter().enumerate() {
            term_index.entry(term.id.as_str()).or_insert(i);
        }
        let position = |id: &str| term_index.get(id).copied();
        let chapter_hrefs: Vec<String> = (0..self.chapters.len())
            .map(|cj| self.href(ci, cj, None))
            .collect();
        // Mentions by term: chapter → sections, in book order.
        let mut appears: HashMap<usize, Vec<Appearance>> = HashMap::new();
        for (cj, scan) in self.scans.iter().enumerate() {
            if Some(cj) == self.glossary_chapter {
                continue;
            }
            let forced = scan
                .refs
                .iter()
                .filter(|r| r.kind == RefKind::Term)
                .filter_map(|r| Some((position(&r.target)?, r.section)));
            for (term, section) in scan
                .mentions
                .iter()
                .map(|m| (m.term, m.section))
                .chain(forced)
            {
                let list = appears.entry(term).or_default();
                if list.last().is_none_or(|(c, _)| *c != cj) {
                    list.push((cj, Vec::new()));
                }
                if let Some(s) = section.filter(|&s| scan.headings[s].level > 1) {
                    let h = &scan.headings[s];
                    let sections = &mut list.last_mut().expect("pushed above").1;
                    if !sections.iter().any(|(id, _)| *id == h.id) {
                        sections.push((h.id.clone(), h.title.clone()));
                    }
                }
            }
        }
        for (ti, (term, entry)) in self
            .glossary
            .terms
            .iter()
            .zip(&self.glossary.entries)
            .enumerate()
        {
            let aliases = &term.aliases;
            let see_also: Vec<Link> = term
                .see_also
                .iter()
                .filter_map(|id| position(id))
                .map(|j| Link {
                    href: format!("#{}", self.glossary.terms[j].id),
                    text: self.glossary.terms[j].name.clone(),
                })
                .collect();
            let fields = t.render_value(
                "glossary-fields.html",
                serde_json::json!({ "id": term.id, "aliases": aliases, "see_also": see_also }),
            )?;
            edits.push(fields_edit(text, entry, fields, m));
            let chapters: Vec<serde_json::Value> = appears
                .get(&ti)
                .map(|list| {
                    list.iter()
                        .map(|(cj, sections)| {
                            let sections: Vec<Link> = sections
                                .iter()
                                .map(|(id, title)| Link { href: format!("{}#{id}", chapter_hrefs[*cj]), text: title.clone() })
                                .collect();
                            serde_json::json!({ "href": chapter_hrefs[*cj], "title": self.chapters[*cj].name, "sections": sections })
                        })
                        .collect()
                })
                .unwrap_or_default();
            let referenced = self.backlinks(ci, self.index.referenced_from.get(&term.id));
            let html = t.render_value("appears-in.html", serde_json::json!({ "id": term.id, "chapters": chapters, "referenced": referenced }))?;
            edits.push(Edit::insert(m(entry.end, true), format!("\n{html}\n\n")));
        }
        Ok(())
    }

    /// The references page: each source's details and where it is cited.
    fn references_page(
        &self,
        ci: usize,
        text: &str,
        m: &dyn Fn(usize, bool) -> usize,
        edits: &mut Vec<Edit>,
    ) -> Result<(), Diagnostic> {
        let t = self.templates.expect("HTML only");
        for (source, entry) in self.references.refs.iter().zip(&self.references.entries) {
            let fields = t.render_value(
                "reference-fields.html",
                serde_json::json!({ "source": source }),
            )?;
            edits.push(fields_edit(text, entry, fields, m));
            let links = self.backlinks(ci, self.index.cited_in.get(&source.id));
            let referenced = self.backlinks(ci, self.index.referenced_from.get(&source.id));
            let mut html = t.render_value(
                "backrefs.html",
                serde_json::json!({ "kind": "cited-in", "label": "Cited in", "links": links }),
            )?;
            if !referenced.is_empty() {
                html.push_str("\n\n");
                html.push_str(&t.render_value("backrefs.html", serde_json::json!({ "kind": "referenced-from", "label": "Referenced from", "links": referenced }))?);
            }
            edits.push(Edit::insert(m(entry.end, true), format!("\n{html}\n\n")));
        }
        Ok(())
    }

    /// The claims ledger, in article order, with counts by verdict.
    fn ledger(&self, ci: usize) -> Result<String, Diagnostic> {
        let mut rows: Vec<(u32, serde_json::Value)> = Vec::new();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for (cj, claims) in self.claims.iter().enumerate() {
            for c in claims {
                *counts.entry(c.verdict.as_str()).or_default() += 1;
                rows.push((
                    c.number,
                    serde_json::json!({
                        "id": c.id, "paragraph": c.paragraph, "verdict": c.verdict,
                        "href": self.href(ci, cj, Some(&c.anchor())),
                        "chapter": self.chapters[cj].name, "chapter_href": self.href(ci, cj, None),
                        "summary": c.text,
                    }),
                ));
            }
        }
        rows.sort_by_key(|(n, _)| *n);
        let counts: Vec<serde_json::Value> = crate::claims::VERDICTS
            .iter()
            .map(|v| serde_json::json!({ "verdict": v, "count": counts.get(v).copied().unwrap_or(0) }))
            .collect();
        let rows: Vec<serde_json::Value> = rows.into_iter().map(|(_, r)| r).collect();
        match self.templates {
            Some(t) => t.render_value(
                "ledger.html",
                serde_json::json!({ "total": rows.len(), "counts": counts, "rows": rows }),
            ),
            None => {
                let mut out =
                    String::from("| Claim | ¶ | Verdict | Chapter |\n|---|---|---|---|\n");
                for r in &rows {
                    out.push_str(&format!(
                        "| [{}]({}) | {} | {} | {} |\n",
                        r["id"].as_str().unwrap_or(""),
                        r["href"].as_str().unwrap_or(""),
                        r["paragraph"],
                        r["verdict"].as_str().unwrap_or(""),
                        md_escape(r["chapter"].as_str().unwrap_or(""))
                    ));
                }
                Ok(out)
            }
        }
    }
}

/// The edit that puts an entry's rendered fields (aliases, see-also, or a
/// source's details) in place of its field list, or under its heading when
/// it has none. A blank line follows, so the entry's first paragraph stays
/// Markdown rather than joining the HTML block.
fn fields_edit(
    text: &str,
    entry: &crate::entries::Entry,
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

/// Text that must stay text when mdBook parses it as Markdown: HTML special
/// characters as entities, Markdown punctuation escaped.
pub fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '{' | '}' | '#' | '!' | '|' | '~' | '$' => {
                out.push('\\');
                out.push(ch);
            }
            c => out.push(c),
        }
    }
    out
}

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
