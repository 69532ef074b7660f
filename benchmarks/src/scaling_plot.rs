//! An SVG of the codegen scaling curve: generation time against intent count on
//! log-log axes, with the linear reference and the 1 s target drawn in.

use std::fmt::Write;

/// One measured size: intent count and seconds (median, min, max).
pub struct Point {
    pub intents: f64,
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 420.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 50.0;

/// The plot as SVG text; `points` sorted by intent count.
pub fn svg(title: &str, points: &[Point]) -> String {
    let axes = Axes::fitting(points);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        out,
        r#"<text x="{}" y="18" text-anchor="middle" font-size="14">{title}</text>"#,
        WIDTH / 2.0
    );
    grid(&mut out, &axes, points);
    references(&mut out, &axes, points);
    measurements(&mut out, &axes, points);
    out.push_str("</svg>\n");
    out
}

/// Log-log axes that hold every measurement and the linear reference.
struct Axes {
    /// The smallest spec's point, which the linear reference extrapolates from.
    first_intents: f64,
    first_median: f64,
    x_low: f64,
    x_high: f64,
    y_low: f64,
    y_high: f64,
}

impl Axes {
    fn fitting(points: &[Point]) -> Axes {
        let first = &points[0];
        let mut axes = Axes {
            first_intents: first.intents,
            first_median: first.median,
            x_low: first.intents.log10(),
            x_high: points[points.len() - 1].intents.log10(),
            y_low: 0.0,
            y_high: 0.0,
        };
        let lowest = points.iter().map(|p| p.min).fold(f64::INFINITY, f64::min);
        let highest = points
            .iter()
            .map(|p| p.max.max(axes.linear(p.intents)))
            .fold(1.0, f64::max);
        (axes.y_low, axes.y_high) = (lowest.log10().floor(), highest.log10().ceil());
        axes
    }

    /// Seconds for `n` intents if time grew linearly from the smallest spec.
    fn linear(&self, n: f64) -> f64 {
        self.first_median * n / self.first_intents
    }

    fn x(&self, n: f64) -> f64 {
        LEFT + (n.log10() - self.x_low) / (self.x_high - self.x_low) * (WIDTH - LEFT - RIGHT)
    }

    fn y(&self, s: f64) -> f64 {
        TOP + (self.y_high - s.log10()) / (self.y_high - self.y_low) * (HEIGHT - TOP - BOTTOM)
    }
}

/// Decade grid lines labelled in seconds, and the intent counts along the x axis.
fn grid(out: &mut String, axes: &Axes, points: &[Point]) {
    let mut decade = axes.y_low;
    while decade <= axes.y_high {
        let seconds = 10f64.powf(decade);
        let at = axes.y(seconds);
        let _ = writeln!(
            out,
            r##"<line x1="{LEFT}" x2="{}" y1="{at:.1}" y2="{at:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end">{}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6.0,
            at + 4.0,
            seconds_label(seconds)
        );
        decade += 1.0;
    }
    for point in points {
        let at = axes.x(point.intents);
        let _ = writeln!(
            out,
            r#"<text x="{at:.1}" y="{}" text-anchor="middle">{}</text>"#,
            HEIGHT - BOTTOM + 18.0,
            point.intents
        );
    }
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" text-anchor="middle">intents in the spec</text>"#,
        (LEFT + WIDTH - RIGHT) / 2.0,
        HEIGHT - 10.0
    );
}

/// The 1 s target and the linear extrapolation from the smallest spec.
fn references(out: &mut String, axes: &Axes, points: &[Point]) {
    let one_second = axes.y(1.0);
    let _ = writeln!(
        out,
        r##"<line x1="{LEFT}" x2="{}" y1="{one_second:.1}" y2="{one_second:.1}" stroke="#c00" stroke-dasharray="6 4"/><text x="{}" y="{:.1}" fill="#c00">target: 5,000 intents under 1 s</text>"##,
        WIDTH - RIGHT,
        LEFT + 6.0,
        one_second - 6.0
    );
    let (first, last) = (&points[0], &points[points.len() - 1]);
    let _ = writeln!(
        out,
        r##"<line x1="{:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#888" stroke-dasharray="2 3"/><text x="{:.1}" y="{:.1}" fill="#888" text-anchor="end">linear from {} intents</text>"##,
        axes.x(first.intents),
        axes.x(last.intents),
        axes.y(axes.linear(first.intents)),
        axes.y(axes.linear(last.intents)),
        axes.x(last.intents) - 6.0,
        axes.y(axes.linear(last.intents)) + 16.0,
        first.intents
    );
}

/// The medians as a line, each with its min–max bar and its label.
fn measurements(out: &mut String, axes: &Axes, points: &[Point]) {
    let path: Vec<String> = points
        .iter()
        .map(|p| format!("{:.1},{:.1}", axes.x(p.intents), axes.y(p.median)))
        .collect();
    let _ = writeln!(
        out,
        r##"<polyline points="{}" fill="none" stroke="#1f77b4" stroke-width="2"/>"##,
        path.join(" ")
    );
    for point in points {
        let at = axes.x(point.intents);
        let _ = writeln!(
            out,
            r##"<line x1="{at:.1}" x2="{at:.1}" y1="{:.1}" y2="{:.1}" stroke="#1f77b4"/><circle cx="{at:.1}" cy="{:.1}" r="4" fill="#1f77b4"/><text x="{:.1}" y="{:.1}">{}</text>"##,
            axes.y(point.min),
            axes.y(point.max),
            axes.y(point.median),
            at + 7.0,
            axes.y(point.median) - 6.0,
            seconds_label(point.median)
        );
    }
}

/// `0.0123` → `12.3 ms`.
pub fn seconds_label(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{seconds:.3} s")
    } else if seconds >= 1e-3 {
        format!("{:.3} ms", seconds * 1e3)
    } else if seconds >= 1e-6 {
        format!("{:.3} µs", seconds * 1e6)
    } else {
        format!("{:.1} ns", seconds * 1e9)
    }
}
