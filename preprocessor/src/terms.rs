//! The glossary: terms, aliases and see-also links read from `glossary.md`,
//! and their validation.
//!
//! An entry's field list may hold, each at most once but `Aliases:`:
//!
//! - `Aliases: MoE, sparse MoE`: other names, matched like the term's own
//!   (an irregular plural, `indices` for `index`, is one; `-s`, `-es` and
//!   possessives are matched already);
//! - `See also: [Router](#router), …`: links to other entries;
//! - `Short: …`: the short definition callouts show, in place of the first
//!   paragraph (which may then end in a list, as in "…can affect:");
//! - `Match: case-sensitive` (the names match only as written, a common
//!   word such as `Bound` with a capital only) or `Match: linked-only` (no
//!   mention is matched; only links to the entry are callouts).

use std::collections::HashMap;

use mdbook_markdown::pulldown_cmark::{Event, Tag};

use crate::diagnostics::{Diagnostic, Diagnostics, Location, suggest};
use crate::entries::{Entry, Field, Format, paragraph_field, parse_entries, split_list};
use crate::markdown::parse;
use unicode_normalization::UnicodeNormalization;

use crate::matcher::{Pattern, normalise};

/// One glossary term.
#[derive(Debug, Clone)]
pub struct Term {
    /// Its stable id, the anchor on the glossary page.
    pub id: String,
    /// The name as its heading gives it.
    pub name: String,
    /// Every other name it is mentioned by.
    pub aliases: Vec<String>,
    /// Ids of related entries.
    pub see_also: Vec<String>,
    /// The short definition, as plain text.
    pub definition: String,
    /// Where its mentions are found.
    pub matching: Matching,
}

/// Where a term's mentions are found: its `Match:` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Matching {
    /// By the matcher's rules: the case as the name's shape says.
    #[default]
    Auto,
    /// Only as written, whatever the name's shape.
    CaseSensitive,
    /// Nowhere by itself: only where the text links to the entry.
    LinkedOnly,
}

/// The values of `Match:`, as written.
const MATCH_VALUES: [(&str, Matching); 2] = [
    ("case-sensitive", Matching::CaseSensitive),
    ("linked-only", Matching::LinkedOnly),
];

/// The parsed glossary: terms, and the entries they came from.
#[derive(Debug, Default)]
pub struct Glossary {
    /// Terms in file order.
    pub terms: Vec<Term>,
    /// The entries, index for index with `terms`.
    pub entries: Vec<Entry>,
}

const FIELDS: [&str; 4] = ["Aliases", "See also", "Short", "Match"];

impl Glossary {
    #[cfg(any(test, feature = "testing"))]
    /// Reads and checks `text`, the glossary file at `path`, with its
    /// entries at level 2.
    pub fn parse(path: &str, text: &str, diags: &mut Diagnostics) -> Glossary {
        Glossary::parse_at(path, text, 2, diags)
    }

    /// Reads and checks `text`, the glossary file at `path`, with its
    /// entries at `level` (the `entry-level` setting).
    pub fn parse_at(path: &str, text: &str, level: u8, diags: &mut Diagnostics) -> Glossary {
        let format = Format {
            level,
            derived_ids: true,
            short_field: Some("Short"),
        };
        let entries = parse_entries(path, text, format, diags);
        let mut terms = Vec::with_capacity(entries.len());
        for entry in &entries {
            let mut term = Term {
                id: entry.id.clone(),
                name: entry.title.clone(),
                aliases: Vec::new(),
                see_also: Vec::new(),
                definition: entry
                    .first_paragraph
                    .as_ref()
                    .map(|p| p.1.clone())
                    .unwrap_or_default(),
                matching: Matching::Auto,
            };
            // "Supervised fine-tuning (SFT)": the parenthesis is an alias.
            if let Some((name, abbrev)) = split_parenthetical(&entry.title) {
                term.aliases.push(abbrev.to_string());
                term.name = name.to_string();
            }
            // A `Short:` field gives the definition, and says itself if it is empty.
            let has_short = entry.fields.iter().any(|f| f.key == "Short");
            if term.definition.is_empty() && !has_short {
                let hashes = |l: u8| "#".repeat(usize::from(l));
                diags.push(
                    Diagnostic::error(format!("glossary entry `{}` has no short definition", entry.id))
                        .at(Location::new(path, text, entry.heading.clone()))
                        .label("the first paragraph after the heading is the definition callouts show")
                        .help(match entry.subheading {
                            // `## A` letter groups over `### Term` entries,
                            // read at level 2: say where the entries are.
                            Some(l) => format!(
                                "its body holds `{}` headings: if those are the entries, set `entry-level = {l}` in `[preprocessor.gloss]`, and `{}` headings become section headings",
                                hashes(l),
                                hashes(level)
                            ),
                            None => "add one or two plain sentences right after the heading (and its field list)".to_string(),
                        }),
                );
            } else if !has_short && term.definition.trim_end().ends_with(':') {
                // "…ABI strings affect:" introduces a list the popover does
                // not show: the reader would get half a sentence.
                // Lines, from 1: the paragraph's, and the one after it,
                // where a block running straight on is an error already.
                let line_of = |at: usize| text[..at].matches('\n').count() + 1;
                if let Some((range, _)) = &entry.first_paragraph
                    && !diags.has_error_within(path, line_of(range.start)..=line_of(range.end) + 1)
                {
                    diags.push(
                        Diagnostic::warning(format!(
                            "the short definition of glossary entry `{}` ends in a colon",
                            entry.id
                        ))
                        .at(Location::new(path, text, range.clone()))
                        .label("callouts show this paragraph alone, without what it introduces")
                        .help("add `- Short: …` under the heading with a definition that stands alone"),
                    );
                }
            }
            // `Short:` and `Match:` once each: a second would silently win.
            let mut seen: Vec<&str> = Vec::new();
            for field in &entry.fields {
                match field.key.as_str() {
                    "Aliases" => {
                        for (alias, range) in split_list(&field.value, field.value_range.start) {
                            if alias.is_empty() {
                                diags.push(
                                    Diagnostic::error(format!("empty alias in glossary entry `{}`", entry.id))
                                        .at(Location::new(path, text, field.range.clone()))
                                        .label("two commas with nothing between them, or a trailing comma")
                                        .help("separate aliases with single commas: `- Aliases: MoE, sparse MoE`"),
                                );
                            } else if alias.contains(['[', ']', '(', ')', '`', '*', '<', '>']) {
                                diags.push(
                                    Diagnostic::error(format!("alias `{alias}` is not plain text"))
                                        .at(Location::new(path, text, range))
                                        .label("aliases are matched as written in the text")
                                        .help("write aliases as plain words, without links, code or emphasis"),
                                );
                            } else if !term.aliases.contains(&alias) {
                                term.aliases.push(alias);
                            }
                        }
                    }
                    "See also" => {
                        term.see_also.extend(see_also_ids(path, text, field, diags));
                    }
                    key @ ("Short" | "Match") if seen.contains(&key) => {
                        diags.push(
                            Diagnostic::error(format!(
                                "glossary entry `{}` has a second `{key}:` field",
                                entry.id
                            ))
                            .at(Location::new(path, text, field.range.clone()))
                            .label("an entry has one")
                            .help("keep one of the two"),
                        );
                    }
                    "Short" => {
                        seen.push("Short");
                        term.definition = short(path, text, &entry.id, field, diags);
                    }
                    "Match" => {
                        seen.push("Match");
                        term.matching = matching(path, text, &entry.id, field, diags);
                    }
                    other => {
                        let mut d = Diagnostic::error(format!("unknown field `{other}` in glossary entry `{}`", entry.id))
                            .at(Location::new(path, text, field.range.clone()))
                            .label("the field list after a heading may only hold `Aliases:`, `See also:`, `Short:` and `Match:`");
                        if let Some(s) = suggest(other, FIELDS) {
                            d = d.help(s);
                        }
                        diags.push(d);
                    }
                }
            }
            terms.push(term);
        }
        let glossary = Glossary { terms, entries };
        glossary.check(path, text, diags);
        glossary
    }

    /// Duplicate ids, colliding names and unknown see-also targets.
    fn check(&self, path: &str, text: &str, diags: &mut Diagnostics) {
        let mut ids: HashMap<&str, usize> = HashMap::new();
        for (i, term) in self.terms.iter().enumerate() {
            if let Some(&first) = ids.get(term.id.as_str()) {
                let line = Location::new(path, text, self.entries[first].heading.clone()).line;
                diags.push(
                    Diagnostic::error(format!("duplicate glossary id `{}`", term.id))
                        .at(Location::new(path, text, self.entries[i].heading.clone()))
                        .label(format!("already used by the entry on line {line}"))
                        .help("give each entry its own id"),
                );
            } else {
                ids.insert(&term.id, i);
            }
        }
        // Names and aliases must each point at one term. They collide when
        // equal ignoring case and Unicode normalisation: `MoE` and `moe`, or
        // `Café` composed and decomposed, would match the same mentions, and
        // one of the two entries could never be called out there.
        let mut names: HashMap<String, usize> = HashMap::new();
        for (i, term) in self.terms.iter().enumerate() {
            for name in std::iter::once(&term.name).chain(&term.aliases) {
                let key = name_key(name);
                match names.get(&key) {
                    Some(&other) if other != i => {
                        let entry = &self.entries[i];
                        let span = entry
                            .fields
                            .iter()
                            .find(|f| f.key == "Aliases" && f.value.contains(name.as_str()))
                            .map_or(entry.heading.clone(), |f| f.range.clone());
                        diags.push(
                            Diagnostic::error(format!(
                                "`{name}` names two glossary entries, `{}` and `{}`",
                                self.terms[other].id, term.id
                            ))
                            .at(Location::new(path, text, span))
                            .label("a mention must lead to one entry")
                            .help(format!("remove `{name}` from one of the two entries")),
                        );
                    }
                    Some(_) => {}
                    None => {
                        names.insert(key, i);
                    }
                }
            }
        }
        for (i, term) in self.terms.iter().enumerate() {
            for target in &term.see_also {
                if !ids.contains_key(target.as_str()) {
                    let entry = &self.entries[i];
                    let field = entry
                        .fields
                        .iter()
                        .find(|f| f.key == "See also")
                        .expect("see-also came from a field");
                    let span = text[field.range.clone()]
                        .find(&format!("#{target}"))
                        .map_or(field.range.clone(), |at| {
                            field.range.start + at..field.range.start + at + target.len() + 1
                        });
                    let mut d =
                        Diagnostic::error(format!("see-also to unknown glossary id `{target}`"))
                            .at(Location::new(path, text, span))
                            .label("no entry has this id");
                    if let Some(s) = suggest(target, self.terms.iter().map(|t| t.id.as_str())) {
                        d = d.help(s);
                    }
                    diags.push(d);
                }
            }
        }
    }

    /// The patterns for the matcher: every name and alias of every term
    /// that is matched at all.
    pub fn patterns(&self) -> Vec<Pattern> {
        let mut out = Vec::new();
        for (i, term) in self.terms.iter().enumerate() {
            if term.matching == Matching::LinkedOnly {
                continue;
            }
            for name in std::iter::once(&term.name).chain(&term.aliases) {
                out.push(Pattern {
                    text: normalise(name),
                    term: i,
                    exact: term.matching == Matching::CaseSensitive,
                });
            }
        }
        out
    }

    #[cfg(any(test, feature = "testing"))]
    /// The index of the term with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.terms.iter().position(|t| t.id == id)
    }
}

/// How a name is compared for collisions: white space collapsed, composed
/// (NFC) and case-folded.
fn name_key(name: &str) -> String {
    normalise(name).nfc().collect::<String>().to_lowercase()
}

/// `Supervised fine-tuning (SFT)` → (`Supervised fine-tuning`, `SFT`).
fn split_parenthetical(title: &str) -> Option<(&str, &str)> {
    let t = title.trim_end();
    if !t.ends_with(')') {
        return None;
    }
    let open = t.rfind(" (")?;
    let inner = &t[open + 2..t.len() - 1];
    (!inner.is_empty() && !inner.contains(['(', ')'])).then(|| (t[..open].trim_end(), inner))
}

/// The short definition a `Short:` field gives, as plain text; empty, with
/// an error, when there is none to give.
fn short(path: &str, text: &str, id: &str, field: &Field, diags: &mut Diagnostics) -> String {
    if field.value.is_empty() {
        diags.push(
            Diagnostic::error(format!("the `Short:` field of glossary entry `{id}` is empty"))
                .at(Location::new(path, text, field.range.clone()))
                .label("callouts show this field in place of the first paragraph")
                .help("write one or two plain sentences after `Short:`, or remove the field to show the first paragraph"),
        );
        return String::new();
    }
    paragraph_field(path, text, field, diags).unwrap_or_default()
}

/// Where a `Match:` field says the term's mentions are found.
fn matching(path: &str, text: &str, id: &str, field: &Field, diags: &mut Diagnostics) -> Matching {
    if let Some((_, m)) = MATCH_VALUES.iter().find(|(v, _)| *v == field.value) {
        return *m;
    }
    let at = if field.value.is_empty() {
        field.range.clone()
    } else {
        field.value_range.clone()
    };
    let values: Vec<String> = MATCH_VALUES.iter().map(|(v, _)| format!("`{v}`")).collect();
    diags.push(
        Diagnostic::error(format!(
            "unknown `Match:` value `{}` in glossary entry `{id}`",
            field.value
        ))
        .at(Location::new(path, text, at))
        .label(format!("accepted: {}", values.join(" or ")))
        .help(
            suggest(&field.value, MATCH_VALUES.iter().map(|(v, _)| *v)).unwrap_or_else(|| {
                "`case-sensitive`: only as written; `linked-only`: only where the text links to the entry".to_string()
            }),
        ),
    );
    Matching::Auto
}

/// The ids a `See also:` field links to, as `[Name](#id)`.
fn see_also_ids(path: &str, text: &str, field: &Field, diags: &mut Diagnostics) -> Vec<String> {
    let mut out = Vec::new();
    let mut outside = String::new();
    let mut depth = 0;
    for (event, _) in parse(&field.value) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                depth += 1;
                match dest_url.strip_prefix('#') {
                    Some(id) if !id.is_empty() => out.push(id.to_string()),
                    _ => diags.push(
                        Diagnostic::error(format!("see-also link `{dest_url}` is not a glossary id"))
                            .at(Location::new(path, text, field.value_range.clone()))
                            .label("expected links of the form `[Name](#id)`")
                            .help("link to another entry of this page by its id, e.g. `[Router](#router)`"),
                    ),
                }
            }
            Event::End(mdbook_markdown::pulldown_cmark::TagEnd::Link) => depth -= 1,
            Event::Text(t) if depth == 0 => outside.push_str(&t),
            _ => {}
        }
    }
    if !outside.chars().all(|c| c == ',' || c.is_whitespace())
        || (out.is_empty() && !field.value.is_empty())
    {
        diags.push(
            Diagnostic::error("malformed `See also:` field")
                .at(Location::new(path, text, field.value_range.clone()))
                .label("expected comma-separated links such as `[Router](#router)`")
                .help("write `- See also: [Router](#router), [Dense model](#dense-model)`"),
        );
    }
    out
}

#[cfg(test)]
mod tests;
