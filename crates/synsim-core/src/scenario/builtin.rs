//! The built-in scenarios, embedded in the binary from models/.

/// (name, TOML text) of every built-in scenario, in teaching order.
pub static BUILTINS: &[(&str, &str)] = &[
    ("healthy", include_str!("../../../../models/healthy.toml")),
    ("placebo", include_str!("../../../../models/placebo.toml")),
    (
        "ketamine-iv-single",
        include_str!("../../../../models/ketamine-iv-single.toml"),
    ),
    (
        "ketamine-iv-serial",
        include_str!("../../../../models/ketamine-iv-serial.toml"),
    ),
    (
        "ketamine-maintenance",
        include_str!("../../../../models/ketamine-maintenance.toml"),
    ),
    (
        "esketamine-nasal",
        include_str!("../../../../models/esketamine-nasal.toml"),
    ),
    (
        "ssri-escitalopram",
        include_str!("../../../../models/ssri-escitalopram.toml"),
    ),
];

/// The TOML text of a built-in scenario.
pub fn builtin(name: &str) -> Option<&'static str> {
    BUILTINS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}
