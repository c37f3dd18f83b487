//! Flow diagrams: steps in boxes, joined by arrows, laid out in rows that
//! snake (left to right, then right to left), with an optional loop arrow
//! from a step back to the first one.
//!
//! ```toml
//! kind = "flow"
//! columns = 3
//! …
//! [[step]]
//! id = "sft"
//! label = "Supervised fine-tuning"
//! detail = "Fine-tune on the kept answers."
//! source = "[§4.1.3](cite:l3)"
//!
//! [loop]
//! from = "average"
//! to = "prefs"
//! label = "Next round"
//! tag = "six rounds in all"
//! detail = "…"
//! source = "[§4.1.6](cite:l3)"
//! ```
//!
//! This module reads and checks the data file; `draw` turns the checked
//! diagram into geometry for `figure-flow.html` and a data table.

use serde::Deserialize;
use toml::Spanned;

use super::format::smart;
use super::read::{Checker, Common, key_offset};
use super::{Chart, Source};
use crate::diagnostics::suggest;

mod draw;

pub(super) use draw::Geometry;

/// `kind = "flow"`, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct Spec {
    #[serde(rename = "kind")]
    _kind: String,
    title: String,
    caption: String,
    description: String,
    source: Spanned<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    columns: Option<Spanned<usize>>,
    step: Vec<StepSpec>,
    #[serde(default, rename = "loop")]
    back: Option<LoopSpec>,
}

/// `[[step]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct StepSpec {
    id: Spanned<String>,
    label: String,
    detail: String,
    source: Spanned<String>,
}

/// `[loop]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct LoopSpec {
    from: Spanned<String>,
    to: Spanned<String>,
    label: String,
    #[serde(default)]
    tag: Option<String>,
    detail: String,
    source: Spanned<String>,
}

/// A checked flow diagram.
#[derive(Debug, Clone)]
pub struct Flow {
    /// Boxes per row.
    pub columns: usize,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// The arrow back to the first step.
    pub back: Option<Loop>,
}

/// A step.
#[derive(Debug, Clone)]
pub struct Step {
    /// Its id.
    pub id: String,
    /// The text in its box.
    pub label: String,
    /// What happens, in the table.
    pub detail: String,
    /// Where it is described.
    pub source: Source,
}

/// The arrow back to the first step.
#[derive(Debug, Clone)]
pub struct Loop {
    /// The step it leaves.
    pub from: usize,
    /// In the table.
    pub label: String,
    /// Short text inside the diagram.
    pub tag: Option<String>,
    /// What happens, in the table.
    pub detail: String,
    /// Where it is described.
    pub source: Source,
}

impl super::read::Spec for Spec {
    fn common(&self) -> Common<'_> {
        Common {
            title: &self.title,
            caption: &self.caption,
            description: &self.description,
            source: &self.source,
            note: self.note.as_deref(),
        }
    }

    fn check(self, c: &mut Checker<'_>) -> Option<Chart> {
        let columns = match &self.columns {
            Some(n) if !(1..=4).contains(n.get_ref()) => {
                c.error(
                    n.span(),
                    format!("{} columns do not fit", n.get_ref()),
                    "between 1 and 4 boxes per row",
                    Some("boxes narrower than a quarter of the width cannot hold their text on a phone".into()),
                );
                3
            }
            Some(n) => *n.get_ref(),
            None => 3,
        };
        if self.step.len() < 2 {
            let at = key_offset(c.text, "kind");
            c.error(
                at..at + 4,
                "a flow needs at least two `[[step]]`s",
                "too few steps",
                None,
            );
        }
        let mut steps: Vec<Step> = Vec::new();
        for s in &self.step {
            if steps.iter().any(|t| t.id == *s.id.get_ref()) {
                c.error(
                    s.id.span(),
                    format!("duplicate step id `{}`", s.id.get_ref()),
                    "already used",
                    None,
                );
            }
            steps.push(Step {
                id: s.id.get_ref().clone(),
                label: smart(&s.label),
                detail: smart(&s.detail),
                source: c.source(&s.source),
            });
        }
        let find = |c: &mut Checker<'_>, id: &Spanned<String>| {
            let found = steps.iter().position(|s| s.id == *id.get_ref());
            if found.is_none() {
                let help = suggest(id.get_ref(), steps.iter().map(|s| s.id.as_str()));
                c.error(
                    id.span(),
                    format!("unknown step `{}`", id.get_ref()),
                    "no `[[step]]` has this id",
                    help,
                );
            }
            found
        };
        let back = match &self.back {
            Some(l) => {
                let from = find(c, &l.from);
                let to = find(c, &l.to);
                if to.is_some_and(|t| t != 0) {
                    c.error(
                        l.to.span(),
                        "a loop must return to the first step",
                        "not the first `[[step]]`",
                        steps.first().map(|s| format!("write `to = \"{}\"`", s.id)),
                    );
                }
                Some(Loop {
                    from: from.unwrap_or(0),
                    label: smart(&l.label),
                    tag: l.tag.as_deref().map(smart),
                    detail: smart(&l.detail),
                    source: c.source(&l.source),
                })
            }
            None => None,
        };
        Some(Chart::Flow(Flow {
            columns,
            steps,
            back,
        }))
    }
}

impl Flow {
    /// Every source of its steps and loop.
    pub fn sources(&self) -> Vec<&Source> {
        self.steps
            .iter()
            .map(|s| &s.source)
            .chain(self.back.iter().map(|b| &b.source))
            .collect()
    }
}
