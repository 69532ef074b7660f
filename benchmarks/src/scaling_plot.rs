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
    let first = &points[0];
    let linear = |n: f64| first.median * n / first.intents;
    let (x_low, x_high) = (
        first.intents.log10(),
        points[points.len() - 1].intents.log10(),
    );
    let lowest = points.iter().map(|p| p.min).fold(f64::INFINITY, f64::min);
    let highest = points
        .iter()
        .map(|p| p.max.max(linear(p.intents)))
        .fold(1.0, f64::max);
    let (y_low, y_high) = (lowest.log10().floor(), highest.log10().ceil());
    let x = |n: f64| LEFT + (n.log10() - x_low) / (x_high - x_low) * (WIDTH - LEFT - RIGHT);
    let y = |s: f64| TOP + (y_high - s.log10()) / (y_high - y_low) * (HEIGHT - TOP - BOTTOM);

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
    // Decade grid lines, labelled in seconds.
    let mut decade = y_low;
    while decade <= y_high {
        let seconds = 10f64.powf(decade);
        let at = y(seconds);
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
        let at = x(point.intents);
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
    // The 1 s target and the linear extrapolation from the smallest spec.
    let one_second = y(1.0);
    let _ = writeln!(
        out,
        r##"<line x1="{LEFT}" x2="{}" y1="{one_second:.1}" y2="{one_second:.1}" stroke="#c00" stroke-dasharray="6 4"/><text x="{}" y="{:.1}" fill="#c00">target: 5,000 intents under 1 s</text>"##,
        WIDTH - RIGHT,
        LEFT + 6.0,
        one_second - 6.0
    );
    let last = &points[points.len() - 1];
    let _ = writeln!(
        out,
        r##"<line x1="{:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#888" stroke-dasharray="2 3"/><text x="{:.1}" y="{:.1}" fill="#888" text-anchor="end">linear from {} intents</text>"##,
        x(first.intents),
        x(last.intents),
        y(linear(first.intents)),
        y(linear(last.intents)),
        x(last.intents) - 6.0,
        y(linear(last.intents)) + 16.0,
        first.intents
    );
    let path: Vec<String> = points
        .iter()
        .map(|p| format!("{:.1},{:.1}", x(p.intents), y(p.median)))
        .collect();
    let _ = writeln!(
        out,
        r##"<polyline points="{}" fill="none" stroke="#1f77b4" stroke-width="2"/>"##,
        path.join(" ")
    );
    for point in points {
        let at = x(point.intents);
        let _ = writeln!(
            out,
            r##"<line x1="{at:.1}" x2="{at:.1}" y1="{:.1}" y2="{:.1}" stroke="#1f77b4"/><circle cx="{at:.1}" cy="{:.1}" r="4" fill="#1f77b4"/><text x="{:.1}" y="{:.1}">{}</text>"##,
            y(point.min),
            y(point.max),
            y(point.median),
            at + 7.0,
            y(point.median) - 6.0,
            seconds_label(point.median)
        );
    }
    out.push_str("</svg>\n");
    out
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
