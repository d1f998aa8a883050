//! A running job's curve, pure and tested natively: the assets handled at each status poll
//! (what the job view already reads, no request of its own), the rates a person asks about
//! (now, on average, the slowest minute), the scales that map them into the picture and the
//! SVG path. Kept in session storage as JSON, so a reload keeps the curve.

use serde::{Deserialize, Serialize};

/// The window "rate now" is measured over.
const NOW_WINDOW_MS: i64 = 10_000;
const MINUTE_MS: i64 = 60_000;

/// One reading: when (epoch ms) and how many assets were handled by then (the same as a
/// reading of the log's progress lines).
pub use crate::triage::pace::Reading as Sample;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Curve {
    pub samples: Vec<Sample>,
}

impl Curve {
    /// Adds a reading; one no later than the last, or with fewer assets (another run's
    /// numbers), is ignored; the same count again only moves time on.
    pub fn add(&mut self, t: i64, handled: u64) {
        crate::triage::pace::add_reading(&mut self.samples, Sample { t, handled });
    }

    /// Assets per second between two samples.
    fn rate(a: &Sample, b: &Sample) -> Option<f64> {
        let dt = (b.t - a.t) as f64 / 1000.0;
        (dt > 0.0).then(|| (b.handled - a.handled) as f64 / dt)
    }

    /// The rate over the last ten seconds (or the last two samples, if further apart).
    pub fn rate_now(&self) -> Option<f64> {
        let last = self.samples.last()?;
        let from = self
            .samples
            .iter()
            .rev()
            .skip(1)
            .find(|s| last.t - s.t >= NOW_WINDOW_MS)
            .or_else(|| self.samples.first())?;
        Curve::rate(from, last)
    }

    /// The rate from the first sample to the last.
    pub fn average(&self) -> Option<f64> {
        Curve::rate(self.samples.first()?, self.samples.last()?)
    }

    /// The lowest rate over any minute from one sample (once the curve spans a minute).
    pub fn slowest_minute(&self) -> Option<f64> {
        let mut lowest: Option<f64> = None;
        for (k, a) in self.samples.iter().enumerate() {
            let Some(b) = self.samples[k..].iter().find(|b| b.t - a.t >= MINUTE_MS) else {
                break;
            };
            let r = Curve::rate(a, b)?;
            lowest = Some(lowest.map_or(r, |l| l.min(r)));
        }
        lowest
    }

    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_stored(text: &str) -> Option<Curve> {
        serde_json::from_str(text).ok()
    }
}

/// A finished run's curve from its log's progress readings (`triage::pace`): from its start
/// (nothing handled yet) through each reading to its end (`handled` at `ended`), each end
/// added only where it is known and in order. None without a reading: a log with no progress
/// lines says nothing of the pace between the start and the end.
pub fn from_readings(
    started: i64,
    readings: &[crate::triage::pace::Reading],
    ended: i64,
    handled: u64,
) -> Option<Curve> {
    if readings.is_empty() {
        return None;
    }
    let mut c = Curve::default();
    if started > 0 {
        c.add(started, 0);
    }
    for r in readings {
        c.add(r.t, r.handled);
    }
    if ended > 0 {
        c.add(ended, handled);
    }
    (c.samples.len() >= 2).then_some(c)
}

/// A linear map from a domain onto a range (the picture's pixels).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    pub domain: (f64, f64),
    pub range: (f64, f64),
}

impl Scale {
    pub fn at(&self, v: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if d1 == d0 {
            return r0;
        }
        r0 + (v - d0) / (d1 - d0) * (r1 - r0)
    }
}

/// The smallest "nice" top for an axis at or above `v`: 1, 2 or 5 times a power of ten.
pub fn nice_top(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let power = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|top| *top >= v - 1e-9)
        .unwrap_or(10.0 * power)
}

/// The scales of a picture `width` × `height` for `curve`: time across, assets up (the top a
/// nice number at or above the most handled, or `total` when known).
pub fn scales(
    curve: &Curve,
    total: Option<u64>,
    width: f64,
    height: f64,
) -> Option<(Scale, Scale)> {
    let first = curve.samples.first()?;
    let last = curve.samples.last()?;
    let top = total.unwrap_or(0).max(last.handled) as f64;
    Some((
        Scale {
            domain: (first.t as f64, last.t as f64),
            range: (0.0, width),
        },
        Scale {
            domain: (0.0, nice_top(top)),
            range: (height, 0.0),
        },
    ))
}

/// The SVG path through every sample.
pub fn path_d(curve: &Curve, x: Scale, y: Scale) -> String {
    let mut d = String::new();
    for (k, s) in curve.samples.iter().enumerate() {
        let cmd = if k == 0 { 'M' } else { 'L' };
        d.push_str(&format!(
            "{cmd}{:.1} {:.1} ",
            x.at(s.t as f64),
            y.at(s.handled as f64)
        ));
    }
    d.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curve(points: &[(i64, u64)]) -> Curve {
        let mut c = Curve::default();
        for &(t, h) in points {
            c.add(t, h);
        }
        c
    }

    #[test]
    fn readings_out_of_order_or_going_back_are_ignored() {
        let c = curve(&[(1_000, 5), (1_000, 6), (500, 7), (2_000, 4), (3_000, 9)]);
        assert_eq!(
            c.samples,
            vec![
                Sample {
                    t: 1_000,
                    handled: 5
                },
                Sample {
                    t: 3_000,
                    handled: 9
                }
            ]
        );
    }

    #[test]
    fn rates_now_on_average_and_the_slowest_minute() {
        // 10 assets/s for a minute, then 2 assets/s for a minute, samples every 5 s.
        let mut points = Vec::new();
        for k in 0..=12 {
            points.push((k * 5_000, (k * 50) as u64));
        }
        for k in 1..=12 {
            points.push((60_000 + k * 5_000, 600 + (k * 10) as u64));
        }
        let c = curve(&points);
        assert_eq!(c.rate_now(), Some(2.0));
        assert_eq!(c.average(), Some(720.0 / 120.0));
        assert_eq!(c.slowest_minute(), Some(2.0));
        // Under a minute: no slowest minute yet.
        assert_eq!(curve(&[(0, 0), (30_000, 10)]).slowest_minute(), None);
        assert_eq!(Curve::default().rate_now(), None);
    }

    #[test]
    fn the_scales_map_the_curve_into_the_picture() {
        let c = curve(&[(10_000, 0), (20_000, 30), (30_000, 70)]);
        let (x, y) = scales(&c, None, 300.0, 100.0).unwrap();
        assert_eq!((x.at(10_000.0), x.at(30_000.0)), (0.0, 300.0));
        // Up to a nice 100: 70 sits at 30 px from the top.
        assert_eq!(y.domain, (0.0, 100.0));
        assert_eq!(y.at(0.0), 100.0);
        assert!((y.at(70.0) - 30.0).abs() < 1e-9);
        assert_eq!(path_d(&c, x, y), "M0.0 100.0 L150.0 70.0 L300.0 30.0");
        // With the total known, the top is at or above it.
        let (_, y) = scales(&c, Some(180), 300.0, 100.0).unwrap();
        assert_eq!(y.domain.1, 200.0);
        assert!(scales(&Curve::default(), None, 1.0, 1.0).is_none());
    }

    #[test]
    fn a_finished_run_s_curve_from_its_log_s_readings() {
        use crate::triage::pace::Reading;
        let readings = [
            Reading {
                t: 12_000,
                handled: 100,
            },
            Reading {
                t: 14_000,
                handled: 300,
            },
        ];
        let c = from_readings(10_000, &readings, 15_000, 350).unwrap();
        let points: Vec<(i64, u64)> = c.samples.iter().map(|s| (s.t, s.handled)).collect();
        assert_eq!(
            points,
            vec![(10_000, 0), (12_000, 100), (14_000, 300), (15_000, 350)]
        );
        assert_eq!(c.average(), Some(350.0 / 5.0));
        assert_eq!(c.rate_now(), Some(350.0 / 5.0));
        // No reading: no curve; an end out of order is left out.
        assert_eq!(from_readings(10_000, &[], 15_000, 350), None);
        let c = from_readings(0, &readings, 13_000, 350).unwrap();
        assert_eq!(c.samples.len(), 2);
        assert_eq!(from_readings(0, &readings[..1], 0, 0), None);
    }

    #[test]
    fn nice_tops() {
        assert_eq!(nice_top(0.0), 1.0);
        assert_eq!(nice_top(1.0), 1.0);
        assert_eq!(nice_top(1.5), 2.0);
        assert_eq!(nice_top(3.0), 5.0);
        assert_eq!(nice_top(7.0), 10.0);
        assert_eq!(nice_top(1_992.0), 2_000.0);
        assert_eq!(nice_top(0.3), 0.5);
    }

    #[test]
    fn a_long_run_keeps_its_shape_in_few_samples_and_survives_storage() {
        let mut c = Curve::default();
        for k in 0..1_000i64 {
            c.add(k * 1_000, k as u64);
        }
        assert!(c.samples.len() <= crate::triage::pace::KEPT);
        assert_eq!(c.samples.first().unwrap().t, 0);
        assert_eq!(c.samples.last().unwrap().t, 999_000);
        assert_eq!(Curve::from_stored(&c.to_stored()), Some(c));
        assert_eq!(Curve::from_stored("nope"), None);
    }
}
