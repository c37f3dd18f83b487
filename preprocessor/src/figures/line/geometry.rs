//! What `figure-line.html` reads as `chart`: the geometry [`super::draw`]
//! computes, one struct per thing drawn. Every coordinate is a string from
//! `coord`, as the template prints it; an absent tag or tick label is
//! `null`, which the template's `{% if %}` reads as false.

use serde::Serialize;

use super::Shape;

/// The whole of `chart`.
#[derive(Serialize)]
pub(in crate::figures) struct Geometry {
    pub(super) plot: Plot,
    pub(super) xticks: Vec<Tick>,
    pub(super) yticks: Vec<Tick>,
    pub(super) xtick_y: String,
    pub(super) ytick_x: String,
    pub(super) xlabel: AxisLabel,
    pub(super) ylabel: AxisLabel,
    pub(super) bands: Vec<BandArea>,
    pub(super) rules: Vec<RuleLine>,
    pub(super) series: Vec<Path>,
    pub(super) markers: Vec<Point>,
}

/// The plot area.
#[derive(Serialize)]
pub(super) struct Plot {
    pub(super) x: String,
    pub(super) y: String,
    pub(super) w: String,
    pub(super) h: String,
    pub(super) right: String,
    pub(super) bottom: String,
}

/// A tick: where along its axis, and its label (`null` for an unlabelled
/// one; the template tests `t.label`).
#[derive(Serialize)]
pub(super) struct Tick {
    pub(super) at: String,
    pub(super) label: Option<TickLabel>,
}

#[derive(Serialize)]
pub(super) struct AxisLabel {
    pub(super) x: String,
    pub(super) y: String,
    pub(super) text: String,
}

/// A band's span; its tag `null` when absent or too wide for the band.
#[derive(Serialize)]
pub(super) struct BandArea {
    pub(super) x: String,
    pub(super) w: String,
    pub(super) tag: Option<Tag>,
}

/// A rule's place; its tag `null` when it has none.
#[derive(Serialize)]
pub(super) struct RuleLine {
    pub(super) x: String,
    pub(super) tag: Option<Tag>,
}

/// A series' SVG path.
#[derive(Serialize)]
pub(super) struct Path {
    pub(super) d: String,
    pub(super) color: u8,
    pub(super) dashed: bool,
}

/// A marker; its tag `null` when it has none.
#[derive(Serialize)]
pub(super) struct Point {
    pub(super) x: String,
    pub(super) y: String,
    pub(super) shape: Shape,
    pub(super) color: u8,
    pub(super) tag: Option<Tag>,
}

/// A tick label: text with an optional exponent.
#[derive(Serialize)]
pub(super) struct TickLabel {
    pub(super) text: String,
    pub(super) sup: Option<String>,
}

/// A label placed in the chart.
#[derive(Serialize, Clone)]
pub(super) struct Tag {
    pub(super) x: String,
    pub(super) y: String,
    pub(super) anchor: &'static str,
    pub(super) text: String,
}
