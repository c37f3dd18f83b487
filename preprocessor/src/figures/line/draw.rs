//! Drawing a checked line chart: the plot area sized to its tick labels,
//! ticks thinned to fit, lines clipped to the plot, in-chart labels
//! (rules', bands', markers' tags) kept from colliding, then the legend
//! and the data table.

use super::geometry::{
    AxisLabel, BandArea, Geometry, Path, Plot, Point, RuleLine, Tag, Tick, TickLabel,
};
use super::place::Placer;
use super::{Data, Line, Series, Shape};
use crate::figures::axis::{linear_ticks, log_ticks};
use crate::figures::format::{Piece, coord, format_value, rich, text_width};
use crate::figures::render::{Cell, LegendItem, Table};
use crate::figures::{Axis, FONT, WIDTH};

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

impl Line {
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
    pub(in crate::figures) fn layout(&self) -> (Geometry, f64) {
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
        let to_ticks = |ts: Vec<(f64, Option<TickLabel>)>, horizontal: bool| -> Vec<Tick> {
            ts.into_iter()
                .map(|(t, label)| {
                    let at = if horizontal { px(t) } else { py(t) };
                    Tick {
                        at: coord(at),
                        label,
                    }
                })
                .collect()
        };
        // In-chart labels: rules first, along the top; bands below them if
        // they would collide; markers' tags beside them, kept apart.
        let mut placer = Placer::default();
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
            let y = placer.place(x0, x0 + w, y);
            let ax = if anchor == "end" { x0 + w } else { x0 };
            Tag {
                x: coord(ax),
                y: coord(y),
                anchor,
                text: text.to_string(),
            }
        };
        let rules: Vec<RuleLine> = self
            .rules
            .iter()
            .map(|r| {
                let x = px(self.x.t(r.at));
                let tag = r
                    .tag
                    .as_deref()
                    .map(|t| place(x, top + FONT + 2.0, t, true));
                RuleLine { x: coord(x), tag }
            })
            .collect();
        let bands: Vec<BandArea> = self
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
                BandArea {
                    x: coord(x0),
                    w: coord(x1 - x0),
                    tag,
                }
            })
            .collect();
        let series: Vec<Path> = self
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
                Path {
                    d,
                    color: s.color,
                    dashed: s.dashed,
                }
            })
            .collect();
        let mut order: Vec<usize> = (0..self.markers.len()).collect();
        order.sort_by(|&a, &b| self.markers[b].y.total_cmp(&self.markers[a].y));
        // Placed highest first (their tags claim room in that order), but
        // kept in the data's order.
        let mut markers: Vec<Option<Point>> = (0..self.markers.len()).map(|_| None).collect();
        for i in order {
            let m = &self.markers[i];
            let (x, y) = (px(self.x.t(m.x)), py(self.y.t(m.y)));
            let tag = m
                .tag
                .as_deref()
                .map(|t| place(x - 6.0, y + FONT / 3.0, t, true));
            markers[i] = Some(Point {
                x: coord(x),
                y: coord(y),
                shape: m.shape,
                color: m.color,
                tag,
            });
        }
        let height = bottom + 8.0 + FONT + 8.0 + FONT + 14.0;
        let geometry = Geometry {
            plot: Plot {
                x: coord(left),
                y: coord(top),
                w: coord(plot_w),
                h: coord(plot_h),
                right: coord(left + plot_w),
                bottom: coord(bottom),
            },
            xticks: to_ticks(xticks, true),
            yticks: to_ticks(yticks, false),
            xtick_y: coord(bottom + 8.0 + FONT + 2.0),
            ytick_x: coord(left - 8.0),
            xlabel: AxisLabel {
                x: coord(left + plot_w / 2.0),
                y: coord(height - 10.0),
                text: self.x.label.clone(),
            },
            ylabel: AxisLabel {
                x: coord(4.0 + FONT),
                y: coord(top + plot_h / 2.0),
                text: self.y.label.clone(),
            },
            bands,
            rules,
            series,
            // `order` is a permutation: every marker was placed.
            markers: markers.into_iter().flatten().collect(),
        };
        (geometry, height)
    }

    /// The legend: bands, rules, lines, markers.
    pub(in crate::figures) fn legend(&self) -> Vec<LegendItem> {
        let item = |label: &str, swatch: &str, color: u8| LegendItem {
            label: rich(label),
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
    pub(in crate::figures) fn table(&self) -> Table {
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
