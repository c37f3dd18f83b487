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
//!
//! This module holds the checked chart; `spec` reads and checks the
//! `[value]`, `[[series]]` and `[[bar]]` tables into it, and `draw` turns it
//! into geometry for `figure-bar.html`, a legend and a data table.

use serde::Deserialize;

use super::{Axis, Source};

mod draw;
mod spec;

pub(super) use draw::Geometry;
pub(super) use spec::Spec;

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

impl Bar {
    /// Every source of its items.
    pub fn sources(&self) -> Vec<&Source> {
        self.items.iter().map(|i| &i.source).collect()
    }
}
