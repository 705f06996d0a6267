//! The stages of the chain as data: what each models, the theory it
//! belongs to, its equations (read from the stage's own module
//! documentation, embedded at build time), its output columns and its
//! parameters. `synsim explain` prints it; the lab shows it beside the
//! controls.

use crate::params::{ParamDef, REGISTRY};

/// One stage of the chain: its name, what it models, where its equations
/// are documented and which parameters belong to it.
pub struct Stage {
    pub name: &'static str,
    pub title: &'static str,
    /// One line for the overview.
    pub line: &'static str,
    pub theory: &'static str,
    pub what: &'static str,
    /// (path shown to the reader, embedded source) of the module docs.
    pub docs: &'static [(&'static str, &'static str)],
    /// Equations that live in the coupled model rather than the module docs.
    pub coupling: &'static str,
    /// Output columns (timeseries.csv) this stage produces.
    pub outputs: &'static str,
    /// Parameter name prefixes (or exact names) that belong to this stage.
    pub params: &'static [&'static str],
    pub see_also: &'static str,
}

const REGIMEN_SRC: &str = include_str!("regimen/mod.rs");
const NOTATION_SRC: &str = include_str!("regimen/notation.rs");
const PK_SRC: &str = include_str!("pk/mod.rs");
const RECEPTOR_SRC: &str = include_str!("receptor/mod.rs");
const CIRCUIT_SRC: &str = include_str!("circuit/mod.rs");
const SIGNALLING_SRC: &str = include_str!("signalling/mod.rs");
const SEROTONIN_SRC: &str = include_str!("signalling/serotonin.rs");
const SYNAPSE_SRC: &str = include_str!("synapse/mod.rs");
const SYMPTOM_SRC: &str = include_str!("symptom/mod.rs");
const SOLVE_SRC: &str = include_str!("solve/mod.rs");
const MODEL_SRC: &str = include_str!("model/mod.rs");

/// The stages in chain order.
pub static STAGES: &[Stage] = &[
    Stage {
        name: "regimen",
        title: "dosing regimen",
        line: "which drug, how much, by which route and when: a list of dose events",
        theory: "shared: the input to every route",
        what: "A regimen is written in a compact notation (\"ketamine 0.5 mg/kg iv over 40 min on \
mon,wed,fri x 6\") and expanded into an explicit, sorted list of dose events: time since the \
first dose, drug, route, amount (mg or mg/kg) and infusion length. Each dose start and each \
infusion stop becomes a boundary of the simulation (see `synsim explain solver`). Every dose, \
placebo included, is also a treatment session that renews the expectancy of relief (see \
`synsim explain symptom`).",
        docs: &[("crates/synsim-core/src/regimen/mod.rs", REGIMEN_SRC), ("crates/synsim-core/src/regimen/notation.rs", NOTATION_SRC)],
        coupling: "",
        outputs: "dose_rate_mg_per_h (infusions; instantaneous doses show 0)",
        params: &["patient.weight_kg"],
        see_also: "synsim regimen --help; synsim regimen \"escitalopram 10 mg oral daily for 8 w\"",
    },
    Stage {
        name: "pk",
        title: "pharmacokinetics",
        line: "plasma and effect-site concentrations from linear compartment models",
        theory: "shared: feeds both theories and the SSRI route",
        what: "Each drug moves between compartments at rates proportional to the amount present \
(linear kinetics). Racemic ketamine has 2 compartments and an effect site (t1/2 ke0 about \
6 min); nasal and oral racemic doses go through an absorption depot, and the norketamine made \
on first pass forms as the dose is absorbed. Esketamine follows the published population model \
of the nasal spray (Perez-Ruixo 2021): 3 compartments, part of each nasal dose absorbed \
through the nose and the rest swallowed, where gut and liver let 18 % through and make a third \
into noresketamine, which also forms from esketamine's clearance. The metabolite chain of the \
racemate is ketamine -> norketamine -> HNK; oral escitalopram has a \
gut depot and 1 compartment. Because everything is linear, the exact solution between doses is known (matrix \
exponential, or one exponential per eigen-mode): synsim evaluates the PK with it and the tests \
use it as the oracle (see `synsim explain solver`).",
        docs: &[("crates/synsim-core/src/pk/mod.rs", PK_SRC)],
        coupling: "\
Amounts A in mg, time in h. Racemic ketamine (2 compartments):
  dA1/dt = R(t) + ka·Ad/(1 + r) - (CL + Q)/V1 · A1 + Q/V2 · A2
  dA2/dt = Q/V1 · A1 - Q/V2 · A2
  dAd/dt = -ka·Ad                        (nasal/oral depot; r = first_pass_ratio)
  Cp     = 1000 · A1 / V1  ng/mL;   dCe/dt = ke0 · (Cp - Ce)
  V scale with weight/70, CL and Q with (weight/70)^0.75
Norketamine and HNK (1 compartment each, mass converted by molar mass):
  dNK/dt  = (f_norketamine · CL/V1·A1 + ka·Ad·r/(1 + r)) · (223.7/237.7) - kNK·NK
  dCeNK/dt = ke0_NK · (1000·NK/(v·weight) - CeNK),   kNK = ln 2 / thalf_h
  dH/dt   = f_hnk · kNK·NK · (239.7/223.7) - kH·H,              kH  = ln 2 / thalf_h
Esketamine (3 compartments; nasal depot An, gut depot Ag) and noresketamine (2):
  dAn/dt = -ka·An;   dAg/dt = -ka_gut·Ag
  dE1/dt = R(t) + ka·An + f_oral·ka_gut·Ag - (CL + Q1 + Q2)/V1·E1 + Q1/V2·E2 + Q2/V3·E3
  dN1/dt = (f_noresketamine·CL/V1·E1 + first_pass_noresketamine·ka_gut·Ag)·(223.7/237.7)
           - (CLn + Qn)/Vn1·N1 + Qn/Vn2·N2
Escitalopram (gut depot + 1 compartment):
  dAd/dt = -ka·Ad;  dA/dt = ka·Ad - CL/V · A;  Cp = 1000·A/V
Doses: an infusion adds a constant rate R = dose / duration to A1 while it runs;
an iv bolus adds the dose to A1; nasal and oral racemic doses add F·(1 + r)·dose to
the depot (pk.ketamine.f_nasal, f_oral); a nasal esketamine dose puts the share
FRn(n) = nasal_fraction·(1 + (n - 1)·nasal_fraction_next_device)/n (n = dose/28 mg
devices) into An and the rest into Ag; oral esketamine goes to Ag; placebo adds nothing.",
        outputs: "plasma_ketamine_ng_ml, plasma_norketamine_ng_ml, plasma_esketamine_ng_ml, \
plasma_noresketamine_ng_ml, plasma_escitalopram_ng_ml (plasma_hnk_ng_ml as an extra)",
        params: &["pk."],
        see_also: "synsim params --filter pk; synsim run ketamine-iv-single --dt-out \"1 min\"",
    },
    Stage {
        name: "receptor",
        title: "receptor occupancy",
        line: "NMDA block (pyramidal cells and interneurons) and SERT occupancy",
        theory: "shared: NMDA block drives theory 1 (disinhibition) and the eEF2 route; \
SERT occupancy drives the SSRI slow route",
        what: "Ketamine, esketamine and their metabolites norketamine and noresketamine plug the \
NMDA channel at the same site, so \
their free concentrations add up, each weighted by its affinity (Ki). Interneurons are \
tonically active, their channels open more often, and an open-channel blocker reaches them \
first: synsim models this as a higher sensitivity. Escitalopram occupies the serotonin \
transporter (SERT). A steep function of NMDA occupancy gives an illustrative dissociation \
(side-effect) proxy.",
        docs: &[("crates/synsim-core/src/receptor/mod.rs", RECEPTOR_SRC)],
        coupling: "\
free concentration (µM) c_i = fu · C_effect-site,i / molar mass   (esketamine uses the S-ketamine Ki,
                                      noresketamine the S-norketamine Ki; both metabolites use ketamine's fu)
SERT occupancy = C_plasma,escitalopram / (C_plasma,escitalopram + sert_ec50_ng_ml)
dissociation   = x / (1 + x),  x = (NMDA occupancy / dissociation_occ50)^dissociation_hill",
        outputs: "nmda_occupancy, nmda_occupancy_interneuron, sert_occupancy, dissociation",
        params: &["receptor."],
        see_also: "synsim run ketamine-iv-single --set receptor.interneuron_sensitivity=1",
    },
    Stage {
        name: "circuit",
        title: "glutamate/GABA (E/I) circuit",
        line: "Wilson–Cowan pyramidal/interneuron pair: disinhibition, glutamate and GABA tone",
        theory: "theory 1, glutamate/GABA disinhibition (switch: mechanisms.disinhibition)",
        what: "An excitatory (pyramidal) and an inhibitory (GABA interneuron) population excite and \
inhibit each other. NMDA block on interneurons removes part of their excitatory drive, so \
inhibition falls and pyramidal activity, and with it glutamate release, rises: \
disinhibition. Glutamate is also the raw material of GABA (via GAD), so GABA follows with a \
delay. In depression GAD capacity is lower, so GABA tone starts below healthy. The circuit \
settles in milliseconds, so in runs of days it is held at its resting (fixed) point; \
`synsim circuit` shows it on its own millisecond time scale.",
        docs: &[("crates/synsim-core/src/circuit/mod.rs", CIRCUIT_SRC)],
        coupling: "\
Coupling in the full model (crates/synsim-core/src/model/mod.rs):
  occ_E = NMDA occupancy on pyramidal cells
  occ_I = NMDA occupancy on interneurons (0 when mechanisms.disinhibition = false)
  c_excexc -> c_excexc · (1 - nmda_frac_exc · occ_E)
  c_excinh -> c_excinh · (1 - nmda_frac_inh · occ_I)
  c_inhexc -> c_inhexc · GABA
  (E, I)   = the low-activity fixed point with these couplings (quasi-steady state)
  glu      = E / E_healthy                         (synaptic glutamate, instantaneous)
  dGLU/dt  = (glu - GLU) / tau_glutamate_pool_min   (tissue glutamate, what MRS sees)
  dGABA/dt = (gad · GLU - GABA) / tau_gaba_synthesis_min
  gad      = 1 - patient.gad_deficit when depressed, 1 when healthy
glutamate_rel = GLU and gaba_rel = GABA, both relative to healthy (1).",
        outputs: "exc_activity, inh_activity, glutamate_rel, gaba_rel",
        params: &["circuit.", "mechanisms.disinhibition", "patient.gad_deficit", "patient.glutamate_cycling_deficit"],
        see_also: "synsim circuit; synsim theories ketamine-iv-single",
    },
    Stage {
        name: "signalling",
        title: "BDNF / mTOR signalling",
        line: "glutamate surge -> AMPA -> BDNF -> mTOR -> synaptic proteins",
        theory: "the bridge from theory 1 to theory 2; the HNK route (mechanisms.hnk, off by \
default) is contested",
        what: "The glutamate surge drives AMPA receptors, which release BDNF; NMDA block at rest \
also de-suppresses BDNF translation (the eEF2 route). BDNF activates mTOR through TrkB, and \
only a burst of mTOR above the patient's own baseline makes new synaptic proteins. Those \
proteins give rapid relief (acute synaptic potentiation) and are the building blocks of new \
spines. The SSRI's serotonergic BDNF adds to the same pool, slowly. With mechanisms.hnk the \
metabolite HNK adds an AMPA-like drive (Zanos 2016, contested).",
        docs: &[("crates/synsim-core/src/signalling/mod.rs", SIGNALLING_SRC)],
        coupling: "\
glu is the instantaneous synaptic glutamate from the circuit (E / E_healthy),
occ_nmda the pyramidal NMDA occupancy, h = C_HNK / (C_HNK + hnk_ec50_ng_ml), and
B_5HT the serotonergic BDNF from `synsim explain serotonin`.",
        outputs: "bdnf_rel, mtor_rel (synaptic_protein as an extra)",
        params: &["signalling.", "mechanisms.hnk", "patient.bdnf_deficit"],
        see_also: "synsim run ketamine-iv-single --set mechanisms.hnk=true",
    },
    Stage {
        name: "serotonin",
        title: "the SSRI slow route",
        line: "SERT block -> 5-HT held back by autoreceptors that desensitise over weeks -> BDNF",
        theory: "SSRI slow route (escitalopram)",
        what: "Blocking SERT leaves more serotonin per spike, but 5-HT1A autoreceptors on raphe \
neurons sense it and cut their firing, cancelling most of the gain. Over days to weeks the \
autoreceptors desensitise, firing recovers, synaptic serotonin rises, and CREB-driven BDNF \
transcription slowly lifts BDNF. From there the SSRI uses the same BDNF -> mTOR -> synapse \
chain as ketamine, only weeks slower.",
        docs: &[("crates/synsim-core/src/signalling/serotonin.rs", SEROTONIN_SRC)],
        coupling: "\
occ_sert is the SERT occupancy (`synsim explain receptor`); B5 enters the BDNF
target as B_5HT (`synsim explain signalling`).",
        outputs: "serotonin_rel, autoreceptor_sensitivity (extras); acts through bdnf_rel",
        params: &["ssri."],
        see_also: "synsim run ssri-escitalopram --set ssri.desensitisation_tau_d=3",
    },
    Stage {
        name: "synapse",
        title: "spine / synapse density",
        line: "spines form (faster with mTOR and new proteins) and are pruned (faster in depression)",
        theory: "theory 2, synaptogenesis (switch: mechanisms.synaptogenesis)",
        what: "Spines are made and eliminated all the time. In depression elimination is raised, so \
density settles below healthy. Newly made synaptic proteins mature into spines after a lag \
of hours (no change at 3-6 h, a clear rise by 12-24 h, as in Moda-Sava 2019), and extra \
formation needs room on the dendrite. The new spines are pruned again over weeks, which is \
why a single dose fades and maintenance doses help. With mechanisms.synaptogenesis = false \
no drug-driven spines form (for ketamine and for the SSRI alike), but the rapid relief from \
synaptic proteins remains. In a population or a trial a patient can also have a new episode \
(mechanisms.new_episodes, course.episode_*): its own extra elimination appears at its onset \
and fades over months, on treatment or not.",
        docs: &[("crates/synsim-core/src/synapse/mod.rs", SYNAPSE_SRC)],
        coupling: "\
M is mTOR activity and P the synaptic proteins (`synsim explain signalling`);
b0 = 1 - patient.bdnf_deficit when depressed, 1 when healthy.",
        outputs: "synapse_density_rel (healthy = 1)",
        params: &["synapse.", "mechanisms.synaptogenesis", "mechanisms.new_episodes", "patient.synapse_deficit"],
        see_also: "synsim run ketamine-iv-single --set mechanisms.synaptogenesis=false",
    },
    Stage {
        name: "symptom",
        title: "illustrative symptom score",
        line: "MADRS-like 0-60 score from synapse deficit, rapid relief and expectancy",
        theory: "shared: the rapid part comes from signalling, the sustained part from synapses",
        what: "An illustrative MADRS-like score, not a clinical prediction. It grows with the \
synapse deficit (sustained component) and is lowered by acute synaptic potentiation \
(rapid component, from the new synaptic proteins) and by expectancy (placebo). Response is \
a fall of at least 50 % from the patient's own baseline; remission is a score of 10 or less.",
        docs: &[("crates/synsim-core/src/symptom/mod.rs", SYMPTOM_SRC)],
        coupling: "\
Expectancy X (crates/synsim-core/src/model/mod.rs):
  at each treatment session (any dose, placebo too): G = max(G, placebo_gain)
  dG/dt = -G / placebo_tau_d
  dX/dt = (G - X) / placebo_rise_h",
        outputs: "symptom_score (rapid_relief and expectancy as extras)",
        params: &["symptom.", "course.", "setting.", "mechanisms.expectancy", "mechanisms.natural_course", "patient.baseline_score", "patient.healthy_score", "patient.depressed", "patient.entry_min_score"],
        see_also: "synsim run placebo; synsim run healthy",
    },
    Stage {
        name: "solver",
        title: "time integration",
        line: "stiff ODE system solved segment by segment between dose events",
        theory: "numerics (no theory)",
        what: "The coupled model is stiff: PK distribution and effect sites act in minutes, \
synapses in weeks (a ratio of about 10^4). An explicit solver would be forced to take \
minute-sized steps for 90 days; an implicit (stiff) solver takes steps as long as the slow \
dynamics allow. The circuit relaxes in milliseconds and is held at its fixed point, so it \
never sets the step size. Dose starts and infusion stops are discontinuities, so each run is \
cut into segments at those times and every segment is a fresh initial-value problem. \
Output comes on a grid of your choice (--dt-out), independent of the internal steps.",
        docs: &[("crates/synsim-core/src/solve/mod.rs", SOLVE_SRC), ("crates/synsim-core/src/model/mod.rs", MODEL_SRC)],
        coupling: "",
        outputs: "time_h (hours since the first dose; negative = drug-free run-in)",
        params: &["solver."],
        see_also: "synsim run ketamine-iv-serial --set solver.rtol=1e-8",
    },
];

/// Registry entries that belong to a stage, in registry order.
pub fn stage_params(st: &Stage) -> Vec<&'static ParamDef> {
    REGISTRY
        .iter()
        .filter(|d| {
            st.params.iter().any(|p| {
                if p.ends_with('.') {
                    d.name.starts_with(p)
                } else {
                    d.name == *p
                }
            })
        })
        .collect()
}

/// Plain text of a module's `//!` documentation: code fences dropped,
/// rustdoc links and backticks removed, internal limits spelt out.
pub fn module_doc(src: &str) -> String {
    let mut out = String::new();
    for line in src.lines() {
        let t = line.trim_start();
        let Some(rest) = t.strip_prefix("//!") else {
            if t.is_empty() {
                continue;
            }
            break;
        };
        let rest = rest.strip_prefix(' ').unwrap_or(rest);
        if rest.trim_start().starts_with("```") {
            continue;
        }
        let mut text = rest.replace("[`", "").replace("`]", "").replace('`', "");
        if let Some(h) = text.strip_prefix("# ") {
            text = format!("{}:", h.to_uppercase());
        }
        out.push_str(&text);
        out.push('\n');
    }
    // Internal limits, spelt out for readers of the command line.
    out.replace("MAX_SPAN_H\nhours;", "5 years;\n")
        .replace("MAX_SPAN_H", "5 years (in hours)")
        .replace("MAX_DOSES", "10 000")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_has_docs_and_parameters() {
        for st in STAGES {
            assert!(
                !st.docs.is_empty() && !module_doc(st.docs[0].1).is_empty(),
                "{}",
                st.name
            );
            assert!(
                !stage_params(st).is_empty(),
                "{} has no parameters",
                st.name
            );
        }
    }

    #[test]
    fn every_parameter_belongs_to_a_stage() {
        for d in REGISTRY {
            let owners = STAGES
                .iter()
                .filter(|st| stage_params(st).iter().any(|p| p.name == d.name))
                .count();
            assert!(owners >= 1, "{} is not explained by any stage", d.name);
        }
    }

    #[test]
    fn module_doc_strips_fences_and_links() {
        let src = "//! Title with [`Link::here`].\n//!\n//! ```text\n//! a = b\n//! ```\nuse x;\n//! not doc\n";
        let d = module_doc(src);
        assert_eq!(d, "Title with Link::here.\n\na = b\n");
    }
}
