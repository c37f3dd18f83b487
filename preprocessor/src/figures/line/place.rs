//! Keeping a chart's in-chart labels apart. A label that would overlap one
//! already placed moves down a row until it is clear; the placed labels are
//! kept by row band and by position along the row, so finding what a label
//! could overlap looks only at its neighbours. Placement is then about
//! `n log n` in the number of labels (a linear scan of every label placed,
//! at every row tried, made it grow with the cube: 6,000 markers took 20 s).

use std::collections::{BTreeMap, HashMap};

use crate::figures::FONT;

/// How close two labels' baselines may come before they collide.
const CLEAR: f64 = FONT + 4.0;
/// How far a label moves down to get clear.
const STEP: f64 = FONT + 6.0;
/// Rows a label may move down before it stays where it is (a chart holds
/// far fewer rows than this; only a pathological one reaches it).
const MAX_STEPS: usize = 64;
/// Positions are keyed in 1/1024 user units.
const SCALE: f64 = 1024.0;

/// One row band's labels by left edge (and order placed): left, right, baseline.
type Row = BTreeMap<(i64, usize), (f64, f64, f64)>;

/// The labels placed so far.
#[derive(Default)]
pub(super) struct Placer {
    /// By row band (`y / CLEAR`), by left edge: (left, right, baseline).
    rows: HashMap<i64, Row>,
    /// The widest label placed, which bounds how far left an overlapping one
    /// can start.
    widest: f64,
    placed: usize,
    /// Labels compared while placing, for the test of the growth rate.
    pub(super) probes: usize,
}

impl Placer {
    /// Places a label spanning `x0..x1` at baseline `y` or, while that
    /// collides with a label already placed, further down. Returns its
    /// baseline.
    pub(super) fn place(&mut self, x0: f64, x1: f64, mut y: f64) -> f64 {
        for _ in 0..MAX_STEPS {
            if !self.collides(x0, x1, y) {
                break;
            }
            y += STEP;
        }
        let band = (y / CLEAR).floor() as i64;
        self.rows
            .entry(band)
            .or_default()
            .insert(((x0 * SCALE).floor() as i64, self.placed), (x0, x1, y));
        self.placed += 1;
        self.widest = self.widest.max(x1 - x0);
        y
    }

    /// Whether a label at `x0..x1`, baseline `y`, would overlap one placed.
    fn collides(&mut self, x0: f64, x1: f64, y: f64) -> bool {
        let band = (y / CLEAR).floor() as i64;
        let from = ((x0 - self.widest) * SCALE).floor() as i64 - 1;
        let to = (x1 * SCALE).ceil() as i64 + 1;
        for b in band - 1..=band + 1 {
            let Some(row) = self.rows.get(&b) else {
                continue;
            };
            for &(a, b, ty) in row.range((from, 0)..(to, 0)).map(|(_, v)| v) {
                self.probes += 1;
                if (ty - y).abs() < CLEAR && x0 < b && a < x1 {
                    return true;
                }
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the placer replaced: every placed label compared at every row.
    fn by_scan(labels: &[(f64, f64, f64)]) -> Vec<f64> {
        let mut taken: Vec<(f64, f64, f64)> = Vec::new();
        labels
            .iter()
            .map(|&(x0, x1, y0)| {
                let mut y = y0;
                while taken
                    .iter()
                    .any(|&(a, b, ty)| (ty - y).abs() < CLEAR && x0 < b && a < x1)
                {
                    y += STEP;
                }
                taken.push((x0, x1, y));
                y
            })
            .collect()
    }

    /// Labels spread over a chart, some on top of each other.
    fn labels(n: usize) -> Vec<(f64, f64, f64)> {
        (0..n)
            .map(|i| {
                let x = (i * 37 % 400) as f64;
                let w = 20.0 + (i * 13 % 60) as f64;
                (x, x + w, 20.0 + (i * 7 % 200) as f64)
            })
            .collect()
    }

    #[test]
    fn places_as_the_scan_did() {
        let labels = labels(300);
        let mut p = Placer::default();
        let placed: Vec<f64> = labels.iter().map(|&(a, b, y)| p.place(a, b, y)).collect();
        assert_eq!(placed, by_scan(&labels));
    }

    #[test]
    fn comparisons_grow_about_linearly_with_the_labels() {
        let probes = |n: usize| {
            let mut p = Placer::default();
            for (a, b, y) in labels(n) {
                p.place(a, b, y);
            }
            p.probes
        };
        let (small, large) = (probes(3_000), probes(6_000));
        // Twice the labels, at most about twice the comparisons (the scan
        // made it eight times).
        assert!(large <= small * 5 / 2, "{small} then {large}");
        // And all at one point: each climbs at most MAX_STEPS rows.
        let mut p = Placer::default();
        for _ in 0..6_000 {
            p.place(100.0, 150.0, 50.0);
        }
        assert!(p.probes <= 6_000 * MAX_STEPS * 3, "{}", p.probes);
    }
}
