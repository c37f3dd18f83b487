//! Drawing a checked bar chart: item labels wrapped on the left, bars
//! scaled to the axis with their values at the end (or the `missing` text),
//! a tick axis below; then the legend and the data table.

use serde::Serialize;

use super::{Bar, Layout};
use crate::figures::axis::linear_ticks;
use crate::figures::format::{coord, format_value, plain_number, rich, text_width, wrap};
use crate::figures::render::{Cell, LegendItem, Table};
use crate::figures::{FONT, WIDTH};

/// What `figure-bar.html` reads as `chart`. Every coordinate is a string
/// from [`coord`], as the template prints it.
#[derive(Serialize)]
pub(in crate::figures) struct Geometry {
    x0: String,
    top: String,
    axis_y: String,
    x_end: String,
    tick_end: String,
    tick_y: String,
    rows: Vec<Row>,
    ticks: Vec<Tick>,
    label: Text,
}

/// Text at a point: an axis label, a value, a `missing` note.
#[derive(Serialize)]
struct Text {
    x: String,
    y: String,
    text: String,
}

/// One item: its wrapped label and its bars.
#[derive(Serialize)]
struct Row {
    label_x: String,
    label: Vec<LabelLine>,
    bars: Vec<Slot>,
}

#[derive(Serialize)]
struct LabelLine {
    y: String,
    text: String,
}

/// A series' place in a row. Untagged, so a drawn bar has no `missing`
/// key and a missing one nothing else: the template tests `b.missing`.
#[derive(Serialize)]
#[serde(untagged)]
enum Slot {
    Drawn {
        x: String,
        y: String,
        w: String,
        h: String,
        color: u8,
        outline: bool,
        series: String,
        value: Text,
    },
    Missing {
        missing: Text,
    },
}

#[derive(Serialize)]
struct Tick {
    x: String,
    text: String,
}

impl Bar {
    fn value_text(&self, v: f64) -> String {
        format_value(v, self.axis.format, &self.axis.unit, 4)
            .iter()
            .map(|p| match &p.sup {
                Some(s) => format!("{}^{s}", p.text),
                None => p.text.clone(),
            })
            .collect()
    }

    /// Geometry for `figure-bar.html`, and the chart's height.
    pub(in crate::figures) fn layout(&self) -> (Geometry, f64) {
        let grouped = self.layout == Layout::Grouped;
        let label_max = WIDTH * 0.4;
        let labels: Vec<Vec<String>> = self
            .items
            .iter()
            .map(|i| wrap(&i.label, label_max, FONT, false))
            .collect();
        let label_w = labels
            .iter()
            .flatten()
            .map(|l| text_width(l, FONT, false))
            .fold(0.0, f64::max)
            .min(label_max);
        let value_w = self
            .items
            .iter()
            .flat_map(|i| i.values.iter().flatten())
            .map(|&v| text_width(&self.value_text(v), FONT, false))
            .fold(0.0, f64::max);
        let x0 = 6.0 + label_w + 10.0;
        let x1 = WIDTH - value_w - 12.0;
        let scale = |v: f64| (x1 - x0) * (v / self.axis.max).min(1.0);
        let (bar_h, bar_gap) = if grouped { (18.0, 4.0) } else { (22.0, 0.0) };
        let slots = if grouped { self.series.len() } else { 1 };
        let line_h = FONT + 4.0;
        let top = 10.0;
        let mut y = top;
        let mut rows = Vec::new();
        for (item, lines) in self.items.iter().zip(&labels) {
            let bars_h = slots as f64 * (bar_h + bar_gap) - bar_gap;
            let row_h = bars_h.max(lines.len() as f64 * line_h);
            let bars_top = y + (row_h - bars_h) / 2.0;
            let mut bars = Vec::new();
            for (slot, (si, value)) in item
                .values
                .iter()
                .enumerate()
                .filter(|(_, v)| grouped || v.is_some())
                .enumerate()
            {
                let s = &self.series[si];
                let by = bars_top + slot as f64 * (bar_h + bar_gap);
                let text_y = coord(by + bar_h / 2.0 + FONT / 3.0);
                bars.push(match value {
                    Some(v) => {
                        let w = scale(*v).max(1.5);
                        Slot::Drawn {
                            x: coord(x0),
                            y: coord(by),
                            w: coord(w),
                            h: coord(bar_h),
                            color: s.color,
                            outline: s.outline,
                            series: s.label.clone(),
                            value: Text {
                                x: coord(x0 + w + 6.0),
                                y: text_y,
                                text: self.value_text(*v),
                            },
                        }
                    }
                    None => Slot::Missing {
                        missing: Text {
                            x: coord(x0 + 6.0),
                            y: text_y,
                            text: format!("{}: {}", s.label.to_lowercase(), self.missing),
                        },
                    },
                });
            }
            let first_line = y + (row_h - lines.len() as f64 * line_h) / 2.0 + FONT - 1.0;
            let label = lines
                .iter()
                .enumerate()
                .map(|(i, l)| LabelLine {
                    y: coord(first_line + i as f64 * line_h),
                    text: l.clone(),
                })
                .collect();
            rows.push(Row {
                label_x: coord(x0 - 10.0),
                label,
                bars,
            });
            y += row_h + if grouped { 16.0 } else { 10.0 };
        }
        let axis_y = y - 4.0;
        let tick_values = linear_ticks(0.0, self.axis.max, 5);
        let x_end = x0 + scale(tick_values.last().copied().unwrap_or(self.axis.max));
        let ticks = tick_values
            .into_iter()
            .map(|v| Tick {
                x: coord(x0 + scale(v)),
                text: plain_number(v),
            })
            .collect();
        let height = axis_y + 8.0 + FONT + 8.0 + FONT + 12.0;
        let geometry = Geometry {
            x0: coord(x0),
            top: coord(top),
            axis_y: coord(axis_y),
            x_end: coord(x_end),
            tick_end: coord(axis_y + 5.0),
            tick_y: coord(axis_y + 8.0 + FONT),
            rows,
            ticks,
            label: Text {
                x: coord((x0 + x1) / 2.0),
                y: coord(height - 10.0),
                text: self.axis.label.clone(),
            },
        };
        (geometry, height)
    }

    /// The legend: one entry per series.
    pub(in crate::figures) fn legend(&self) -> Vec<LegendItem> {
        self.series
            .iter()
            .map(|s| LegendItem {
                label: rich(&s.label),
                swatch: if s.outline { "outline" } else { "bar" }.into(),
                class: format!("gloss-fig-c{}", s.color),
            })
            .collect()
    }

    /// The data: one row per item, one column per series.
    pub(in crate::figures) fn table(&self) -> Table {
        let notes = self.items.iter().any(|i| i.note.is_some());
        let mut columns = vec![self.row_heading.clone()];
        columns.extend(self.series.iter().map(|s| s.label.clone()));
        if notes {
            columns.push("Note".into());
        }
        columns.push("Source".into());
        let rows = self
            .items
            .iter()
            .map(|item| {
                let mut row = vec![Cell::text(&item.label)];
                row.extend(item.values.iter().map(|v| match v {
                    Some(v) => Cell::Pieces(self.axis.cell(*v, 4)),
                    None if self.layout == Layout::Grouped => Cell::text(&self.missing),
                    None => Cell::text("–"),
                }));
                if notes {
                    row.push(Cell::text(item.note.as_deref().unwrap_or("")));
                }
                row.push(Cell::Source(item.source.clone(), None));
                row
            })
            .collect();
        Table { columns, rows }
    }
}
