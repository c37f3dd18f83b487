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

use serde::Deserialize;
use serde_json::json;
use toml::Spanned;

use super::format::{coord, smart, text_width, wrap};
use super::read::{Checker, Common, key_offset};
use super::render::{Cell, Table};
use super::{Chart, FONT, Source, WIDTH};
use crate::diagnostics::suggest;

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

/// An arrow: its shaft and its head.
fn arrow(points: &[(f64, f64)]) -> serde_json::Value {
    let mut d = String::new();
    for (i, (x, y)) in points.iter().enumerate() {
        d.push_str(&format!(
            "{}{} {}",
            if i == 0 { "M" } else { "L" },
            coord(*x),
            coord(*y)
        ));
    }
    let (tip, prev) = (points[points.len() - 1], points[points.len() - 2]);
    let (dx, dy) = (tip.0 - prev.0, tip.1 - prev.1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-9);
    let (ux, uy) = (dx / len, dy / len);
    let (size, half) = (10.0, 5.5);
    let base = (tip.0 - ux * size, tip.1 - uy * size);
    let head = format!(
        "{},{} {},{} {},{}",
        coord(tip.0),
        coord(tip.1),
        coord(base.0 - uy * half),
        coord(base.1 + ux * half),
        coord(base.0 + uy * half),
        coord(base.1 - ux * half)
    );
    json!({ "d": d, "head": head })
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

    /// Geometry for `figure-flow.html`, and the diagram's height.
    pub(super) fn layout(&self) -> (serde_json::Value, f64) {
        let n = self.steps.len();
        let cols = self.columns.min(n).max(1);
        let rows = n.div_ceil(cols);
        let gutter = if self.back.is_some() { 30.0 } else { 6.0 };
        let gap = 28.0;
        let box_w = (WIDTH - gutter - 6.0 - (cols - 1) as f64 * gap) / cols as f64;
        let line_h = FONT + 4.0;
        let lines: Vec<Vec<String>> = self
            .steps
            .iter()
            .map(|s| wrap(&s.label, box_w - 16.0, FONT, true))
            .collect();
        let most = lines.iter().map(Vec::len).max().unwrap_or(1);
        let box_h = most as f64 * line_h + 22.0;
        let tag = self.back.as_ref().and_then(|b| b.tag.clone());
        let row_gap = if tag.is_some() && rows > 1 {
            64.0
        } else {
            40.0
        };
        let top = 8.0;
        let place = |i: usize| {
            let (r, k) = (i / cols, i % cols);
            let col = if r % 2 == 0 { k } else { cols - 1 - k };
            (
                gutter + col as f64 * (box_w + gap),
                top + r as f64 * (box_h + row_gap),
                col,
            )
        };
        let boxes: Vec<serde_json::Value> = self
            .steps
            .iter()
            .zip(&lines)
            .enumerate()
            .map(|(i, (_, lines))| {
                let (x, y, _) = place(i);
                let first = y + (box_h - lines.len() as f64 * line_h) / 2.0 + FONT - 1.0;
                let text: Vec<serde_json::Value> = lines
                    .iter()
                    .enumerate()
                    .map(|(j, l)| json!({ "y": coord(first + j as f64 * line_h), "text": l }))
                    .collect();
                json!({ "x": coord(x), "y": coord(y), "w": coord(box_w), "h": coord(box_h),
                        "cx": coord(x + box_w / 2.0), "lines": text })
            })
            .collect();
        let mut arrows = Vec::new();
        for i in 0..n.saturating_sub(1) {
            let ((x0, y0, c0), (x1, y1, c1)) = (place(i), place(i + 1));
            let mid = |y: f64| y + box_h / 2.0;
            arrows.push(if (y0 - y1).abs() < 1e-9 {
                if c1 > c0 {
                    arrow(&[(x0 + box_w + 3.0, mid(y0)), (x1 - 3.0, mid(y1))])
                } else {
                    arrow(&[(x0 - 3.0, mid(y0)), (x1 + box_w + 3.0, mid(y1))])
                }
            } else {
                let cx = x0 + box_w / 2.0;
                arrow(&[(cx, y0 + box_h + 3.0), (cx, y1 - 3.0)])
            });
        }
        let mut height = top + rows as f64 * box_h + (rows - 1) as f64 * row_gap + 8.0;
        let mut back = serde_json::Value::Null;
        if let Some(l) = &self.back {
            let (fx, fy, fcol) = place(l.from);
            let (_, ty, _) = place(0);
            let lane = gutter - 16.0;
            let points = if fcol == 0 {
                vec![
                    (fx - 3.0, fy + box_h / 2.0),
                    (lane, fy + box_h / 2.0),
                    (lane, ty + box_h / 2.0),
                    (gutter - 3.0, ty + box_h / 2.0),
                ]
            } else {
                let below = fy + box_h + 16.0;
                height = height.max(below + 10.0);
                vec![
                    (fx + box_w / 2.0, fy + box_h + 3.0),
                    (fx + box_w / 2.0, below),
                    (lane, below),
                    (lane, ty + box_h / 2.0),
                    (gutter - 3.0, ty + box_h / 2.0),
                ]
            };
            let tag = tag.map(|t| {
                // Between the first two rows, clear of the arrow down on the
                // right; under the boxes if there is one row.
                let (x, y) = if rows > 1 {
                    let span = (cols.max(2) - 1) as f64 * (box_w + gap) - gap;
                    (
                        gutter + span / 2.0,
                        top + box_h + row_gap / 2.0 + FONT / 3.0,
                    )
                } else {
                    height += FONT + 12.0;
                    (WIDTH / 2.0, height - 10.0)
                };
                let w = text_width(&t, FONT, false);
                json!({ "x": coord(x), "y": coord(y), "text": t, "w": coord(w) })
            });
            back = json!({ "arrow": arrow(&points), "tag": tag });
        }
        let geometry = json!({ "boxes": boxes, "arrows": arrows, "back": back });
        (geometry, height)
    }

    /// The data: one row per step, then the loop.
    pub(super) fn table(&self) -> Table {
        let mut rows: Vec<Vec<Cell>> = self
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                vec![
                    Cell::text(format!("{}. {}", i + 1, s.label)),
                    Cell::text(&s.detail),
                    Cell::Source(s.source.clone(), None),
                ]
            })
            .collect();
        if let Some(l) = &self.back {
            rows.push(vec![
                Cell::text(format!("↺ {}", l.label)),
                Cell::text(&l.detail),
                Cell::Source(l.source.clone(), None),
            ]);
        }
        Table {
            columns: vec!["Step".into(), "What happens".into(), "Source".into()],
            rows,
        }
    }
}
