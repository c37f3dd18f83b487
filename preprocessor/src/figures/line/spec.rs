//! A line chart's data file as serde reads it, and its checks: axes that
//! can be drawn, bands that end after they start, values on their axes,
//! palette colours, and a series that is either a power law or points.

use serde::Deserialize;
use toml::Spanned;

use super::{Band, Data, Line, Marker, Rule, Series, Shape};
use crate::figures::format::{plain_number, smart};
use crate::figures::read::{Checker, Common, key_offset};
use crate::figures::{Axis, Chart, Format};

/// Linear or logarithmic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Scale {
    /// Evenly spaced values.
    #[default]
    Linear,
    /// Evenly spaced powers of ten.
    Log,
}

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Style {
    /// Unbroken.
    #[default]
    Solid,
    /// Dashed.
    Dashed,
}

/// `kind = "line"`, as written.
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
    x: AxisSpec,
    y: AxisSpec,
    #[serde(default)]
    band: Vec<BandSpec>,
    #[serde(default)]
    rule: Vec<RuleSpec>,
    #[serde(default)]
    series: Vec<Spanned<SeriesSpec>>,
    #[serde(default)]
    marker: Vec<MarkerSpec>,
}

/// `[x]` or `[y]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct AxisSpec {
    label: String,
    #[serde(default)]
    scale: Scale,
    min: Spanned<f64>,
    max: Spanned<f64>,
    #[serde(default)]
    format: Format,
    #[serde(default)]
    unit: String,
}

/// `[[band]]`: a shaded range of x.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct BandSpec {
    label: String,
    #[serde(default)]
    tag: Option<String>,
    from: Spanned<f64>,
    to: Spanned<f64>,
    source: Spanned<String>,
}

/// `[[rule]]`: a vertical line at one x.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuleSpec {
    label: String,
    #[serde(default)]
    tag: Option<String>,
    at: Spanned<f64>,
    source: Spanned<String>,
}

/// `power-law = { a = …, alpha = … }`: y = a·x^alpha.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PowerLawSpec {
    a: Spanned<f64>,
    alpha: Spanned<f64>,
}

/// `[[series]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SeriesSpec {
    label: String,
    #[serde(default)]
    style: Style,
    #[serde(default)]
    color: Option<Spanned<u8>>,
    source: Spanned<String>,
    #[serde(default)]
    power_law: Option<PowerLawSpec>,
    #[serde(default)]
    points: Option<Vec<Spanned<[f64; 2]>>>,
}

/// `[[marker]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct MarkerSpec {
    label: String,
    #[serde(default)]
    tag: Option<String>,
    x: Spanned<f64>,
    y: Spanned<f64>,
    #[serde(default)]
    shape: Shape,
    #[serde(default)]
    color: Option<Spanned<u8>>,
    source: Spanned<String>,
}
impl AxisSpec {
    fn check(&self, c: &mut Checker<'_>, which: &str) -> Option<Axis> {
        let (min, max) = (*self.min.get_ref(), *self.max.get_ref());
        let mut ok = true;
        if self.scale == Scale::Log && min <= 0.0 {
            c.error(
                self.min.span(),
                format!("a logarithmic `{which}` axis must start above zero"),
                "not above zero",
                Some("start at a power of ten such as `1e18`".into()),
            );
            ok = false;
        }
        if max <= min || !min.is_finite() || !max.is_finite() {
            c.error(
                self.max.span(),
                format!("the `{which}` axis ends where it starts or before"),
                "`max` must be greater than `min`",
                None,
            );
            ok = false;
        }
        ok.then(|| Axis {
            label: smart(&self.label),
            log: self.scale == Scale::Log,
            min,
            max,
            format: self.format,
            unit: self.unit.clone(),
        })
    }
}

fn color(c: &mut Checker<'_>, value: &Option<Spanned<u8>>, default: u8) -> u8 {
    match value {
        Some(v) if !(1..=4).contains(v.get_ref()) => {
            c.error(
                v.span(),
                format!("no palette colour {}", v.get_ref()),
                "colours are numbered 1 to 4",
                Some("1 and 2 are the two main colours, 3 a third, 4 the text colour".into()),
            );
            default
        }
        Some(v) => *v.get_ref(),
        None => default,
    }
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
        let (x, y) = (self.x.check(c, "x"), self.y.check(c, "y"));
        let (x, y) = (x?, y?);
        let bands = self
            .band
            .iter()
            .map(|b| {
                let from = c.on_axis(&b.from, &x, "`from`");
                let to = c.on_axis(&b.to, &x, "`to`");
                if to <= from {
                    c.error(
                        b.to.span(),
                        "a band must end after it starts",
                        "`to` must be greater than `from`",
                        None,
                    );
                }
                Band {
                    label: smart(&b.label),
                    tag: b.tag.as_deref().map(smart),
                    from,
                    to,
                    source: c.source(&b.source),
                }
            })
            .collect();
        let rules = self
            .rule
            .iter()
            .map(|r| Rule {
                label: smart(&r.label),
                tag: r.tag.as_deref().map(smart),
                at: c.on_axis(&r.at, &x, "`at`"),
                source: c.source(&r.source),
            })
            .collect();
        let mut series = Vec::new();
        for (i, s) in self.series.iter().enumerate() {
            let span = s.span();
            let s = s.get_ref();
            let data = match (&s.power_law, &s.points) {
                (Some(p), None) => {
                    let (a, alpha) = (*p.a.get_ref(), *p.alpha.get_ref());
                    if a <= 0.0 && y.log {
                        c.error(
                            p.a.span(),
                            "a power law on a logarithmic axis needs `a` above zero",
                            "not above zero",
                            None,
                        );
                    }
                    if !alpha.is_finite() {
                        c.error(p.alpha.span(), "`alpha` is not a number", "here", None);
                    }
                    Data::PowerLaw { a, alpha }
                }
                (None, Some(points)) if points.len() >= 2 => Data::Points(
                    points
                        .iter()
                        .map(|p| {
                            let [px, py] = *p.get_ref();
                            let inside =
                                (x.min..=x.max).contains(&px) && (y.min..=y.max).contains(&py);
                            if !inside {
                                c.error(
                                    p.span(),
                                    format!(
                                        "point [{}, {}] is outside the axes",
                                        plain_number(px),
                                        plain_number(py)
                                    ),
                                    format!(
                                        "x runs from {} to {}, y from {} to {}",
                                        plain_number(x.min),
                                        plain_number(x.max),
                                        plain_number(y.min),
                                        plain_number(y.max)
                                    ),
                                    None,
                                );
                            }
                            (px, py)
                        })
                        .collect(),
                ),
                _ => {
                    c.error(
                        span.start..span.start + 10,
                        "a series needs either `power-law` or at least two `points`",
                        "this series",
                        Some(
                            "`power-law = { a = 0.3, alpha = 0.5 }` or `points = [[1, 2], [3, 4]]`"
                                .into(),
                        ),
                    );
                    Data::Points(Vec::new())
                }
            };
            series.push(Series {
                label: smart(&s.label),
                dashed: s.style == Style::Dashed,
                color: color(c, &s.color, (i % 3) as u8 + 1),
                data,
                source: c.source(&s.source),
            });
        }
        if series.is_empty() && self.marker.is_empty() {
            let at = key_offset(c.text, "kind");
            c.error(
                at..at + 4,
                "a line chart with nothing to draw",
                "no `[[series]]` or `[[marker]]`",
                Some("add a `[[series]]` table".into()),
            );
        }
        let markers = self
            .marker
            .iter()
            .map(|m| Marker {
                label: smart(&m.label),
                tag: m.tag.as_deref().map(smart),
                x: c.on_axis(&m.x, &x, "x"),
                y: c.on_axis(&m.y, &y, "y"),
                shape: m.shape,
                color: color(c, &m.color, 4),
                source: c.source(&m.source),
            })
            .collect();
        Some(Chart::Line(Line {
            x,
            y,
            bands,
            rules,
            series,
            markers,
        }))
    }
}
