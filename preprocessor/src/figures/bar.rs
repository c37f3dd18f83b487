//! Bar charts: horizontal bars from zero, labelled on the left and with
//! their value at the end, one bar per item (`layout = "single"`, coloured
//! by series) or one bar per series side by side (`layout = "grouped"`).
//! A value an item lacks is shown as the `missing` text, not as zero.
//!
//! ```toml
//! kind = "bar"
//! layout = "grouped"
//! …
//! [value]
//! label = "Parameters (billions)"
//! unit = "B"
//!
//! [[series]]
//! key = "total"
//! label = "Total parameters"
//!
//! [[bar]]
//! label = "Mixtral 8x7B"
//! values = { total = 47, active = 13 }
//! source = "[abstract](cite:mix)"
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::json;
use toml::Spanned;

use super::{
    Axis, Cell, Chart, Checker, Common, FONT, Format, LegendItem, Source, Table, WIDTH, coord,
    format_value, linear_ticks, plain_number, suggest, text_width, wrap,
};

/// One bar per item, or one per series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// Each item has one value, of any series.
    #[default]
    Single,
    /// Each item has a bar for each series.
    Grouped,
}

/// How a series' bars are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BarStyle {
    /// Filled.
    #[default]
    Solid,
    /// Tinted, with a strong border.
    Outline,
}

/// `kind = "bar"`, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    #[serde(rename = "kind")]
    _kind: String,
    title: String,
    caption: String,
    description: String,
    source: Spanned<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    layout: Layout,
    value: ValueSpec,
    series: Vec<SeriesSpec>,
    bar: Vec<BarSpec>,
    #[serde(default = "not_reported")]
    missing: String,
    #[serde(default = "item")]
    row_heading: String,
}

fn not_reported() -> String {
    "not reported".into()
}

fn item() -> String {
    "Item".into()
}

/// `[value]`: the value axis.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ValueSpec {
    label: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    format: Format,
    #[serde(default)]
    max: Option<Spanned<f64>>,
}

/// `[[series]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SeriesSpec {
    key: Spanned<String>,
    label: String,
    #[serde(default)]
    style: BarStyle,
    #[serde(default)]
    color: Option<Spanned<u8>>,
}

/// `[[bar]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct BarSpec {
    label: String,
    values: Spanned<BTreeMap<Spanned<String>, Spanned<f64>>>,
    #[serde(default)]
    note: Option<String>,
    source: Spanned<String>,
}

/// A checked bar chart.
#[derive(Debug, Clone)]
pub struct Bar {
    /// Grouped or single.
    pub layout: Layout,
    /// The value axis, from zero.
    pub axis: Axis,
    /// The series.
    pub series: Vec<BarSeries>,
    /// The items, top to bottom.
    pub items: Vec<Item>,
    /// What a missing value reads as.
    pub missing: String,
    /// The heading of the table's first column.
    pub row_heading: String,
}

/// A series of bars.
#[derive(Debug, Clone)]
pub struct BarSeries {
    /// Its key in `values`.
    pub key: String,
    /// In the legend and the table.
    pub label: String,
    /// Outlined or solid.
    pub outline: bool,
    /// Palette colour, 1 to 4.
    pub color: u8,
}

/// An item: a label and its values, by series.
#[derive(Debug, Clone)]
pub struct Item {
    /// The label.
    pub label: String,
    /// One value per series, in series order.
    pub values: Vec<Option<f64>>,
    /// A remark, in the table.
    pub note: Option<String>,
    /// Where the values come from.
    pub source: Source,
}

impl super::Spec for Spec {
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
        let mut series: Vec<BarSeries> = Vec::new();
        for (i, s) in self.series.iter().enumerate() {
            if series.iter().any(|k| k.key == *s.key.get_ref()) {
                c.error(
                    s.key.span(),
                    format!("duplicate series key `{}`", s.key.get_ref()),
                    "already used by another series",
                    None,
                );
            }
            let color = match &s.color {
                Some(v) if !(1..=4).contains(v.get_ref()) => {
                    c.error(
                        v.span(),
                        format!("no palette colour {}", v.get_ref()),
                        "colours are numbered 1 to 4",
                        None,
                    );
                    1
                }
                Some(v) => *v.get_ref(),
                None => (i % 3) as u8 + 1,
            };
            series.push(BarSeries {
                key: s.key.get_ref().clone(),
                label: super::smart(&s.label),
                outline: s.style == BarStyle::Outline,
                color,
            });
        }
        if series.is_empty() {
            let at = super::key_offset(c.text, "kind");
            c.error(
                at..at + 4,
                "a bar chart needs at least one `[[series]]`",
                "no series",
                None,
            );
        }
        let max_allowed = self.value.max.as_ref().map(|m| *m.get_ref());
        let mut items = Vec::new();
        for b in &self.bar {
            let mut values = vec![None; series.len()];
            for (key, value) in b.values.get_ref() {
                let Some(i) = series.iter().position(|s| s.key == *key.get_ref()) else {
                    let help = suggest(key.get_ref(), series.iter().map(|s| s.key.as_str()))
                        .unwrap_or_else(|| "add it as a `[[series]]` first".into());
                    c.error(
                        key.span(),
                        format!("unknown series `{}`", key.get_ref()),
                        "no `[[series]]` has this key",
                        Some(help),
                    );
                    continue;
                };
                let v = *value.get_ref();
                if !(v >= 0.0 && v.is_finite()) {
                    c.error(
                        value.span(),
                        "a bar's value must be zero or more",
                        "bars start at zero",
                        None,
                    );
                } else if max_allowed.is_some_and(|m| v > m) {
                    c.error(
                        value.span(),
                        format!("value {} is beyond the axis", plain_number(v)),
                        format!(
                            "the axis ends at {}",
                            plain_number(max_allowed.unwrap_or_default())
                        ),
                        Some("raise `max` in `[value]`, or leave it out".into()),
                    );
                }
                values[i] = Some(v);
            }
            let count = values.iter().flatten().count();
            if count == 0 {
                c.error(
                    b.values.span(),
                    "a bar without a value",
                    "no value here",
                    Some(format!(
                        "give a value for one of the series: {}",
                        series
                            .iter()
                            .map(|s| format!("`{}`", s.key))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
            } else if self.layout == Layout::Single && count > 1 {
                c.error(
                    b.values.span(),
                    "a single-layout bar has exactly one value",
                    "more than one value",
                    Some("set `layout = \"grouped\"` to draw one bar per series".into()),
                );
            }
            items.push(Item {
                label: super::smart(&b.label),
                values,
                note: b.note.as_deref().map(super::smart),
                source: c.source(&b.source),
            });
        }
        let data_max = items
            .iter()
            .flat_map(|i| i.values.iter().flatten())
            .fold(0.0f64, |a, &b| a.max(b));
        let max = max_allowed.unwrap_or_else(|| {
            let ticks = linear_ticks(0.0, data_max.max(1e-9), 5);
            let step = ticks.get(1).copied().unwrap_or(data_max);
            (data_max / step).ceil() * step
        });
        if max <= 0.0 {
            if let Some(m) = &self.value.max {
                c.error(m.span(), "the value axis must end above zero", "here", None);
            }
            return None;
        }
        Some(Chart::Bar(Bar {
            layout: self.layout,
            axis: Axis {
                label: super::smart(&self.value.label),
                log: false,
                min: 0.0,
                max,
                format: self.value.format,
                unit: self.value.unit,
            },
            series,
            items,
            missing: super::smart(&self.missing),
            row_heading: super::smart(&self.row_heading),
        }))
    }
}

impl Bar {
    /// Every source of its items.
    pub fn sources(&self) -> Vec<&Source> {
        self.items.iter().map(|i| &i.source).collect()
    }

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
    pub fn layout(&self) -> (serde_json::Value, f64) {
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
                        json!({ "x": coord(x0), "y": coord(by), "w": coord(w), "h": coord(bar_h),
                                "color": s.color, "outline": s.outline, "series": s.label,
                                "value": { "x": coord(x0 + w + 6.0), "y": text_y, "text": self.value_text(*v) } })
                    }
                    None => json!({ "missing": { "x": coord(x0 + 6.0), "y": text_y,
                                "text": format!("{}: {}", s.label.to_lowercase(), self.missing) } }),
                });
            }
            let first_line = y + (row_h - lines.len() as f64 * line_h) / 2.0 + FONT - 1.0;
            let label: Vec<serde_json::Value> = lines
                .iter()
                .enumerate()
                .map(|(i, l)| json!({ "y": coord(first_line + i as f64 * line_h), "text": l }))
                .collect();
            rows.push(json!({ "label_x": coord(x0 - 10.0), "label": label, "bars": bars }));
            y += row_h + if grouped { 16.0 } else { 10.0 };
        }
        let axis_y = y - 4.0;
        let tick_values = linear_ticks(0.0, self.axis.max, 5);
        let x_end = x0 + scale(tick_values.last().copied().unwrap_or(self.axis.max));
        let ticks: Vec<serde_json::Value> = tick_values
            .into_iter()
            .map(|v| json!({ "x": coord(x0 + scale(v)), "text": super::plain_number(v) }))
            .collect();
        let height = axis_y + 8.0 + FONT + 8.0 + FONT + 12.0;
        let geometry = json!({
            "x0": coord(x0), "top": coord(top), "axis_y": coord(axis_y),
            "x_end": coord(x_end), "tick_end": coord(axis_y + 5.0),
            "tick_y": coord(axis_y + 8.0 + FONT),
            "rows": rows, "ticks": ticks,
            "label": { "x": coord((x0 + x1) / 2.0), "y": coord(height - 10.0), "text": self.axis.label },
        });
        (geometry, height)
    }

    /// The legend: one entry per series.
    pub fn legend(&self) -> Vec<LegendItem> {
        self.series
            .iter()
            .map(|s| LegendItem {
                label: super::rich(&s.label),
                swatch: if s.outline { "outline" } else { "bar" }.into(),
                class: format!("gloss-fig-c{}", s.color),
            })
            .collect()
    }

    /// The data: one row per item, one column per series.
    pub fn table(&self) -> Table {
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
