//! The bibliography: sources read from `references.md`.

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, Diagnostics, Location, suggest};
use crate::entries::{Entry, Format, parse_entries};

/// One source.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Reference {
    /// Its stable id, used in `cite:` links.
    pub id: String,
    /// The title, from the heading.
    pub title: String,
    /// `Authors:`.
    pub authors: String,
    /// `Cite as:`, the short author-year form shown in the text.
    pub cite_as: String,
    /// `Year:`.
    pub year: String,
    /// `arXiv:`, if any.
    pub arxiv: Option<String>,
    /// `DOI:`, if any: the bare identifier (`10.1000/xyz123`), linked
    /// through `https://doi.org/`.
    pub doi: Option<String>,
    /// `URL:`, if any; always `https:` or `http:`.
    pub url: Option<String>,
    /// `Section URL:`, if any: the address of a numbered section, with
    /// `{1}`, `{2}`, … for the parts of its number (see [`sections`]).
    pub section_url: Option<String>,
}

/// The parsed bibliography.
#[derive(Debug, Default)]
pub struct References {
    /// Sources in file order.
    pub refs: Vec<Reference>,
    /// The entries, index for index with `refs`.
    pub entries: Vec<Entry>,
}

pub(crate) mod sections;

const FIELDS: [&str; 7] = [
    "Authors",
    "Cite as",
    "Year",
    "arXiv",
    "DOI",
    "URL",
    "Section URL",
];

impl References {
    /// Reads and checks `text`, the references file at `path`.
    pub fn parse(path: &str, text: &str, diags: &mut Diagnostics) -> References {
        let entries = parse_entries(path, text, Format::REFERENCES, diags);
        let mut refs = Vec::with_capacity(entries.len());
        let mut seen: HashMap<String, usize> = HashMap::new();
        for entry in &entries {
            let at = |range| Location::new(path, text, range);
            let mut r = Reference {
                id: entry.id.clone(),
                title: entry.title.clone(),
                ..Reference::default()
            };
            // Ids that differ only in case are one id to a reader typing `cite:`.
            let key = entry.id.to_lowercase();
            if let Some(first_line) = seen.get(&key) {
                diags.push(
                    Diagnostic::error(format!("duplicate reference id `{}`", entry.id))
                        .at(at(entry.heading.clone()))
                        .label(format!("already used by the entry on line {first_line}"))
                        .help("give each source its own id"),
                );
            }
            seen.insert(key, at(entry.heading.clone()).line);
            for field in &entry.fields {
                let value = field.value.clone();
                match field.key.as_str() {
                    "Authors" => r.authors = value,
                    "Cite as" => r.cite_as = value,
                    "Year" => r.year = value,
                    "arXiv" => {
                        let ok = value.split_once('.').is_some_and(|(a, b)| {
                            a.len() == 4
                                && a.bytes().all(|c| c.is_ascii_digit())
                                && (4..=5).contains(&b.len())
                                && b.bytes().all(|c| c.is_ascii_digit())
                        });
                        if !ok {
                            diags.push(
                                Diagnostic::error(format!("`{value}` is not an arXiv identifier"))
                                    .at(at(field.value_range.clone()))
                                    .label("expected the form YYMM.NNNNN")
                                    .help("write the bare identifier, e.g. `2407.21783`"),
                            );
                        }
                        r.arxiv = Some(value);
                    }
                    "DOI" => {
                        if is_doi(&value) {
                            r.doi = Some(value);
                        } else {
                            diags.push(
                                Diagnostic::error(format!("`{value}` is not a DOI"))
                                    .at(at(field.value_range.clone()))
                                    .label("expected the form 10.NNNN/suffix")
                                    .help("write the bare identifier, e.g. `10.18653/v1/2020.acl-main.1`, without `https://doi.org/`"),
                            );
                        }
                    }
                    "URL" => {
                        if is_web_address(&value) {
                            r.url = Some(value);
                        } else {
                            diags.push(
                                Diagnostic::error(format!(
                                    "reference `{}` has an unsafe or malformed URL",
                                    entry.id
                                ))
                                .at(at(field.value_range.clone()))
                                .label("only http and https URLs are allowed")
                                .help("use the source's official https address"),
                            );
                        }
                    }
                    "Section URL" => {
                        let problem = if is_web_address(&value) {
                            sections::check(&value).err()
                        } else {
                            Some("only http and https URLs are allowed".to_string())
                        };
                        match problem {
                            None => r.section_url = Some(value),
                            Some(label) => diags.push(
                                Diagnostic::error(format!(
                                    "reference `{}` has an unusable `Section URL:`",
                                    entry.id
                                ))
                                .at(at(field.value_range.clone()))
                                .label(label)
                                .help("write the address of section 1.2.3 with {1}, {2} and {3} in place of its numbers, e.g. `https://arxiv.org/html/2407.21783v3#S{1}.SS{2}.SSS{3}`"),
                            ),
                        }
                    }
                    other => {
                        let mut d = Diagnostic::error(format!(
                            "unknown field `{other}` in reference `{}`",
                            entry.id
                        ))
                        .at(at(field.range.clone()))
                        .label("allowed: Authors, Cite as, Year, arXiv, DOI, URL, Section URL");
                        if let Some(s) = suggest(other, FIELDS) {
                            d = d.help(s);
                        }
                        diags.push(d);
                    }
                }
            }
            for (key, value) in [
                ("Authors", &r.authors),
                ("Cite as", &r.cite_as),
                ("Year", &r.year),
            ] {
                if value.is_empty() {
                    diags.push(
                        Diagnostic::error(format!(
                            "reference `{}` has no `{key}:` field",
                            entry.id
                        ))
                        .at(at(entry.heading.clone()))
                        .label("every source needs Authors, Cite as and Year")
                        .help(format!("add `- {key}: …` to the list under the heading")),
                    );
                }
            }
            refs.push(r);
        }
        References { refs, entries }
    }

    /// The index of the source with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.refs.iter().position(|r| r.id == id)
    }
}

/// Whether `value` is an `https:` or `http:` address that can go into an
/// attribute as it is.
fn is_web_address(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !value.contains(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '`'))
}

/// Whether `value` is a bare DOI: `10.`, a registrant code of digits
/// (dotted sub-codes allowed), `/`, and a suffix of the characters DOIs
/// are written with in practice, so that it can go into a URL as it is.
fn is_doi(value: &str) -> bool {
    let Some((prefix, suffix)) = value.split_once('/') else {
        return false;
    };
    let registrant = prefix.strip_prefix("10.").unwrap_or("");
    !registrant.is_empty()
        && registrant
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
        && !suffix.is_empty()
        && suffix
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"-._;()/:+".contains(&c))
}

#[cfg(test)]
mod tests;
