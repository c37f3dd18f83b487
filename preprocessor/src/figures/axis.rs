//! Axes: where a value sits along one, how it is written there, and
//! where its ticks go (round steps on a linear axis, powers of ten on a
//! logarithmic one).

use super::Format;
use super::format::{Piece, format_value, round_sig};

/// An axis, checked.
#[derive(Debug, Clone)]
pub struct Axis {
    /// Its title.
    pub label: String,
    /// Whether it is logarithmic.
    pub log: bool,
    /// The smallest value shown.
    pub min: f64,
    /// The largest value shown.
    pub max: f64,
    /// How values are written.
    pub format: Format,
    /// A unit written after plain values: `B` gives `405B`.
    pub unit: String,
}

impl Axis {
    /// Where `v` sits along the axis, from 0 (at `min`) to 1 (at `max`).
    pub(super) fn t(&self, v: f64) -> f64 {
        if self.log {
            (v.log10() - self.min.log10()) / (self.max.log10() - self.min.log10())
        } else {
            (v - self.min) / (self.max - self.min)
        }
    }

    /// A value as written on this axis.
    pub(super) fn cell(&self, v: f64, significant: usize) -> Vec<Piece> {
        format_value(v, self.format, &self.unit, significant)
    }
}

/// "Nice" steps for a linear axis from `min` to `max`: 1, 2 or 5 times a
/// power of ten, giving at most `most` intervals.
pub(super) fn linear_ticks(min: f64, max: f64, most: usize) -> Vec<f64> {
    let span = max - min;
    if span <= 0.0 {
        return vec![min];
    }
    let raw = span / most.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let first = (min / step).ceil() as i64;
    let last = (max / step + 1e-9).floor() as i64;
    (first..=last)
        .map(|i| round_sig(i as f64 * step, 12))
        .collect()
}

/// A tick on a logarithmic axis: a power of ten, labelled or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LogTick {
    /// The exponent.
    pub(super) exp: i32,
    /// Whether it gets a label.
    pub(super) labelled: bool,
}

/// The powers of ten from `min` to `max`, labelling every one when there
/// are at most `labels` of them, else every second, third…, always
/// including the first.
pub(super) fn log_ticks(min: f64, max: f64, labels: usize) -> Vec<LogTick> {
    let lo = (min.log10() - 1e-9).ceil() as i32;
    let hi = (max.log10() + 1e-9).floor() as i32;
    let count = (hi - lo + 1).max(0) as usize;
    let step = count.div_ceil(labels.max(1)).max(1) as i32;
    (lo..=hi)
        .map(|exp| LogTick {
            exp,
            labelled: (exp - lo) % step == 0,
        })
        .collect()
}
