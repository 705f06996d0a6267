use super::*;

fn ok(method: &str, body: &str) -> Value {
    let out = call(method, body);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["ok"], true, "{method}: {out}");
    v
}

fn err(method: &str, body: &str) -> String {
    let (status, out) = answer(method, body);
    assert_eq!(status, 400, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    v["error"]["message"].as_str().unwrap().to_string()
}

#[test]
fn catalog_lists_every_parameter_and_scenario() {
    let v = ok("catalog", "{}");
    assert_eq!(v["parameters"].as_array().unwrap().len(), REGISTRY.len());
    assert_eq!(v["scenarios"].as_array().unwrap().len(), BUILTINS.len());
    assert!(v["columns"].as_array().unwrap().len() > 15);
}

#[test]
fn csv_is_the_command_lines_timeseries() {
    let body = r#"{"scenario":"ketamine-iv-single","set":{"synapse.max_density":1.3}}"#;
    let mut s = Scenario::builtin_named("ketamine-iv-single").unwrap();
    s.apply_overrides(&["synapse.max_density=1.3".into()])
        .unwrap();
    let r = run(&s).unwrap();
    let want = export::timeseries_csv(&r.rows, &export::columns(&r.drugs));
    assert_eq!(ok("csv", body)["csv"].as_str().unwrap(), want);
    // The plotted series hold every CSV row, with the same values.
    let v = ok("run", body);
    let times: Vec<f64> = v["series"]["time_h"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_f64().unwrap())
        .collect();
    let score = v["series"]["symptom_score"].as_array().unwrap();
    assert!(times.len() > r.rows.len() && times.windows(2).all(|w| w[0] < w[1]));
    for o in r.rows.iter().step_by(97) {
        let k = times
            .iter()
            .position(|t| *t == o.time_h)
            .expect("a CSV time is plotted");
        // serde_json's default reader may round the last bit (the page's
        // JSON.parse does not), so allow one unit in the last place.
        let got = score[k].as_f64().unwrap();
        assert!(
            (got - o.symptom_score).abs() <= 2.0 * f64::EPSILON * got.abs(),
            "t = {}",
            o.time_h
        );
    }
}

#[test]
fn the_display_series_is_the_figures_grid() {
    let s = Scenario::builtin_named("esketamine-nasal").unwrap();
    let r = run(&s).unwrap();
    let full = ok("run", r#"{"scenario":"esketamine-nasal"}"#);
    let shown = ok("run", r#"{"scenario":"esketamine-nasal","display":true}"#);
    let col = |v: &Value, c: &str| -> Vec<f64> {
        let a = v["series"][c].as_array().unwrap();
        a.iter().map(|x| x.as_f64().unwrap()).collect()
    };
    let times = col(&shown, "time_h");
    assert_eq!(times.len(), r.dense.len());
    assert!(
        4 * times.len() < col(&full, "time_h").len(),
        "{}",
        times.len()
    );
    for (k, o) in r.dense.iter().enumerate() {
        assert_eq!(times[k], o.time_h);
    }
    // Every dose's peak is on the grid: the plasma peak is the full series'.
    let peak = |v: &Value| {
        col(v, "plasma_esketamine_ng_ml")
            .into_iter()
            .fold(0.0, f64::max)
    };
    assert!((peak(&shown) - peak(&full)).abs() <= 1e-3 * peak(&full));
    assert_eq!(shown["summary"], full["summary"]);
}

#[test]
fn bad_requests_get_the_command_lines_words() {
    assert!(err("run", r#"{"scenario":"ketamine-iv-singel"}"#).contains("Did you mean"));
    let e = err(
        "run",
        r#"{"scenario":"placebo","set":{"synapse.max_densty":1}}"#,
    );
    assert!(
        e.contains("did you mean") || e.contains("Did you mean"),
        "{e}"
    );
    let e = err(
        "run",
        r#"{"scenario":"placebo","set":{"synapse.max_density":99}}"#,
    );
    assert!(e.contains("range"), "{e}");
    let e = err("regimen", r#"{"text":"ketamine 0.5 mg/kg iv over 40 min"}"#);
    assert!(e.contains('^'), "{e}");
    assert!(err("nope", "{}").contains("unknown method"));
    assert!(err("run", "{not json").contains("bad request"));
    assert!(err("population", r#"{"scenario":"placebo","patients":100000}"#).contains("5000"));
    assert!(err("circuit", r#"{"occupancy":2}"#).contains("between 0 and 0.95"));
}

#[test]
fn regimen_knobs_and_calibration_warnings_reach_the_page() {
    let v = ok(
        "run",
        r#"{"scenario":"ketamine-iv-single","set":{"regimen.dose":0.7}}"#,
    );
    assert!(
        v["regimen"].as_str().unwrap().contains("0.7 mg/kg"),
        "{}",
        v["regimen"]
    );
    assert!(v["warnings"].as_array().unwrap().is_empty());
    let v = ok(
        "run",
        r#"{"scenario":"ketamine-iv-single","set":{"regimen.dose":2}}"#,
    );
    assert!(
        !v["warnings"].as_array().unwrap().is_empty(),
        "2 mg/kg warns"
    );
    let c = ok("catalog", "{}");
    assert!(c["regimen_knobs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k["name"] == "regimen.dose"));
    let esc = c["drugs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "escitalopram")
        .unwrap()
        .clone();
    assert_eq!(esc["routes"], json!(["oral", "iv"]));
}

#[test]
fn population_rates_come_with_intervals() {
    let v = ok(
        "population",
        r#"{"scenario":"ketamine-iv-single","patients":20,"seed":3,"days":7}"#,
    );
    assert_eq!(v["patients"], 20);
    let r0 = &v["rates"][0];
    assert!(r0["lo"].as_f64().unwrap() <= r0["rate"].as_f64().unwrap());
    let p50 = v["bands"]["symptom_score"]["p50"].as_array().unwrap();
    assert_eq!(p50.len(), v["time_h"].as_array().unwrap().len());
}

/// The placebo arm runs the same sessions with no drug: its command
/// line names the placebo regimen, and it responds less at 24 h.
#[test]
fn the_placebo_arm_runs_the_same_sessions_without_drug() {
    let body = |arm: &str| {
        format!(
            r#"{{"scenario":"ketamine-iv-single","patients":40,"seed":3,"days":2,"arm":"{arm}"}}"#
        )
    };
    let drug = ok("population", &body("treatment"));
    let placebo = ok("population", &body("placebo"));
    let cmd = placebo["command"].as_str().unwrap();
    assert!(
        cmd.contains("--regimen 'placebo iv over 40 min once'")
            || cmd.contains("--regimen \"placebo iv over 40 min once\""),
        "{cmd}"
    );
    let r24 = |v: &Value| v["rates"][0]["rate"].as_f64().unwrap();
    assert!(
        r24(&drug) > r24(&placebo) + 0.2,
        "{} vs {}",
        r24(&drug),
        r24(&placebo)
    );
    let e = err("population", r#"{"scenario":"placebo","arm":"both"}"#);
    assert!(e.contains("\"treatment\" or \"placebo\""), "{e}");
}

#[test]
fn circuit_view_has_both_traces_and_nullclines() {
    let v = ok("circuit", r#"{"occupancy":0.5}"#);
    assert!(v["interneuron_occupancy"].as_f64().unwrap() > 0.5);
    assert!(!v["healthy"]["exc"].as_array().unwrap().is_empty());
    assert!(!v["nullclines"]["blocked"]["inh"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn arbitrary_bytes_never_panic() {
    // A small seeded fuzz over method names and bodies.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let pieces = [
        "{",
        "}",
        "\"scenario\":",
        "\"placebo\"",
        "\"set\":",
        "{\"pk.ketamine.ke0_per_min\":",
        "1e308",
        "-1",
        "true",
        ",",
        "\"regimen\":",
        "\"ketamine 0.5 mg/kg iv every\"",
        "\"days\":",
        "0",
        "\"patients\":",
        "3",
        "\"occupancy\":",
        "null",
        "[",
        "]",
        "\u{0}",
    ];
    for _ in 0..300 {
        let body: String = (0..(next() % 12))
            .map(|_| pieces[(next() % pieces.len() as u64) as usize])
            .collect();
        let method = ["run", "regimen", "circuit", "catalog", "x"][(next() % 5) as usize];
        let out = call(method, &body);
        assert!(serde_json::from_str::<Value>(&out).is_ok(), "{out}");
    }
}

#[test]
fn long_runs_and_populations_are_heavy() {
    assert!(is_heavy("population", "{}"));
    assert!(!is_heavy("run", r#"{"scenario":"esketamine-nasal"}"#));
    assert!(!is_heavy(
        "run",
        r#"{"scenario":"ketamine-iv-single","days":90}"#
    ));
    assert!(is_heavy(
        "run",
        r#"{"scenario":"ketamine-iv-single","days":365}"#
    ));
    assert!(!is_heavy("run", "not json"));
    assert!(!is_heavy("circuit", "{}"));
}

#[test]
fn a_server_s_limits_refuse_large_answers_and_stop_populations() {
    let stop = AtomicBool::new(false);
    let small = Limits {
        stop: &stop,
        max_values: 1_000_000,
    };
    let body = r#"{"scenario":"ketamine-iv-single","days":3650}"#;
    let (status, out) = answer_with("run", body, &small);
    assert_eq!(status, 400, "{out}");
    assert!(
        out.contains("--days 3650") && out.contains("1000000"),
        "{out}"
    );
    assert!(
        out.contains("synsim run ketamine-iv-single --days 3650"),
        "{out}"
    );
    assert_eq!(answer_with("csv", body, &small).0, 400);
    let body = r#"{"scenario":"ketamine-iv-single","days":90}"#;
    assert_eq!(answer_with("run", body, &small).0, 200);
    let stopped = AtomicBool::new(true);
    let gone = Limits {
        stop: &stopped,
        max_values: usize::MAX,
    };
    let (status, out) = answer_with(
        "population",
        r#"{"scenario":"ketamine-iv-single","patients":64}"#,
        &gone,
    );
    assert_eq!(status, 500, "{out}");
    assert!(out.contains("stopped"), "{out}");
}
