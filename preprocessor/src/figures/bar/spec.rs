//! A bar chart's data file as serde reads it, and its checks: unique
//! series keys, palette colours, values that name a series and lie on the
//! axis, one value per bar in the single layout, and the axis's end.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{Bar, BarSeries, Item, Layout};
use crate::diagnostics::suggest;
use crate::figures::axis::linear_ticks;
use crate::figures::format::{plain_number, smart};
use crate::figures::read::{Checker, Common, key_offset};
use crate::figures::{Axis, Chart, Format};

/// How a series' bars are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum BarStyle {
    /// Filled.
    #[default]
    Solid,
    /// Tinted, with a strong border.
    Outline,
}

/// `kind = "bar"`, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(in crate::figures) struct Spec {
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

impl crate::figures::read::Spec for Spec {
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
                label: smart(&s.label),
                outline: s.style == BarStyle::Outline,
                color,
            });
        }
        if series.is_empty() {
            let at = key_offset(c.text, "kind");
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
                label: smart(&b.label),
                values,
                note: b.note.as_deref().map(smart),
                source: c.source(&b.source),
            });
        }
        let data_max = items
            .iter()
            .flat_map(|i| i.values.iter().flatten())
            .fold(0.0f64, |a, &b| a.max(b));
        let max = max_allowed.unwrap_or_else(|| {
            if data_max <= 0.0 {
                // Every value is zero: the bars have no length, on an axis
                // that still reads 0 to 1.
                return 1.0;
            }
            let ticks = linear_ticks(0.0, data_max, 5);
            let step = ticks.get(1).copied().unwrap_or(data_max);
            (data_max / step).ceil() * step
        });
        if let Some(m) = self.value.max.as_ref().filter(|_| max <= 0.0) {
            c.error(
                m.span(),
                "the value axis must end above zero",
                "here",
                Some("set `max` above zero, or leave it out".into()),
            );
            return None;
        }
        Some(Chart::Bar(Bar {
            layout: self.layout,
            axis: Axis {
                label: smart(&self.value.label),
                log: false,
                min: 0.0,
                max,
                format: self.value.format,
                unit: self.value.unit,
            },
            series,
            items,
            missing: smart(&self.missing),
            row_heading: smart(&self.row_heading),
        }))
    }
}
