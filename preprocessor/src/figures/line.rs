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
//!
//! This module holds the checked chart, what the rest of `figures` sees;
//! `spec` reads and checks the `[x]`, `[y]`, `[[band]]`, `[[rule]]`,
//! `[[series]]` and `[[marker]]` tables into it, and `draw` turns it into
//! geometry for `figure-line.html` (typed in `geometry`), a legend and a
//! data table.

use serde::{Deserialize, Serialize};

use super::{Axis, Source};

mod draw;
mod geometry;
mod place;
mod spec;

pub(super) use geometry::Geometry;
pub(super) use spec::Spec;

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
}
