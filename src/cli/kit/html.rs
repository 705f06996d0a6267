//! The kit's pages: the printable handout (predictions, blank axes to
//! sketch on, discussion questions), the answer key and the teacher notes.
//! Plain HTML with a print stylesheet, relative links only, no network.

use super::content::{Lesson, Level, Sketch};
use crate::cli::demo::{code_spans, escape};

/// One answer as computed for this build: the question, the sentence with
/// its numbers filled in, and the runs they came from.
#[derive(Debug, Clone)]
pub struct Filled {
    /// The question.
    pub question: String,
    /// The answer with the numbers in place (HTML, numbers in `<b>`).
    pub html: String,
    /// The `synsim run` commands whose timeseries.csv hold the numbers.
    pub commands: Vec<String>,
}

/// The shared page style: large readable text, and a print stylesheet
/// whose margins fit both A4 and US Letter.
const CSS: &str = "body { font-family: 'DejaVu Sans', Verdana, sans-serif; max-width: 46rem; margin: 0 auto; \
padding: 1rem 1.5rem; color: #111; line-height: 1.45; font-size: 12pt; }\n\
h1 { font-size: 18pt; margin: 0.2rem 0; } h2 { font-size: 14pt; margin: 1.2rem 0 0.4rem; \
border-bottom: 2px solid #0072b2; }\n\
.who { display: flex; gap: 1.5rem; margin: 0.6rem 0; } .who span { flex: 1; border-bottom: 1px solid #444; \
padding-top: 1.2rem; font-size: 10pt; }\n\
.warn { background: #fff4e0; border-left: 4px solid #e69f00; padding: 0.3rem 0.8rem; font-size: 10pt; }\n\
ol li { margin-bottom: 0.4rem; } .lines { border-bottom: 1px solid #999; height: 1.6rem; }\n\
.sketch { break-inside: avoid; page-break-inside: avoid; margin: 0.6rem 0 1rem; }\n\
.sketch svg { width: 100%; height: auto; }\n\
.q { break-inside: avoid; page-break-inside: avoid; }\n\
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #bbb; padding: 0.25rem 0.5rem; \
text-align: left; vertical-align: top; } th { background: #eef4fa; }\n\
.slide { break-inside: avoid; page-break-inside: avoid; margin: 0.8rem 0; } .slide img { width: 85%; \
border: 1px solid #ccc; }\n\
code { background: #f2f2f2; padding: 0 0.2rem; font-size: 9.5pt; word-break: break-word; }\n\
.foot { font-size: 9pt; color: #555; margin-top: 1.5rem; }\n\
@page { margin: 14mm 15mm; }\n\
/* A4 (210 x 297 mm) and US Letter (216 x 279 mm): the text column fits the\n   narrower A4 width, and nothing is sized to one paper's height. */\n\
@media print { body { max-width: none; padding: 0; font-size: 11pt; } a { color: inherit; \
text-decoration: none; } .pagebreak { break-before: page; page-break-before: always; } \
h2 { break-after: avoid; page-break-after: avoid; } }\n";

/// A whole page around `body`.
fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{t}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n{body}\
         <p class=\"foot\">Made by <code>synsim kit</code> (synsim {v}). synsim is an illustrative teaching \
         model, not clinical advice; it recommends no dose.</p>\n</body>\n</html>\n",
        t = escape(title),
        v = env!("CARGO_PKG_VERSION"),
    )
}

/// Text for HTML with `code` spans for backticks.
fn prose(s: &str) -> String {
    code_spans(&escape(s))
}

/// The printable handout: predictions with room to write, blank axes to
/// sketch on, the discussion questions.
pub fn handout(l: &Lesson) -> String {
    let mut b = format!(
        "<h1>{}</h1>\n<div class=\"who\"><span>Name</span><span>Class</span><span>Date</span></div>\n\
         <p><strong>The question:</strong> {}</p>\n",
        escape(&l.title),
        prose(&l.question)
    );
    b.push_str(&warn(l.level));
    b.push_str("<h2>Before the figures: your predictions</h2>\n<ol>\n");
    for p in &l.predictions {
        b.push_str(&format!(
            "<li class=\"q\">{}<div class=\"lines\"></div><div class=\"lines\"></div></li>\n",
            prose(p)
        ));
    }
    b.push_str("</ol>\n");
    for (k, s) in l.sketches.iter().enumerate() {
        b.push_str(&format!(
            "<div class=\"sketch\"><p><strong>Sketch {}.</strong> {}</p>\n{}</div>\n",
            k + 1,
            prose(s.prompt),
            sketch_svg(s)
        ));
    }
    // The discussion on a page of its own: it is done after the figures.
    b.push_str("<h2 class=\"pagebreak\">Discussion questions</h2>\n<ol>\n");
    for q in &l.discussion {
        b.push_str(&format!(
            "<li class=\"q\">{}<div class=\"lines\"></div><div class=\"lines\"></div></li>\n",
            prose(q)
        ));
    }
    b.push_str("</ol>\n");
    page(&format!("Handout: {}", l.title), &b)
}

/// The warning every page carries, in the words of its level.
fn warn(level: Level) -> String {
    let text = match level {
        Level::School => {
            "The figures come from a computer model of one made-up patient, built for teaching. \
             They are not real patients' results and not medical advice."
        }
        Level::University => {
            "Illustrative teaching model: its score is MADRS-like, many of its numbers are marked \
             illustrative, and nothing here is clinical advice or recommends a dose."
        }
    };
    format!("<p class=\"warn\">{text}</p>\n")
}

/// Blank axes as inline SVG: axis lines with ticks, tick labels and axis
/// titles, a faint grid to sketch on.
pub fn sketch_svg(s: &Sketch) -> String {
    let (w, h) = (700.0, 330.0);
    let (x0, x1, y0, y1) = (90.0, 680.0, 280.0, 20.0);
    let mut out = format!(
        "<svg viewBox=\"0 0 {w} {h}\" role=\"img\" \
         aria-label=\"blank axes: {} against {}\" font-family=\"DejaVu Sans, Verdana, sans-serif\">\n",
        escape(s.y_label),
        escape(s.x_label)
    );
    let step = |n: usize, a: f64, b: f64, k: usize| a + (b - a) * k as f64 / (n.max(2) - 1) as f64;
    for (k, t) in s.x_ticks.iter().enumerate() {
        let x = step(s.x_ticks.len(), x0, x1, k);
        out.push_str(&format!(
            "<line x1=\"{x:.1}\" y1=\"{y1}\" x2=\"{x:.1}\" y2=\"{y0}\" stroke=\"#ddd\"/>\
             <line x1=\"{x:.1}\" y1=\"{y0}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#222\" stroke-width=\"2\"/>\
             <text x=\"{x:.1}\" y=\"{}\" font-size=\"16\" text-anchor=\"middle\">{}</text>\n",
            y0 + 8.0,
            y0 + 26.0,
            escape(t)
        ));
    }
    for (k, t) in s.y_ticks.iter().enumerate() {
        let y = step(s.y_ticks.len(), y0, y1, k);
        out.push_str(&format!(
            "<line x1=\"{x0}\" y1=\"{y:.1}\" x2=\"{x1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/>\
             <line x1=\"{}\" y1=\"{y:.1}\" x2=\"{x0}\" y2=\"{y:.1}\" stroke=\"#222\" stroke-width=\"2\"/>\
             <text x=\"{}\" y=\"{:.1}\" font-size=\"16\" text-anchor=\"end\">{}</text>\n",
            x0 - 8.0,
            x0 - 12.0,
            y + 5.0,
            escape(t)
        ));
    }
    out.push_str(&format!(
        "<line x1=\"{x0}\" y1=\"{y0}\" x2=\"{x1}\" y2=\"{y0}\" stroke=\"#222\" stroke-width=\"2.5\"/>\
         <line x1=\"{x0}\" y1=\"{y0}\" x2=\"{x0}\" y2=\"{y1}\" stroke=\"#222\" stroke-width=\"2.5\"/>\n\
         <text x=\"{}\" y=\"{}\" font-size=\"17\" text-anchor=\"middle\">{}</text>\n\
         <text transform=\"translate(22 {}) rotate(-90)\" font-size=\"17\" text-anchor=\"middle\">{}</text>\n</svg>\n",
        (x0 + x1) / 2.0,
        h - 4.0,
        escape(s.x_label),
        (y0 + y1) / 2.0,
        escape(s.y_label)
    ));
    out
}

/// The answer key: every question with the numbers this build computed,
/// and the `synsim run` commands that give the same numbers.
pub fn answer_key(l: &Lesson, answers: &[Filled]) -> String {
    let mut b = format!(
        "<h1>Answer key: {}</h1>\n<p>Every number below was computed by the model when this kit was \
         built (synsim {}), so it is true for this version of the model. To check one, run the command \
         under it and read <code>timeseries.csv</code> at the time given (<code>time_h</code> is hours \
         since the first dose). The same numbers, unrounded, are in <code>answer-key.csv</code>.</p>\n",
        escape(&l.title),
        env!("CARGO_PKG_VERSION")
    );
    b.push_str(&warn(l.level));
    b.push_str("<ol>\n");
    for a in answers {
        let cmds: Vec<String> = a
            .commands
            .iter()
            .map(|c| format!("<code>{}</code>", escape(c)))
            .collect();
        b.push_str(&format!(
            "<li class=\"q\"><p><strong>{}</strong></p><p>{}</p><p class=\"foot\">From: {}</p></li>\n",
            prose(&a.question),
            a.html,
            cmds.join(" \u{00b7} ")
        ));
    }
    b.push_str("</ol>\n");
    page(&format!("Answer key: {}", l.title), &b)
}

/// The teacher notes: the timings (adding up to the lesson's length), the
/// slides with what to say and the command that remakes each, and the
/// misconceptions to expect.
pub fn teacher_notes(l: &Lesson, slide_files: &[String]) -> String {
    let mut b = format!(
        "<h1>Teacher notes: {}</h1>\n<p><strong>Lesson {}</strong> \u{00b7} <strong>Level:</strong> {} \
         \u{00b7} <strong>Length:</strong> {} minutes \u{00b7} <strong>Question:</strong> {}</p>\n\
         <p><strong>Learning goal.</strong> {}</p>\n",
        escape(&l.title),
        l.number,
        l.level.name(),
        l.minutes,
        prose(&l.question),
        prose(&l.goal)
    );
    b.push_str(&warn(l.level));
    b.push_str(&timing_table(l));
    b.push_str(&parameters(l));
    let mut k = 0;
    for (n, s) in l.segments.iter().enumerate() {
        b.push_str(&format!(
            "<h2>{}. {} ({} min)</h2>\n<p>{}</p>\n",
            n + 1,
            escape(&s.heading),
            s.minutes,
            prose(&s.activity)
        ));
        if !s.notice.is_empty() {
            let items: Vec<String> = s
                .notice
                .iter()
                .map(|n| format!("<li>{}</li>", prose(n)))
                .collect();
            b.push_str(&format!(
                "<p><strong>What to notice</strong> (from the lesson plan):</p><ul>{}</ul>\n",
                items.join("")
            ));
        }
        for slide in &s.slides {
            let file = slide_files.get(k).cloned().unwrap_or_default();
            k += 1;
            b.push_str(&format!(
                "<div class=\"slide\"><p><strong>Slide {k}</strong> (<a href=\"{f}\">{f}</a>)</p>\
                 <img src=\"{f}\" alt=\"slide {k}\"><p><strong>Say:</strong> {}</p>\
                 <p class=\"foot\">Remake or change it: <code>{}</code></p></div>\n",
                prose(slide.say),
                escape(&slide.fig.command(l.level)),
                f = escape(&file),
            ));
        }
    }
    if !l.misconceptions.is_empty() {
        b.push_str("<h2>Misconceptions to expect</h2>\n<table><tr><th>Students may say</th><th>What to say</th></tr>\n");
        for (m, answer) in &l.misconceptions {
            b.push_str(&format!(
                "<tr><td>{}</td><td>{}</td></tr>\n",
                prose(m),
                prose(answer)
            ));
        }
        b.push_str("</table>\n");
    }
    b.push_str(
        "<h2>Files</h2>\n<p><code>slides/</code> (16:9 PNG and SVG, in the order above), \
         <a href=\"handout.html\">handout.html</a> (print one per student), \
         <a href=\"answer-key.html\">answer-key.html</a> and <code>answer-key.csv</code>.</p>\n",
    );
    page(&format!("Teacher notes: {}", l.title), &b)
}

/// The parameters the lesson changes, in the words students read.
fn parameters(l: &Lesson) -> String {
    let rows: Vec<String> = l
        .parameters
        .iter()
        .filter_map(|n| crate::params::lookup(n).map(|id| &crate::params::REGISTRY[id.0]))
        .map(|d| {
            format!(
                "<li>{} (<code>{}</code>, default {} {})</li>",
                escape(d.plain_or_name()),
                escape(d.name),
                d.format_value(d.default),
                escape(d.unit)
            )
        })
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    format!(
        "<p><strong>Parameters the lesson changes</strong> (students see the plain words):</p><ul>{}</ul>\n",
        rows.join("")
    )
}

/// The timings as a table: from, to, minutes, what; a last row with the total.
fn timing_table(l: &Lesson) -> String {
    let mut b = String::from(
        "<h2>Timings</h2>\n<table><tr><th>from</th><th>to</th><th>minutes</th><th>what</th></tr>\n",
    );
    let mut t = 0;
    for s in &l.segments {
        b.push_str(&format!(
            "<tr><td>{t}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            t + s.minutes,
            s.minutes,
            escape(&s.heading)
        ));
        t += s.minutes;
    }
    b.push_str(&format!(
        "<tr><th colspan=\"2\">total</th><th>{}</th><th>of a {}-minute lesson</th></tr>\n</table>\n",
        l.total_minutes(),
        l.minutes
    ));
    b
}
