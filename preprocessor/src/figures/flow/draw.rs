//! Drawing a checked flow diagram: steps in boxes of one size, in rows
//! that snake, arrows between them, and the loop back to the first step
//! with its tag; then the data table.

use serde::Serialize;

use super::Flow;
use crate::figures::format::{coord, text_width, wrap};
use crate::figures::render::{Cell, Table};
use crate::figures::{FONT, WIDTH};

/// What `figure-flow.html` reads as `chart`. Every coordinate is a string
/// from [`coord`], as the template prints it.
#[derive(Serialize)]
pub(in crate::figures) struct Geometry {
    boxes: Vec<StepBox>,
    arrows: Vec<Arrow>,
    /// `null` without a loop: the template tests `chart.back`.
    back: Option<Back>,
}

/// A step's box and its wrapped label.
#[derive(Serialize)]
struct StepBox {
    x: String,
    y: String,
    w: String,
    h: String,
    cx: String,
    lines: Vec<TextLine>,
}

#[derive(Serialize)]
struct TextLine {
    y: String,
    text: String,
}

/// An arrow: its shaft (an SVG path) and its head (polygon points).
#[derive(Serialize)]
struct Arrow {
    d: String,
    head: String,
}

/// The loop arrow; its tag `null` when it has none.
#[derive(Serialize)]
struct Back {
    arrow: Arrow,
    tag: Option<BackTag>,
}

#[derive(Serialize)]
struct BackTag {
    x: String,
    y: String,
    text: String,
    w: String,
}

/// An arrow: its shaft and its head.
fn arrow(points: &[(f64, f64)]) -> Arrow {
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
    Arrow { d, head }
}

impl Flow {
    /// Geometry for `figure-flow.html`, and the diagram's height.
    pub(in crate::figures) fn layout(&self) -> (Geometry, f64) {
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
        let boxes = self
            .steps
            .iter()
            .zip(&lines)
            .enumerate()
            .map(|(i, (_, lines))| {
                let (x, y, _) = place(i);
                let first = y + (box_h - lines.len() as f64 * line_h) / 2.0 + FONT - 1.0;
                let text = lines
                    .iter()
                    .enumerate()
                    .map(|(j, l)| TextLine {
                        y: coord(first + j as f64 * line_h),
                        text: l.clone(),
                    })
                    .collect();
                StepBox {
                    x: coord(x),
                    y: coord(y),
                    w: coord(box_w),
                    h: coord(box_h),
                    cx: coord(x + box_w / 2.0),
                    lines: text,
                }
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
        let mut back = None;
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
                BackTag {
                    x: coord(x),
                    y: coord(y),
                    text: t,
                    w: coord(w),
                }
            });
            back = Some(Back {
                arrow: arrow(&points),
                tag,
            });
        }
        let geometry = Geometry {
            boxes,
            arrows,
            back,
        };
        (geometry, height)
    }

    /// The data: one row per step, then the loop.
    pub(in crate::figures) fn table(&self) -> Table {
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
