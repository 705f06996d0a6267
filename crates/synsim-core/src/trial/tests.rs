use super::*;

#[test]
fn builtin_trials_load() {
    for (name, _) in BUILTIN_TRIALS {
        let t = TrialSpec::load(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(t.arms.len() >= 2, "{name}");
        assert!(!t.published.is_empty(), "{name} names its published trial");
        // Every arm's regimen covers the visits: no dose is silently cut.
        for s in t.arm_scenarios().unwrap() {
            let last_dose = s.regimen.as_ref().unwrap().expand().last().unwrap().time_h;
            assert!(
                last_dose <= s.days * 24.0,
                "{name}: a dose after the last visit"
            );
        }
    }
}

fn small(arms: &[&str], days: &[f64]) -> TrialSpec {
    let regimens: Vec<String> = arms.iter().map(|s| s.to_string()).collect();
    TrialSpec::from_arms(&regimens, days.to_vec(), None).unwrap()
}

/// The same seed gives bit-identical patients with one thread or two.
#[cfg(feature = "parallel")]
#[test]
fn trial_is_bit_identical_across_thread_counts() {
    let spec = TrialSpec::load("ketamine-vs-midazolam").unwrap();
    let on = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| run(&spec, 12, 7).unwrap())
    };
    let (a, b) = (on(1), on(2));
    assert_eq!(a.patients, b.patients);
    assert_eq!(a.patients.len(), 24);
    // Randomisation alternates: equal arms.
    assert_eq!(a.patients.iter().filter(|p| p.arm == 0).count(), 12);
}

/// Two identical arms: p < 0.05 in about 5 % of replicate trials and the
/// 95 % CI of the difference covers 0 in about 95 %.
#[test]
fn identical_arms_give_nominal_false_positive_rate() {
    let spec = small(
        &["placebo oral daily for 2 w", "placebo oral daily for 2 w"],
        &[7.0, 14.0],
    );
    let (mut hits, mut covers, reps) = (0, 0, 200);
    for r in 0..reps {
        let run = run(&spec, 20, replicate_seed(11, r)).unwrap();
        let a = analyse(&spec, &run);
        let d = a.comparisons[0].ancova.as_ref().unwrap();
        hits += usize::from(d.p < 0.05);
        covers += usize::from(d.ci_low <= 0.0 && d.ci_high >= 0.0);
    }
    let rate = hits as f64 / reps as f64;
    assert!((0.01..=0.10).contains(&rate), "false-positive rate {rate}");
    let cover = covers as f64 / reps as f64;
    assert!((0.90..=0.99).contains(&cover), "coverage {cover}");
}

/// Entry on a noisy rating makes the baseline visit fall below screening
/// (regression to the mean); with exact ratings there is none.
#[test]
fn regression_to_the_mean_arises_from_noisy_entry() {
    let mut spec = small(
        &["placebo oral daily for 1 w", "placebo oral daily for 1 w"],
        &[7.0],
    );
    spec.entry_min_score = 34.0;
    spec.rater_sd = 5.0;
    let a = analyse(&spec, &run(&spec, 100, 3).unwrap());
    assert!(
        a.mean_screening - a.mean_baseline > 1.0,
        "screening {} baseline {}",
        a.mean_screening,
        a.mean_baseline
    );
    spec.rater_sd = 0.0;
    let a = analyse(&spec, &run(&spec, 100, 3).unwrap());
    assert!(
        (a.mean_screening - a.mean_baseline).abs() < 0.5,
        "screening {} baseline {}",
        a.mean_screening,
        a.mean_baseline
    );
}

/// A placebo arm improves by expectancy and the natural course; with both
/// switched off, and new episodes too, its true score stays at baseline.
#[test]
fn placebo_arm_improvement_comes_from_the_non_drug_mechanisms() {
    let mut spec = small(
        &[
            "escitalopram 10 mg oral daily for 8 w",
            "placebo oral daily for 8 w",
        ],
        &[28.0, 56.0],
    );
    spec.rater_sd = 0.0;
    let a = analyse(&spec, &run(&spec, 40, 5).unwrap());
    let placebo = &a.visits[1][1];
    assert!(
        placebo.change.mean < -3.0,
        "placebo arm change {}",
        placebo.change.mean
    );
    spec.set = vec![
        "mechanisms.expectancy=false".into(),
        "mechanisms.natural_course=false".into(),
        "mechanisms.new_episodes=false".into(),
    ];
    let r = run(&spec, 40, 5).unwrap();
    for p in r.patients.iter().filter(|p| p.arm == 1) {
        for t in &p.true_score {
            assert!(
                (t - p.true_baseline).abs() < 1e-6,
                "{t} vs {}",
                p.true_baseline
            );
        }
    }
}

/// A randomised-withdrawal trial analyses only the responders at the
/// randomisation visit.
#[test]
fn withdrawal_design_keeps_the_responders() {
    let spec = TrialSpec::load("ssri-withdrawal").unwrap();
    let r = run(&spec, 30, 1).unwrap();
    let a = analyse(&spec, &r);
    let kept = analysis::enriched(&spec, &r, 84.0);
    assert_eq!(a.randomised.iter().sum::<usize>(), kept.patients.len());
    assert!(kept.patients.len() < r.patients.len());
    let v = spec.visits_d.iter().position(|&d| d == 84.0).unwrap();
    for p in &kept.patients {
        assert!(p.rated[v].unwrap() <= 0.5 * p.baseline);
    }
}

/// A relapse dates from the first of the consecutive low ratings, needs all
/// of them, and ignores ratings before the follow-up starts.
#[test]
fn relapse_rule_finds_the_first_confirmed_low_run() {
    let rule = RelapseRule {
        improvement_below: 0.25,
        consecutive: 2,
    };
    // Baseline 40: a rating above 30 is an improvement below 25 %.
    let r = |v: &[f64]| v.iter().map(|&x| Some(x)).collect::<Vec<_>>();
    assert_eq!(
        rule.onset(&r(&[10., 31., 20., 31., 32., 33.]), 40.0, 1),
        Some(3)
    );
    assert_eq!(
        rule.onset(&r(&[31., 31., 20., 20., 20., 31.]), 40.0, 2),
        None
    );
    let mut gap = r(&[10., 31., 32.]);
    gap[2] = None;
    assert_eq!(rule.onset(&gap, 40.0, 1), None, "unconfirmed after dropout");
    let one = RelapseRule {
        consecutive: 1,
        ..rule
    };
    assert_eq!(rule.onset(&r(&[10., 20., 31.]), 40.0, 1), None);
    assert_eq!(one.onset(&r(&[10., 20., 31.]), 40.0, 1), Some(2));
}

#[test]
fn bad_trial_files_name_the_field_and_range() {
    let ok = builtin_trial("ssri-vs-placebo").unwrap();
    let bad = ok.replace("rater_sd = 3.0", "rater_sd = 40");
    let e = TrialSpec::from_toml(&bad, "x", "x.toml").unwrap_err();
    assert!(
        e.to_string().contains("rater_sd = 40") && e.to_string().contains("0 to 15"),
        "{e}"
    );
    let bad = ok.replace("primary_visit = 56", "primary_visit = 50");
    let e = TrialSpec::from_toml(&bad, "x", "x.toml").unwrap_err();
    assert!(e.to_string().contains("primary_visit"), "{e}");
    let bad = ok.replace(
        "patients_per_arm = 190",
        "patients_per_arm = 190\nbogus = 1",
    );
    let e = TrialSpec::from_toml(&bad, "x", "x.toml").unwrap_err();
    assert!(e.to_string().contains("bogus"), "{e}");
    let relapse = "relapse = { improvement_below = 0.25, consecutive = 2 }\n";
    let bad = ok.replace("blinded = true", &format!("{relapse}blinded = true"));
    let e = TrialSpec::from_toml(&bad, "x", "x.toml").unwrap_err();
    assert!(e.to_string().contains("needs responders_at"), "{e}");
    let w = builtin_trial("ssri-withdrawal").unwrap();
    let bad = w.replace(
        "blinded = true",
        &format!("{}blinded = true", relapse.replace("0.25", "1.5")),
    );
    let e = TrialSpec::from_toml(&bad, "x", "x.toml");
    let e = e.unwrap_err().to_string();
    assert!(
        e.contains("relapse.improvement_below = 1.5") && e.contains("0 to 1"),
        "{e}"
    );
    let e =
        TrialSpec::from_arms(&["placebo oral daily for 1 w".into()], vec![7.0], None).unwrap_err();
    assert!(e.to_string().contains("at least two arms"), "{e}");
}

/// A power curve analyses the prefixes of the largest trial: its points
/// equal separate runs at each size.
#[test]
fn power_curve_equals_separate_sizes() {
    let spec = small(
        &[
            "ketamine 0.5 mg/kg iv over 40 min once",
            "placebo iv over 40 min once",
        ],
        &[1.0],
    );
    let curve = power_curve(&spec, &[4, 9], 5, 3, 0.05, &|_| {}).unwrap();
    for (point, n) in curve.iter().zip([4, 9]) {
        assert_eq!(*point, power(&spec, n, 5, 3, 0.05, &|_| {}).unwrap());
    }
}
