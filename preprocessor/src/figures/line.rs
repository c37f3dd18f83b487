//! Line charts: lines from a power law or from points, shaded ranges of x
//! (`[[band]]`), vertical rules (`[[rule]]`) and markers (`[[marker]]`), on
//! linear or logarithmic axes. A power law on log-log axes is a straight
//! line, drawn from end to end; anything else is sampled.
//!
//! ```toml
//! kind = "line"
//! title = "…"
//! caption = "…"
//! description = "…"
//! source = "[§3.2.1, Fig. 3](cite:l3)"
//!
//! [x]
//! label = "Compute (FLOPs)"
//! scale = "log"
//! min = 1e18
//! max = 1e26
//! format = "power"
//!
//! [y]
//! label = "Training tokens"
//! scale = "log"
//! min = 1e9
//! max = 1e14
//! format = "si"
//!
//! [[series]]
//! label = "Fitted law"
//! power-law = { a = 0.299, alpha = 0.537 }
//! source = "[Fig. 3](cite:l3)"
//! ```

use serde::{Deserialize, Serialize};
use serde_json::json;
use toml::Spanned;

use super::{
    Axis, Cell, Chart, Checker, Common, FONT, Format, LegendItem, Piece, Source, Table, WIDTH,
    coord, format_value, linear_ticks, log_ticks, text_width,
};

/// Linear or logarithmic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scale {
    /// Evenly spaced values.
    #[default]
    Linear,
    /// Evenly spaced powers of ten.
    Log,
}

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Style {
    /// Unbroken.
    #[default]
    Solid,
    /// Dashed.
    Dashed,
}

/// How a marker is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// A ring.
    #[default]
    Circle,
    /// A small filled disc.
    Dot,
    /// A filled diamond.
    Diamond,
    /// A filled square.
    Square,
}

/// `kind = "line"`, as written.
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

/// A checked line chart.
#[derive(Debug, Clone)]
pub struct Line {
    /// The horizontal axis.
    pub x: Axis,
    /// The vertical axis.
    pub y: Axis,
    /// Shaded ranges of x.
    pub bands: Vec<Band>,
    /// Vertical rules.
    pub rules: Vec<Rule>,
    /// The lines.
    pub series: Vec<Series>,
    /// The markers.
    pub markers: Vec<Marker>,
}

/// A shaded range of x.
#[derive(Debug, Clone)]
pub struct Band {
    /// In the legend and the table.
    pub label: String,
    /// Short text inside the chart.
    pub tag: Option<String>,
    /// Start.
    pub from: f64,
    /// End.
    pub to: f64,
    /// Where it comes from.
    pub source: Source,
}

/// A vertical rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// In the legend and the table.
    pub label: String,
    /// Short text inside the chart.
    pub tag: Option<String>,
    /// Where.
    pub at: f64,
    /// Where it comes from.
    pub source: Source,
}

/// What a series draws.
#[derive(Debug, Clone)]
pub enum Data {
    /// y = a·x^alpha.
    PowerLaw {
        /// The factor.
        a: f64,
        /// The exponent.
        alpha: f64,
    },
    /// Points joined by straight segments.
    Points(Vec<(f64, f64)>),
}

/// A line.
#[derive(Debug, Clone)]
pub struct Series {
    /// In the legend and the table.
    pub label: String,
    /// Dashed or not.
    pub dashed: bool,
    /// Palette colour, 1 to 4.
    pub color: u8,
    /// What it draws.
    pub data: Data,
    /// Where it comes from.
    pub source: Source,
}

/// A marker.
#[derive(Debug, Clone)]
pub struct Marker {
    /// In the legend and the table.
    pub label: String,
    /// Short text next to it.
    pub tag: Option<String>,
    /// x.
    pub x: f64,
    /// y.
    pub y: f64,
    /// Its shape.
    pub shape: Shape,
    /// Palette colour, 1 to 4.
    pub color: u8,
    /// Where it comes from.
    pub source: Source,
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
            label: super::smart(&self.label),
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
                    label: super::smart(&b.label),
                    tag: b.tag.as_deref().map(super::smart),
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
                label: super::smart(&r.label),
                tag: r.tag.as_deref().map(super::smart),
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
                                        super::plain_number(px),
                                        super::plain_number(py)
                                    ),
                                    format!(
                                        "x runs from {} to {}, y from {} to {}",
                                        super::plain_number(x.min),
                                        super::plain_number(x.max),
                                        super::plain_number(y.min),
                                        super::plain_number(y.max)
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
                label: super::smart(&s.label),
                dashed: s.style == Style::Dashed,
                color: color(c, &s.color, (i % 3) as u8 + 1),
                data,
                source: c.source(&s.source),
            });
        }
        if series.is_empty() && self.marker.is_empty() {
            let at = super::key_offset(c.text, "kind");
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
                label: super::smart(&m.label),
                tag: m.tag.as_deref().map(super::smart),
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

/// A tick label: text with an optional exponent.
#[derive(Serialize)]
struct TickLabel {
    text: String,
    sup: Option<String>,
}

fn tick_width(label: &TickLabel) -> f64 {
    text_width(&label.text, FONT + 2.0, false)
        + label
            .sup
            .as_deref()
            .map_or(0.0, |s| text_width(s, FONT, false))
}

/// Ticks of an axis: position along it (0 to 1) and label, if any.
fn ticks(axis: &Axis, labels: impl Fn(usize) -> usize) -> Vec<(f64, Option<TickLabel>)> {
    if axis.log {
        let all = log_ticks(axis.min, axis.max, usize::MAX);
        log_ticks(axis.min, axis.max, labels(all.len()))
            .into_iter()
            .map(|t| {
                let v = 10f64.powi(t.exp);
                let label = t.labelled.then(|| TickLabel {
                    text: "10".into(),
                    sup: Some(t.exp.to_string()),
                });
                (axis.t(v), label)
            })
            .collect()
    } else {
        let all = linear_ticks(axis.min, axis.max, 10);
        let step = all.len().div_ceil(labels(all.len()).max(1)).max(1);
        all.iter()
            .enumerate()
            .map(|(i, &v)| {
                let label = (i % step == 0).then(|| {
                    let pieces = format_value(v, axis.format, &axis.unit, 4);
                    TickLabel {
                        text: pieces.iter().map(|p| p.text.as_str()).collect(),
                        sup: pieces.iter().find_map(|p| p.sup.clone()),
                    }
                });
                (axis.t(v), label)
            })
            .collect()
    }
}

/// Clips the segment `a`–`b` to the unit square (Liang–Barsky).
fn clip(a: (f64, f64), b: (f64, f64)) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [(-dx, a.0), (dx, 1.0 - a.0), (-dy, a.1), (dy, 1.0 - a.1)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    (t0 <= t1).then_some((
        (a.0 + t0 * dx, a.1 + t0 * dy),
        (a.0 + t1 * dx, a.1 + t1 * dy),
    ))
}

/// A label placed in the chart.
#[derive(Serialize, Clone)]
struct Tag {
    x: String,
    y: String,
    anchor: &'static str,
    text: String,
}

impl Line {
    /// Every source of its items.
    pub fn sources(&self) -> Vec<&Source> {
        self.bands
            .iter()
            .map(|b| &b.source)
            .chain(self.rules.iter().map(|r| &r.source))
            .chain(self.series.iter().map(|s| &s.source))
            .chain(self.markers.iter().map(|m| &m.source))
            .collect()
    }

    /// The points of a series, along the axes (0 to 1).
    fn unit_points(&self, s: &Series) -> Vec<(f64, f64)> {
        match &s.data {
            Data::Points(p) => p.iter().map(|&(x, y)| (self.x.t(x), self.y.t(y))).collect(),
            Data::PowerLaw { a, alpha } => {
                // Straight on log-log axes: its two ends suffice.
                let n = if self.x.log && self.y.log { 2 } else { 160 };
                (0..n)
                    .map(|i| {
                        let t = i as f64 / (n - 1) as f64;
                        let x = if self.x.log {
                            10f64.powf(
                                self.x.min.log10() + t * (self.x.max.log10() - self.x.min.log10()),
                            )
                        } else {
                            self.x.min + t * (self.x.max - self.x.min)
                        };
                        (t, self.y.t(a * x.powf(*alpha)))
                    })
                    .collect()
            }
        }
    }

    /// Geometry for `figure-line.html`, and the chart's height.
    pub fn layout(&self) -> (serde_json::Value, f64) {
        let top = 12.0;
        let plot_h = 240.0;
        let yticks = ticks(&self.y, |n| n.min((plot_h / (FONT * 2.0)) as usize));
        let label_w = yticks
            .iter()
            .filter_map(|(_, l)| l.as_ref().map(tick_width))
            .fold(0.0, f64::max);
        let left = 4.0 + FONT + 10.0 + label_w + 8.0;
        let right = 24.0;
        let plot_w = WIDTH - left - right;
        let bottom = top + plot_h;
        let x_label_w = {
            let l = ticks(&self.x, |n| n);
            l.iter()
                .filter_map(|(_, l)| l.as_ref().map(tick_width))
                .fold(0.0, f64::max)
        };
        let xticks = ticks(&self.x, |n| n.min((plot_w / (x_label_w + 14.0)) as usize));
        let px = |t: f64| left + t * plot_w;
        let py = |t: f64| top + (1.0 - t) * plot_h;
        let tick_json =
            |ts: Vec<(f64, Option<TickLabel>)>, horizontal: bool| -> Vec<serde_json::Value> {
                ts.into_iter()
                    .map(|(t, label)| {
                        let at = if horizontal { px(t) } else { py(t) };
                        json!({ "at": coord(at), "label": label })
                    })
                    .collect()
            };
        // In-chart labels: rules first, along the top; bands below them if
        // they would collide; markers' tags beside them, kept apart.
        let mut taken: Vec<(f64, f64, f64)> = Vec::new();
        let mut place = |x: f64, y: f64, text: &str, prefer_end: bool| -> Tag {
            let w = text_width(text, FONT, false);
            let (mut anchor, mut x0) = if prefer_end && x - 6.0 - w >= left {
                ("end", x - 6.0 - w)
            } else {
                ("start", x + 6.0)
            };
            if x0 + w > WIDTH - 2.0 {
                anchor = "end";
                x0 = x - 6.0 - w;
            }
            let mut y = y;
            while taken
                .iter()
                .any(|&(a, b, ty)| (ty - y).abs() < FONT + 4.0 && x0 < b && a < x0 + w)
            {
                y += FONT + 6.0;
            }
            taken.push((x0, x0 + w, y));
            let ax = if anchor == "end" { x0 + w } else { x0 };
            Tag {
                x: coord(ax),
                y: coord(y),
                anchor,
                text: text.to_string(),
            }
        };
        let rules: Vec<serde_json::Value> = self
            .rules
            .iter()
            .map(|r| {
                let x = px(self.x.t(r.at));
                let tag = r
                    .tag
                    .as_deref()
                    .map(|t| place(x, top + FONT + 2.0, t, true));
                json!({ "x": coord(x), "tag": tag })
            })
            .collect();
        let bands: Vec<serde_json::Value> = self
            .bands
            .iter()
            .map(|b| {
                let (x0, x1) = (px(self.x.t(b.from)), px(self.x.t(b.to)));
                let tag = b.tag.as_deref().and_then(|t| {
                    let w = text_width(t, FONT, false);
                    (w + 8.0 <= x1 - x0).then(|| {
                        let mut tag =
                            place((x0 + x1) / 2.0 - w / 2.0 - 6.0, top + FONT + 2.0, t, false);
                        tag.anchor = "start";
                        tag
                    })
                });
                json!({ "x": coord(x0), "w": coord(x1 - x0), "tag": tag })
            })
            .collect();
        let series: Vec<serde_json::Value> = self
            .series
            .iter()
            .map(|s| {
                let pts = self.unit_points(s);
                let mut d = String::new();
                let mut last: Option<(f64, f64)> = None;
                for w in pts.windows(2) {
                    if let Some((a, b)) = clip(w[0], w[1]) {
                        if last.is_none_or(|l| (l.0 - a.0).abs() > 1e-9 || (l.1 - a.1).abs() > 1e-9)
                        {
                            d.push_str(&format!("M{} {}", coord(px(a.0)), coord(py(a.1))));
                        }
                        d.push_str(&format!("L{} {}", coord(px(b.0)), coord(py(b.1))));
                        last = Some(b);
                    }
                }
                json!({ "d": d, "color": s.color, "dashed": s.dashed })
            })
            .collect();
        let mut order: Vec<usize> = (0..self.markers.len()).collect();
        order.sort_by(|&a, &b| self.markers[b].y.total_cmp(&self.markers[a].y));
        let mut markers = vec![serde_json::Value::Null; self.markers.len()];
        for i in order {
            let m = &self.markers[i];
            let (x, y) = (px(self.x.t(m.x)), py(self.y.t(m.y)));
            let tag = m
                .tag
                .as_deref()
                .map(|t| place(x - 6.0, y + FONT / 3.0, t, true));
            markers[i] = json!({ "x": coord(x), "y": coord(y), "shape": m.shape, "color": m.color, "tag": tag });
        }
        let height = bottom + 8.0 + FONT + 8.0 + FONT + 14.0;
        let geometry = json!({
            "plot": { "x": coord(left), "y": coord(top), "w": coord(plot_w), "h": coord(plot_h),
                      "right": coord(left + plot_w), "bottom": coord(bottom) },
            "xticks": tick_json(xticks, true),
            "yticks": tick_json(yticks, false),
            "xtick_y": coord(bottom + 8.0 + FONT + 2.0),
            "ytick_x": coord(left - 8.0),
            "xlabel": { "x": coord(left + plot_w / 2.0), "y": coord(height - 10.0), "text": self.x.label },
            "ylabel": { "x": coord(4.0 + FONT), "y": coord(top + plot_h / 2.0), "text": self.y.label },
            "bands": bands,
            "rules": rules,
            "series": series,
            "markers": markers,
        });
        (geometry, height)
    }

    /// The legend: bands, rules, lines, markers.
    pub fn legend(&self) -> Vec<LegendItem> {
        let item = |label: &str, swatch: &str, color: u8| LegendItem {
            label: super::rich(label),
            swatch: swatch.to_string(),
            class: format!("gloss-fig-c{color}"),
        };
        self.series
            .iter()
            .map(|s| item(&s.label, if s.dashed { "dashed" } else { "line" }, s.color))
            .chain(self.markers.iter().map(|m| {
                let shape = match m.shape {
                    Shape::Circle => "circle",
                    Shape::Dot => "dot",
                    Shape::Diamond => "diamond",
                    Shape::Square => "square",
                };
                item(&m.label, shape, m.color)
            }))
            .chain(self.bands.iter().map(|b| item(&b.label, "band", 1)))
            .chain(self.rules.iter().map(|r| item(&r.label, "rule", 4)))
            .collect()
    }

    /// The data: every band, rule and marker, each series' points, and a
    /// power law's values at the ends of the axis and at each rule.
    pub fn table(&self) -> Table {
        let x = |v: f64, sig: usize| Cell::Pieces(self.x.cell(v, sig));
        let y = |v: f64, sig: usize| Cell::Pieces(self.y.cell(v, sig));
        let mut rows = Vec::new();
        for b in &self.bands {
            let mut range = self.x.cell(b.from, 4);
            range.push(Piece::text(" to "));
            range.extend(self.x.cell(b.to, 4));
            rows.push(vec![
                Cell::text(&b.label),
                Cell::Pieces(range),
                Cell::text("–"),
                Cell::Source(b.source.clone(), None),
            ]);
        }
        for r in &self.rules {
            rows.push(vec![
                Cell::text(&r.label),
                x(r.at, 4),
                Cell::text("–"),
                Cell::Source(r.source.clone(), None),
            ]);
        }
        for s in &self.series {
            match &s.data {
                Data::Points(points) => {
                    for &(px, py) in points {
                        rows.push(vec![
                            Cell::text(&s.label),
                            x(px, 4),
                            y(py, 4),
                            Cell::Source(s.source.clone(), None),
                        ]);
                    }
                }
                Data::PowerLaw { a, alpha } => {
                    let mut at: Vec<f64> = vec![self.x.min];
                    at.extend(self.rules.iter().map(|r| r.at));
                    at.push(self.x.max);
                    for v in at {
                        rows.push(vec![
                            Cell::text(&s.label),
                            x(v, 4),
                            y(a * v.powf(*alpha), 3),
                            Cell::Source(
                                s.source.clone(),
                                Some("; value computed from the law (our arithmetic)".into()),
                            ),
                        ]);
                    }
                }
            }
        }
        for m in &self.markers {
            rows.push(vec![
                Cell::text(&m.label),
                x(m.x, 4),
                y(m.y, 4),
                Cell::Source(m.source.clone(), None),
            ]);
        }
        Table {
            columns: vec![
                "Item".into(),
                self.x.label.clone(),
                self.y.label.clone(),
                "Source".into(),
            ],
            rows,
        }
    }
}
