use super::*;
use crate::solve::SolveError;

#[test]
fn failures_are_classified_by_type() {
    let input: Vec<anyhow::Error> = vec![
        InputError("x".into()).into(),
        SolveError::BadGrid("the output step".into()).into(),
        anyhow::Error::from(crate::population::PopulationError::Input("n".into()))
            .context("population"),
    ];
    for e in &input {
        assert_eq!(failure(e), Failure::Input, "{e:#}");
        assert_eq!(exit_code(e), 2);
    }
    let run: Vec<anyhow::Error> = vec![
        // The word "output" in a failed run no longer makes it bad input.
        SolveError::Integrator {
            t_h: 1.0,
            msg: "output step too small".into(),
        }
        .into(),
        StdoutError(std::io::Error::other("disk full")).into(),
        anyhow::anyhow!("cannot write the output folder"),
    ];
    for e in &run {
        assert_eq!(failure(e), Failure::Run, "{e:#}");
        assert_eq!(exit_code(e), 1);
    }
}

#[test]
fn too_many_failed_patients_fail_the_run() {
    assert!(check_failed(0, 1000, "").is_ok());
    assert!(check_failed(50, 1000, "").is_ok());
    let e = check_failed(51, 1000, "patient 3").unwrap_err();
    assert_eq!(failure(&e), Failure::Run);
    let m = format!("{e:#}");
    assert!(
        m.starts_with(
            "51 of 1000 virtual patients (5.1 %) could not be simulated, more than the 5 %"
        ) && m.ends_with("first: patient 3"),
        "{m}"
    );
    assert!(check_failed(7, 10, "").is_err());
}

#[test]
fn durations_read_in_the_unit_people_use() {
    assert_eq!(fmt_time_h(0.25), "15 min");
    assert_eq!(fmt_time_h(5.5), "5.5 h");
    assert_eq!(fmt_time_h(895.1), "37.3 d");
    assert_eq!(fmt_time_h(f64::NAN), "-");
    assert_eq!(fmt_estimate_s(0.0), "under 0.1 s");
    assert_eq!(fmt_estimate_s(0.04), "under 0.1 s");
    assert_eq!(fmt_estimate_s(2.54), "about 2.5 s");
    assert_eq!(fmt_estimate_s(42.0), "about 42 s");
    assert_eq!(fmt_estimate_s(5500.0), "about 92 min");
    assert_eq!(fmt_estimate_s(5400.0 * 1.2), "about 1.8 h");
    assert_eq!(fmt_estimate_s(3.0 * 86400.0), "about 3.0 d");
}

#[test]
fn quoted_input_is_clipped() {
    let long = "y".repeat(300);
    let m = clip_quoted(&format!(
        "unknown parameter \"{long}\" (see \"synsim params\")"
    ));
    assert!(m.contains('…') && m.chars().count() < 120, "{m}");
    assert!(m.ends_with("(see \"synsim params\")"), "{m}");
    assert_eq!(clip_quoted("no quotes"), "no quotes");
}

#[test]
fn command_folders_name_the_command_what_it_ran_and_changes() {
    let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        command_out(
            "compare",
            &names(&["ketamine-iv-single", "models/my.toml"]),
            &[]
        ),
        Path::new("synsim-out/compare-ketamine-iv-single-vs-my")
    );
    assert_eq!(
        command_out("circuit", &[], &[]),
        Path::new("synsim-out/circuit")
    );
    let a = command_out("circuit", &[], &["set x=1".into()]);
    assert!(
        a.to_string_lossy().starts_with("synsim-out/circuit-"),
        "{a:?}"
    );
    assert_ne!(a, command_out("circuit", &[], &["set x=2".into()]));
    // Long lists are cut, and the digest tells them apart.
    let long: Vec<String> = (0..20).map(|k| format!("scenario-{k}")).collect();
    let mut other = long.clone();
    other[19] = "scenario-x".into();
    let (l, o) = (
        command_out("compare", &long, &[]),
        command_out("compare", &other, &[]),
    );
    assert_ne!(l, o);
    assert!(l.to_string_lossy().len() < 130, "{l:?}");
}

/// Error messages name the output folder asked for, not its temporary
/// sibling.
#[test]
fn messages_name_the_output_folder_not_its_temporary() {
    remember_tmp(Path::new("/x/.synsim-tmp-7-out"), Path::new("/x/out"));
    assert_eq!(
        without_tmp_paths("cannot write /x/.synsim-tmp-7-out/a.csv: No space left on device"),
        "cannot write /x/out/a.csv: No space left on device"
    );
}

#[test]
fn split_assignments_say_how_to_write_them() {
    let words = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
    for line in [
        "run ketamine-iv-single --set a = b",
        "run ketamine-iv-single --set a =b",
        "run ketamine-iv-single --set a= b",
        "compare ketamine-iv-single --vary synapse.turnover_d = 10,20",
    ] {
        let m = split_assignment(&words(line)).unwrap_or_else(|| panic!("{line}"));
        assert!(
            m.contains("separate words") && m.contains("no spaces around \"=\""),
            "{m}"
        );
    }
    for line in [
        "run ketamine-iv-single --set synapse.turnover_d 30",
        "run ketamine-iv-single --set mechanisms.hnk true",
    ] {
        let m = split_assignment(&words(line)).unwrap_or_else(|| panic!("{line}"));
        assert!(
            m.contains("one word NAME=VALUE") && m.contains("=30") || m.contains("=true"),
            "{m}"
        );
    }
    for line in [
        "run ketamine-iv-single --set a=b",
        "compare a b --set a=b",
        "run x -- --set a = b",
        "compare --set a ketamine-iv-single",
    ] {
        assert_eq!(split_assignment(&words(line)), None, "{line}");
    }
}

#[test]
fn default_folders_name_the_scenario_and_changes() {
    assert_eq!(
        default_out("ketamine-iv-single", &[]),
        Path::new("synsim-out/ketamine-iv-single")
    );
    let a = default_out("models/my file.toml", &["set x=1".into()]);
    let b = default_out("models/my file.toml", &["set x=2".into()]);
    assert_ne!(a, b);
    assert!(
        a.to_string_lossy().starts_with("synsim-out/my-file-"),
        "{a:?}"
    );
}
