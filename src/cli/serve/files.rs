//! The page's files, embedded at build time.

/// The page's files, embedded; `page_files_cover_index_html` keeps the
/// list complete.
pub static FILES: &[(&str, &str, &str)] = &[
    (
        "index.html",
        "text/html; charset=utf-8",
        include_str!("../../../web/index.html"),
    ),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("../../../web/style.css"),
    ),
    (
        "engine.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../web/engine.js"),
    ),
    (
        "charts.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../web/charts.js"),
    ),
    (
        "controls.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../web/controls.js"),
    ),
    (
        "intro.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../web/intro.js"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../web/app.js"),
    ),
    (
        "vendor/uplot-1.6.32/uPlot.iife.min.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../web/vendor/uplot-1.6.32/uPlot.iife.min.js"),
    ),
    (
        "vendor/uplot-1.6.32/uPlot.min.css",
        "text/css; charset=utf-8",
        include_str!("../../../web/vendor/uplot-1.6.32/uPlot.min.css"),
    ),
    (
        "vendor/uplot-1.6.32/LICENSE",
        "text/plain; charset=utf-8",
        include_str!("../../../web/vendor/uplot-1.6.32/LICENSE"),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_files_cover_index_html() {
        let index = FILES[0].2;
        let after = |attr: &str| index.split(attr).skip(1).collect::<Vec<_>>();
        for part in after("src=\"").into_iter().chain(after("href=\"")) {
            let target = part.split('"').next().unwrap_or("");
            if target.contains(':') || target.starts_with('#') {
                continue;
            }
            assert!(
                FILES.iter().any(|(n, _, _)| *n == target),
                "web/index.html uses {target}, which serve does not embed"
            );
        }
    }
}
