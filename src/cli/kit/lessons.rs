//! The lessons a kit can be built for: the 50-minute school plan for the
//! question "why hours, not weeks, and why does it fade?", and the six
//! university lesson plans of docs/lessons (their timings, goals and
//! discussion questions read from the lesson files themselves).

use super::content::{Answer, Fig, Kind, Lesson, Level, RunSpec, Segment, Sketch, Slide, Value};

/// Hours in a day and a week.
const D: f64 = 24.0;
const W: f64 = 168.0;

const KET: RunSpec = RunSpec::of("ketamine-iv-single");
const SSRI: RunSpec = RunSpec::of("ssri-escitalopram");
const SALINE: RunSpec = RunSpec::of("placebo");

/// A lesson kit in the table: (number, short name, level) and how to build it.
pub type Entry = (u32, &'static str, Level, fn() -> Lesson);

/// Every lesson kit.
pub const LESSONS: [Entry; 7] = [
    (1, "hours-not-weeks", Level::School, school),
    (1, "hours-not-weeks", Level::University, lesson1),
    (2, "two-theories", Level::University, lesson2),
    (3, "maintenance", Level::University, lesson3),
    (4, "dose-and-side-effects", Level::University, lesson4),
    (5, "which-knob-matters", Level::University, lesson5),
    (6, "what-do-70-and-40-mean", Level::University, lesson6),
];

/// The lesson files, by number.
const DOCS: [&str; 6] = [
    include_str!("../../../docs/lessons/01-why-hours-not-weeks.md"),
    include_str!("../../../docs/lessons/02-two-theories-one-drug.md"),
    include_str!("../../../docs/lessons/03-why-maintenance-infusions.md"),
    include_str!("../../../docs/lessons/04-dose-and-side-effects.md"),
    include_str!("../../../docs/lessons/05-which-knob-matters.md"),
    include_str!("../../../docs/lessons/06-what-do-70-and-40-mean.md"),
];

/// The 50-minute secondary-school plan: why ketamine relieves depression
/// within hours when SSRIs take weeks, and why the effect fades.
pub fn school() -> Lesson {
    Lesson {
        number: 1,
        slug: "hours-not-weeks",
        level: Level::School,
        title: "Hours, not weeks: why does ketamine work fast, and why does it fade?".into(),
        question: "Why does ketamine relieve depression within hours when SSRI pills take weeks, \
                   and why does the effect fade?"
            .into(),
        goal: "Students can say which step is slow for each medicine (the pill's brain needs weeks to \
               adjust; ketamine gives a fast burst that grows new spines within a day) and explain \
               that the relief fades because new spines do not last for ever."
            .into(),
        minutes: 50,
        segments: school_segments(),
        predictions: vec![
            "A patient gets one ketamine drip. Another starts taking an SSRI pill every day. Who do you \
             think feels better first, and after how long: hours, days or weeks?",
            "Will the ketamine patient still feel better a month later? Give a reason.",
            "A salt-water drip (a placebo) is given to a third patient. Do you expect any change at all? Why?",
        ],
        sketches: vec![
            Sketch {
                prompt: "Sketch how depressed each patient is over the first three days: one line for \
                         the ketamine drip, one for the SSRI pill.",
                x_label: "time since treatment started (days)",
                x_ticks: &["0", "1", "2", "3"],
                y_label: "how depressed (score, 0\u{2013}60)",
                y_ticks: &["0", "10", "20", "30", "40"],
            },
            Sketch {
                prompt: "Now sketch the same two patients over twelve weeks.",
                x_label: "time since treatment started (weeks)",
                x_ticks: &["0", "2", "4", "6", "8", "10", "12"],
                y_label: "how depressed (score, 0\u{2013}60)",
                y_ticks: &["0", "10", "20", "30", "40"],
            },
        ],
        discussion: vec![
            "Both medicines reach the brain within hours to days. So where does the pill lose its weeks?".into(),
            "The new spines after ketamine disappear again over weeks. What could a doctor do about that?".into(),
            "The salt-water drip and the dummy pill help a little too. Why might that happen?".into(),
            "This is a made-up model, not real patients. What would you need to check before believing it?".into(),
        ],
        answers: school_answers(),
        misconceptions: vec![
            (
                "\u{201c}Ketamine works faster because it gets into the brain faster.\u{201d}",
                "Both medicines reach their target within hours to days. The pill is slow because the \
                 brain first switches off its own serotonin brake over weeks, and spines then regrow slowly.",
            ),
            (
                "\u{201c}New spines, once grown, stay for good.\u{201d}",
                "Spines are built and removed all the time; in the model each spine has a lifetime of \
                 a few weeks (an illustrative value: the teacher notes list it). That is why a single \
                 drip's benefit fades.",
            ),
            (
                "\u{201c}Fast means better, so everyone should get ketamine.\u{201d}",
                "Ketamine has side effects (feeling unreal for an hour or two), needs a clinic, and its \
                 benefit fades. This is a teaching model: it says nothing about which treatment anyone should have.",
            ),
            (
                "\u{201c}The score is a measurement of a real patient.\u{201d}",
                "It is a made-up (illustrative) score from a computer model of one typical patient, \
                 shaped like the questionnaires doctors use.",
            ),
            (
                "\u{201c}A placebo does nothing.\u{201d}",
                "Expecting to get better, and getting better by itself over time, lower the score a little \
                 even with salt water or a dummy pill.",
            ),
        ],
        parameters: vec!["synapse.turnover_d"],
    }
}

/// The names of the three school treatments, as the lines are labelled.
const SCHOOL_LABELS: &[&str] = &[
    "ketamine drip (once)",
    "SSRI pill (every day)",
    "salt-water drip (placebo)",
];
const THREE: &[&str] = &["ketamine-iv-single", "ssri-escitalopram", "placebo"];

fn school_segments() -> Vec<Segment> {
    let seg = |minutes, heading: &str, activity: &str, slides| Segment {
        minutes,
        heading: heading.into(),
        activity: activity.into(),
        notice: Vec::new(),
        slides,
    };
    vec![
        seg(5, "The question and predictions", "Read the question aloud. Students answer prediction \
             questions 1\u{2013}3 on the handout and sketch on the first blank axes, alone, without talking.", vec![]),
        seg(8, "The first three days", "Show slide 1. Compare with the sketches.", vec![school_first_days()]),
        seg(10, "Twelve weeks", "Students sketch on the second blank axes, then see slide 2.",
            vec![school_twelve_weeks()]),
        seg(10, "Spines you can count", "Show slide 3. Pairs count the new spines in each picture.",
            vec![school_spines()]),
        seg(7, "Why does it fade?", "Show slide 4. Ask what would happen if spines lived longer.",
            vec![school_spine_lifetime()]),
        seg(5, "What doctors do about the fading", "Show slide 5.", vec![school_course()]),
        seg(5, "Discussion and exit question", "Discussion questions 1\u{2013}4 in pairs; each student writes \
             one sentence answering the lesson question.", vec![]),
    ]
}

/// School slide 1: the first three days of the three treatments.
fn school_first_days() -> Slide {
    Slide {
        name: "first-three-days",
        fig: Fig {
            kind: Kind::Compare,
            scenarios: THREE,
            labels: SCHOOL_LABELS,
            days: Some(3.0),
            panels: &["score"],
            title: "The first three days: who feels better first?",
            ..Fig::default()
        },
        say: "Time runs left to right, in days; lower means less depressed. The ketamine line drops within \
              hours of the drip. The pill line has hardly moved: the pill is in the blood, but the brain \
              has not changed yet. The salt-water drip dips a little: expecting to get better helps a bit.",
    }
}

/// School slide 2: twelve weeks of score and spines.
fn school_twelve_weeks() -> Slide {
    Slide {
        name: "twelve-weeks",
        fig: Fig {
            kind: Kind::Compare,
            scenarios: THREE,
            labels: SCHOOL_LABELS,
            panels: &["score", "synapses"],
            title: "Twelve weeks: the pill catches up, the single drip fades",
            ..Fig::default()
        },
        say: "Top: how depressed. Bottom: spines, the tiny contact points between brain cells, in % of a \
              healthy brain. Ketamine's spines jump up within a day, then slowly fall back; its score \
              follows them back up. The pill's score falls slowly over weeks, and its spines creep up only a little.",
    }
}

/// School slide 3: the spine picture, drip against pill.
fn school_spines() -> Slide {
    Slide {
        name: "spines",
        fig: Fig {
            kind: Kind::Synapses,
            scenarios: &["ketamine-iv-single", "ssri-escitalopram"],
            labels: &["ketamine drip (once)", "SSRI pill (every day)"],
            at: "1d,1w,4w,8w",
            days: Some(60.0),
            title: "Spines on one branch of a brain cell: ketamine drip or SSRI pill?",
            ..Fig::default()
        },
        say: "One stretch of a brain cell's branch (a dendrite). Dark spines were there before treatment, coloured ones \
              are new, grey rings are missing. One day after the drip there are new spines; after the \
              pill, none yet. Ask: after eight weeks, which row has more?",
    }
}

/// School slide 4: how long spines live.
fn school_spine_lifetime() -> Slide {
    Slide {
        name: "spine-lifetime",
        fig: Fig {
            kind: Kind::Compare,
            scenarios: &["ketamine-iv-single"],
            vary: Some("synapse.turnover_d=9,18,36"),
            panels: &["score", "synapses"],
            title: "One ketamine drip: how long spines live changes how long the relief lasts",
            ..Fig::default()
        },
        say: "Same drip, three imaginary brains whose spines live 9, 18 or 36 days (the model's usual \
              value, made up for teaching, is listed under the timings above). In the model spines that live longer also grow more \
              slowly, so the first dip is smaller, but it fades more slowly: by three weeks the 9-day \
              brain has lost most of its benefit. New spines are not permanent: that is why the effect fades.",
    }
}

/// School slide 5: one drip against a course of six.
fn school_course() -> Slide {
    Slide {
        name: "a-course",
        fig: Fig {
            kind: Kind::Compare,
            scenarios: &["ketamine-iv-single", "ketamine-iv-serial"],
            labels: &["one drip", "six drips in two weeks"],
            days: Some(42.0),
            panels: &["score"],
            title: "One drip or a course of six?",
            ..Fig::default()
        },
        say: "Clinics give ketamine as a course: each drip adds spines before the earlier ones are gone, so \
              the relief lasts longer, but it still fades after the last drip. Not advice: a model for teaching.",
    }
}

fn school_answers() -> Vec<Answer> {
    vec![
        Answer {
            question: "Prediction 1: who feels better first?",
            text: "The ketamine patient. Before treatment the made-up score is {0} (higher = more depressed). \
                   Two hours after the ketamine drip it is {1}, and one day after it {2}; one day after the first \
                   SSRI pill it is still {3}.",
            values: vec![
                Value::score(KET, 0.0),
                Value::score(KET, 2.0),
                Value::score(KET, D),
                Value::score(SSRI, D),
            ],
        },
        Answer {
            question: "Prediction 2: a month later?",
            text: "Mostly faded: four weeks after the single drip the score is back up at {0}. The SSRI patient \
                   is at {1} after four weeks and {2} after twelve.",
            values: vec![
                Value::score(KET, 4.0 * W),
                Value::score(SSRI, 4.0 * W),
                Value::score(SSRI, 12.0 * W),
            ],
        },
        Answer {
            question: "Prediction 3: the salt-water drip?",
            text: "A small dip: one day after the salt-water drip the score is {0}, against {1} before.",
            values: vec![Value::score(SALINE, D), Value::score(SALINE, 0.0)],
        },
        Answer {
            question: "Slide 3: spines.",
            text: "One day after the drip the branch has {0} % of a healthy brain's spines (it started at {1} %); \
                   the SSRI patient has {2} %. After 8 weeks: ketamine {3} %, SSRI {4} %.",
            values: vec![
                Value::spines(RunSpec { days: Some(60.0), ..KET }, D),
                Value::spines(KET, 0.0),
                Value::spines(SSRI, D),
                Value::spines(RunSpec { days: Some(60.0), ..KET }, 8.0 * W),
                Value::spines(SSRI, 8.0 * W),
            ],
        },
        Answer {
            question: "Slide 4: longer-living spines.",
            text: "Two days after the drip the score is {0} when spines live 9 days and {1} when they live 36 \
                   days; three weeks after it, {2} (9 days) against {3} (36 days).",
            values: vec![
                Value::score(RunSpec { set: &["synapse.turnover_d=9"], ..KET }, 2.0 * D),
                Value::score(RunSpec { set: &["synapse.turnover_d=36"], ..KET }, 2.0 * D),
                Value::score(RunSpec { set: &["synapse.turnover_d=9"], ..KET }, 3.0 * W),
                Value::score(RunSpec { set: &["synapse.turnover_d=36"], ..KET }, 3.0 * W),
            ],
        },
    ]
}

/// Lesson 1 at university level: every slide and answer written out.
pub fn lesson1() -> Lesson {
    let (mut l, mut segs) = from_doc(1, "hours-not-weeks");
    lesson1_slides(&mut segs);
    l.segments = segs;
    l.predictions = vec![
        "Both drugs reach their targets (NMDA receptors, SERT) within hours to days. Predict when each \
         drug's score falls most steeply.",
        "Which step of the chain (drug, receptor, transmitter, BDNF, synapses, symptoms) do you expect to be \
         slow for the SSRI?",
    ];
    l.sketches = vec![Sketch {
        prompt: "Sketch the score after one ketamine infusion and during an SSRI course.",
        x_label: "time since first dose (days)",
        x_ticks: &["0", "14", "28", "42", "56", "70", "84"],
        y_label: "score (0\u{2013}60)",
        y_ticks: &["0", "10", "20", "30", "40"],
    }];
    l.answers = lesson1_answers();
    l.misconceptions = vec![
        ("\u{201c}The SSRI is slow because it takes weeks to reach the brain.\u{201d}",
         "Plasma level and SERT occupancy reach steady state within a week; the weeks go into autoreceptor \
          desensitisation, BDNF and synapse recovery."),
        ("\u{201c}Ketamine's early relief is the new spines.\u{201d}",
         "The score falls within hours, before synapse density changes; the model's early relief is an \
          assumed rapid term (synsim explain symptom)."),
        ("\u{201c}The whole SSRI improvement is the drug.\u{201d}",
         "A placebo pill's score falls too (expectancy, natural course); the drug's part is the gap."),
    ];
    l
}

/// Lesson 1's slides, into its sections from the lesson file.
fn lesson1_slides(segs: &mut [Segment]) {
    let score = |scenarios: &'static [&'static str], panels, title| Fig {
        kind: Kind::Compare,
        scenarios,
        panels,
        title,
        ..Fig::default()
    };
    segs[0].slides.push(Slide {
        name: "three-treatments",
        fig: Fig {
            labels: &["ketamine, one infusion", "escitalopram daily", "saline infusion (placebo)"],
            ..score(THREE, &["score", "synapses"], "")
        },
        say: "A logarithmic time axis, so the first hour and the twelfth week both show. Ask where the \
              difference between the lines comes from before going on.",
    });
    let dash = |panels, name, say| Slide {
        name,
        fig: Fig {
            kind: Kind::Run,
            scenarios: &["ketamine-iv-single"],
            panels,
            ..Fig::default()
        },
        say,
    };
    segs[1].slides.push(dash(&["receptors", "glutamate"], "infusion-receptors-glutamate",
        "NMDA block is higher on interneurons at every moment; inhibition dips, excitation and glutamate \
         surge within the first half hour, GABA follows with a lag."));
    segs[1].slides.push(dash(&["synapses", "score"], "infusion-synapses-score",
        "The score drops within hours, before synapse density changes; it is lowest one to two days after \
         the infusion, when new spines have formed, then drifts back as they are pruned."));
    segs[2].slides.push(Slide {
        name: "ssri-drug-part",
        fig: Fig {
            kind: Kind::Compare,
            scenarios: &["ssri-escitalopram"],
            vary: Some("mechanisms.synaptogenesis=true,false"),
            labels: &["synaptic route on", "synaptic route off"],
            panels: &["score", "synapses"],
            title: "The SSRI course with and without its synaptic route",
            ..Fig::default()
        },
        say: "Without synaptogenesis the SSRI falls no further than a placebo pill: the gap between the lines \
              is the drug's own part, and it opens only over weeks.",
    });
    segs[3].slides.push(Slide {
        name: "spines-side-by-side",
        fig: Fig {
            kind: Kind::Synapses,
            scenarios: &["ketamine-iv-single", "ssri-escitalopram"],
            at: "1d,1w,4w,8w",
            days: Some(60.0),
            ..Fig::default()
        },
        say: "Ask which row explains relief within a day, and which one explains why ketamine is given as a course.",
    });
}

fn lesson1_answers() -> Vec<Answer> {
    let pill = RunSpec {
        regimen: Some("placebo oral daily for 12 w"),
        ..SSRI
    };
    let ket60 = RunSpec {
        days: Some(60.0),
        ..KET
    };
    vec![
        Answer {
            question: "How far has the score fallen one day after the infusion?",
            text: "From {0} before the infusion to {1} at 24 h (saline infusion: {2}).",
            values: vec![Value::score(KET, 0.0), Value::score(KET, D), Value::score(SALINE, D)],
        },
        Answer {
            question: "Synapse density one day after the first dose, and at 4 and 8 weeks.",
            text: "At 1 d: ketamine {0} %, SSRI {1} % of healthy. At 4 w: ketamine {2} %, SSRI {3} %. \
                   At 8 w: ketamine {4} %, SSRI {5} %.",
            values: vec![
                Value::spines(ket60, D),
                Value::spines(SSRI, D),
                Value::spines(ket60, 4.0 * W),
                Value::spines(SSRI, 4.0 * W),
                Value::spines(ket60, 8.0 * W),
                Value::spines(SSRI, 8.0 * W),
            ],
        },
        Answer {
            question: "How large is the SSRI's own part at week 12?",
            text: "Escitalopram {0}, placebo pill {1} points at week 12: the drug's own part is the difference.",
            values: vec![Value::score(SSRI, 12.0 * W), Value::score(pill, 12.0 * W)],
        },
    ]
}

/// A university lesson from its file: title, question, goal, time, the
/// timed sections and the discussion questions; the slides and answers
/// are added by the lesson's own function. The minutes the sections leave
/// go to the discussion, so the timings add up to the stated length.
fn from_doc(number: u32, slug: &'static str) -> (Lesson, Vec<Segment>) {
    let md = DOCS[number as usize - 1];
    let doc = super::markdown::LessonDoc::parse(md);
    let mut segs: Vec<Segment> = doc
        .sections
        .iter()
        .map(|s| Segment {
            minutes: s.minutes,
            heading: s.heading.clone(),
            activity: s.text.clone(),
            notice: s.notice.clone(),
            slides: Vec::new(),
        })
        .collect();
    let used: u32 = segs.iter().map(|s| s.minutes).sum();
    segs.push(Segment {
        minutes: doc.minutes.saturating_sub(used),
        heading: "Discussion questions".into(),
        activity: "The discussion questions on the handout, in pairs, then with the class.".into(),
        notice: Vec::new(),
        slides: Vec::new(),
    });
    let lesson = Lesson {
        number,
        slug,
        level: Level::University,
        title: doc.title.clone(),
        question: super::markdown::question(number).to_string(),
        goal: doc.goal.clone(),
        minutes: doc.minutes,
        segments: Vec::new(),
        predictions: Vec::new(),
        sketches: vec![Sketch {
            prompt: "Before the first figure: sketch what you expect the score to do over the four weeks \
                     after the first dose.",
            x_label: "time since first dose (days)",
            x_ticks: &["0", "7", "14", "21", "28"],
            y_label: "score (0\u{2013}60)",
            y_ticks: &["0", "10", "20", "30", "40"],
        }],
        discussion: doc.discussion.clone(),
        answers: Vec::new(),
        misconceptions: Vec::new(),
        parameters: Vec::new(),
    };
    (lesson, segs)
}

/// Adds `slide` to the first segment, or segment `k` when it exists.
fn put(segs: &mut [Segment], k: usize, slide: Slide) {
    let n = segs.len();
    segs[k.min(n - 1)].slides.push(slide);
}

fn lesson2() -> Lesson {
    let (mut l, mut segs) = from_doc(2, "two-theories");
    put(&mut segs, 1, Slide {
        name: "switchboard",
        fig: Fig { kind: Kind::Theories, scenarios: &["ketamine-iv-single"], panels: &["glutamate", "score"], ..Fig::default() },
        say: "Four settings of the two theories; the figure says which lines coincide. Ask what goes missing when each theory is switched off.",
    });
    put(&mut segs, 1, Slide {
        name: "switchboard-synapses",
        fig: Fig { kind: Kind::Theories, scenarios: &["ketamine-iv-single"], panels: &["mtor", "synapses"], ..Fig::default() },
        say: "Without disinhibition the block falls on pyramidal cells: mTOR dips and no spines form.",
    });
    put(&mut segs, 2, Slide {
        name: "circuit",
        fig: Fig { kind: Kind::Circuit, ..Fig::default() },
        say: "Milliseconds: with the block stronger on interneurons, inhibition weakens and the resting point moves to higher pyramidal activity.",
    });
    l.segments = segs;
    l.predictions = vec!["Switch off disinhibition: will new spines still form? Switch off synaptogenesis: will the early relief still come?"];
    l.answers =
        vec![Answer {
        question: "The score at 24 h with both theories, and with each switched off.",
        text: "Both on: {0}; disinhibition off: {1}; synaptogenesis off: {2}; untreated level {3}.",
        values: vec![
            Value::score(KET, D),
            Value::score(RunSpec { set: &["mechanisms.disinhibition=false"], ..KET }, D),
            Value::score(RunSpec { set: &["mechanisms.synaptogenesis=false"], ..KET }, D),
            Value::score(KET, 0.0),
        ],
    }];
    l.misconceptions = vec![("\u{201c}The two theories are rivals.\u{201d}",
        "In this model the surge (theory 1) feeds BDNF and mTOR, which build the spines (theory 2): synaptogenesis alone does nothing.")];
    l
}

fn lesson3() -> Lesson {
    let (mut l, mut segs) = from_doc(3, "maintenance");
    put(&mut segs, 0, Slide {
        name: "single-serial-maintenance",
        fig: Fig {
            kind: Kind::Compare,
            scenarios: &["ketamine-iv-single", "ketamine-iv-serial", "ketamine-maintenance"],
            labels: &["one infusion", "six infusions", "six, then one every 4 weeks"],
            days: Some(120.0),
            log: Some(false),
            panels: &["score", "synapses"],
            ..Fig::default()
        },
        say: "One infusion, six, and six followed by one every four weeks: each infusion adds spines before the last ones have faded.",
    });
    put(
        &mut segs,
        2,
        Slide {
            name: "consolidation",
            fig: Fig {
                kind: Kind::Compare,
                scenarios: &["ketamine-iv-serial"],
                days: Some(180.0),
                vary: Some("synapse.consolidation_tau_d=20,60"),
                labels: &["consolidation in 20 d", "consolidation in 60 d"],
                panels: &["score", "synapses"],
                title: "Six infusions, followed for six months: faster or slower consolidation",
                ..Fig::default()
            },
            say: "Faster consolidation keeps more of the new spines: why some patients stay well.",
        },
    );
    l.segments = segs;
    l.predictions = vec![
        "After the six-infusion course ends, how many weeks do you expect the response to last?",
    ];
    l.answers = vec![Answer {
        question:
            "The score 4 weeks after the first dose: one infusion against the six-infusion course.",
        text: "One infusion: {0}; six infusions: {1} (untreated {2}).",
        values: vec![
            Value::score(KET, 4.0 * W),
            Value::score(RunSpec::of("ketamine-iv-serial"), 4.0 * W),
            Value::score(KET, 0.0),
        ],
    }];
    l
}

fn lesson4() -> Lesson {
    let (mut l, mut segs) = from_doc(4, "dose-and-side-effects");
    put(&mut segs, 0, Slide {
        name: "three-doses",
        fig: Fig {
            kind: Kind::Compare,
            scenarios: &["ketamine-iv-single"],
            vary: Some("regimen.dose=0.1,0.25,0.5"),
            labels: &["0.1 mg/kg", "0.25 mg/kg", "0.5 mg/kg"],
            days: Some(7.0),
            panels: &["score", "dissociation"],
            title: "Three doses over 40 minutes (mg/kg): benefit and side effect",
            ..Fig::default()
        },
        say: "Three doses over 40 minutes: the side effect follows the peak, the benefit grows with the dose.",
    });
    put(&mut segs, 1, Slide {
        name: "slower-infusion",
        fig: Fig {
            kind: Kind::Compare,
            scenarios: &["ketamine-iv-single"],
            vary: Some("regimen.infusion_min=40,100"),
            labels: &["over 40 min", "over 100 min"],
            days: Some(7.0),
            panels: &["score", "dissociation"],
            title: "0.5 mg/kg over 40 or 100 minutes: the peak makes the side effect",
            ..Fig::default()
        },
        say: "The same dose given more slowly: a lower peak, less dissociation, much the same benefit.",
    });
    l.segments = segs;
    l.predictions = vec!["Halve the infusion speed at the same dose: what happens to the side effect, and to the benefit?"];
    let slow = RunSpec {
        regimen: Some("ketamine 0.5 mg/kg iv over 100 min once"),
        ..KET
    };
    l.answers = vec![Answer {
        question: "The dissociation index at the end of a 40-minute infusion and 40 minutes into a 100-minute one; the score at 24 h.",
        text: "40 min: dissociation {0}, score at 24 h {1}. 100 min: dissociation {2} at 40 min, score at 24 h {3}.",
        values: vec![
            Value { column: "dissociation", scale: 1.0, decimals: 2, ..Value::score(KET, 40.0 / 60.0) },
            Value::score(KET, D),
            Value { column: "dissociation", scale: 1.0, decimals: 2, ..Value::score(slow, 40.0 / 60.0) },
            Value::score(slow, D),
        ],
    }];
    l
}

fn lesson5() -> Lesson {
    let (mut l, mut segs) = from_doc(5, "which-knob-matters");
    put(&mut segs, 0, Slide {
        name: "one-knob",
        fig: Fig {
            kind: Kind::Compare,
            scenarios: &["ketamine-iv-single"],
            vary: Some("signalling.mtor_threshold=0.15,0.3,0.6"),
            labels: &["mTOR threshold 0.15", "mTOR threshold 0.3", "mTOR threshold 0.6"],
            days: Some(7.0),
            panels: &["score", "synapses"],
            title: "One knob at a time: the mTOR threshold",
            ..Fig::default()
        },
        say: "One knob at a time: the mTOR threshold that leads the ranking at 24 h. The full screen (synsim sensitivity) takes longer; run it before class.",
    });
    l.segments = segs;
    l.predictions = vec!["Of the drug's clearance, the interneuron sensitivity and the mTOR threshold, which do you expect to matter most for the response at 24 h?"];
    l.answers = vec![Answer {
        question: "The score at 24 h with the mTOR threshold halved and doubled.",
        text: "Threshold 0.15: {0}; 0.3 (default): {1}; 0.6: {2}.",
        values: vec![
            Value::score(
                RunSpec {
                    set: &["signalling.mtor_threshold=0.15"],
                    ..KET
                },
                D,
            ),
            Value::score(KET, D),
            Value::score(
                RunSpec {
                    set: &["signalling.mtor_threshold=0.6"],
                    ..KET
                },
                D,
            ),
        ],
    }];
    l
}

fn lesson6() -> Lesson {
    let (mut l, mut segs) = from_doc(6, "what-do-70-and-40-mean");
    put(&mut segs, 0, Slide {
        name: "placebo-world",
        fig: Fig {
            kind: Kind::Run,
            scenarios: &["ssri-escitalopram"],
            regimen: Some("placebo oral daily for 12 w"),
            panels: &["score"],
            title: "A placebo pill for 12 weeks: the score falls too",
            ..Fig::default()
        },
        say: "Expectancy and the natural course lower the score of a placebo pill: a trial's placebo arm improves too.",
    });
    l.segments = segs;
    l.predictions = vec!["An open-label study reports 70 % response. How much of that do you expect a placebo arm to show?"];
    let pill = RunSpec {
        regimen: Some("placebo oral daily for 12 w"),
        ..SSRI
    };
    l.answers = vec![Answer {
        question: "The typical patient's score at week 8 on escitalopram and on a placebo pill.",
        text: "Escitalopram {0}, placebo pill {1}, from {2} at the start.",
        values: vec![
            Value::score(SSRI, 8.0 * W),
            Value::score(pill, 8.0 * W),
            Value::score(SSRI, 0.0),
        ],
    }];
    l
}
