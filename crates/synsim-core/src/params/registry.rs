//! The table itself. One line per parameter; see docs/MODEL.md for the
//! equations each one enters.

use super::{Kind, ParamDef, ParamId, Variability};

const NONE: Variability = Variability::None;

const fn ln(cv: f64) -> Variability {
    Variability::LogNormal { cv }
}

const fn norm(sd: f64, lo: f64, hi: f64) -> Variability {
    Variability::Normal { sd, lo, hi }
}

/// `Some(label)` for a row with a plain label, `None` for one without.
macro_rules! plain_opt {
    () => {
        None
    };
    ($p:literal) => {
        Some($p)
    };
}

/// Declares the registry and one typed id constant per parameter, so the two
/// can never drift apart. A row may end with `plain "words"`: the label a
/// school student reads in place of the dotted name.
macro_rules! registry {
    ($( $id:ident => $name:literal, $unit:literal, $default:expr, [$min:expr, $max:expr], $kind:ident, $var:expr,
        $desc:literal, $src:literal $(, plain $plain:literal)?; )*) => {
        #[allow(non_camel_case_types, clippy::upper_case_acronyms, dead_code)]
        enum Idx { $($id),* }

        /// Typed ids of every registered parameter.
        pub mod id {
            use super::{Idx, ParamId};
            $(
                #[doc = $name]
                pub const $id: ParamId = ParamId(Idx::$id as usize);
            )*
        }

        /// Every tunable parameter of synsim.
        pub static REGISTRY: &[ParamDef] = &[
            $( ParamDef {
                name: $name,
                unit: $unit,
                default: $default,
                min: $min,
                max: $max,
                kind: Kind::$kind,
                description: $desc,
                source: $src,
                variability: $var,
                plain: plain_opt!($($plain)?),
            } ),*
        ];
    };
}

registry! {
    // ---- patient -------------------------------------------------------------
    WEIGHT => "patient.weight_kg", "kg", 70.0, [30.0, 200.0], Real, NONE,
        "body weight (scales mg/kg doses, drug volumes of ketamine and its metabolites, and ketamine clearance allometrically)", "typical adult (the 70 kg of the Zarate 2006 comparison and of the Spravato label's PK)",
        plain "body weight (kg)";
    DEPRESSED => "patient.depressed", "-", 1.0, [0.0, 1.0], Bool, NONE,
        "true: treatment-resistant depressed baseline; false: healthy baseline", "model switch";
    BASELINE_SCORE => "patient.baseline_score", "points", 32.0, [12.0, 60.0], Real, norm(4.0, 22.0, 46.0),
        "illustrative MADRS-like score of the untreated depressed patient with the typical synapse deficit",
        "illustrative; TRD trial baselines are about 30-35 (Murrough 2013 Am J Psychiatry)",
        plain "how depressed at the start (score points)";
    HEALTHY_SCORE => "patient.healthy_score", "points", 6.0, [0.0, 12.0], Real, norm(3.0, 0.0, 12.0),
        "score with no synapse deficit: a healthy person's, or a restored patient's residual symptoms from other causes (varies between patients)",
        "illustrative; healthy volunteers score a few MADRS points, and residual symptoms are common after response";
    SYN_DEFICIT => "patient.synapse_deficit", "-", 0.20, [0.0, 0.5], Real, norm(0.03, 0.05, 0.40),
        "fraction of synapses lost at the depressed baseline (1 - density)",
        "illustrative; direction from Kang 2012 Nat Med, Holmes 2019 Nat Commun (assumed 5-35 % deficit; magnitudes not established)",
        plain "share of spines lost in depression";
    GAD_DEFICIT => "patient.gad_deficit", "-", 0.15, [0.0, 0.6], Real, norm(0.05, 0.0, 0.40),
        "fractional loss of GABA synthesis (GAD) capacity in depression",
        "illustrative; with the smaller glutamate pool it leaves baseline GABA about 20 % low (Price 2009 Biol Psychiatry; Sanacora 1999)";
    BDNF_DEFICIT => "patient.bdnf_deficit", "-", 0.15, [0.0, 0.5], Real, NONE,
        "fractional loss of basal BDNF/trophic support in depression", "illustrative";
    CYCLING_DEFICIT => "patient.glutamate_cycling_deficit", "-", 0.20, [0.0, 0.5], Real, NONE,
        "fractional loss of glutamate-glutamine cycling (glial) capacity in depression: the tissue glutamate pool MRS sees is smaller for the same synaptic activity",
        "illustrative; direction from Moriguchi 2019 Mol Psychiatry (Glx lower or unchanged in depression) and the glial-loss account (Rajkowska; Sanacora)";
    ENTRY_MIN_SCORE => "patient.entry_min_score", "points", 20.0, [0.0, 60.0], Real, NONE,
        "trial entry: a virtual patient whose untreated score is below this is screened out and drawn afresh",
        "illustrative; ketamine and esketamine trials enrol at MADRS >= 20-28 (TRANSFORM-2: >= 28)";

    // ---- mechanism switches --------------------------------------------------
    MECH_DISINHIBITION => "mechanisms.disinhibition", "-", 1.0, [0.0, 1.0], Bool, NONE,
        "theory 1: NMDA block on GABA interneurons lowers inhibition (glutamate surge)",
        "Homayoun & Moghaddam 2007 J Neurosci; Milak 2016 Mol Psychiatry",
        plain "ketamine quiets the calming cells (brake released)";
    MECH_SYNAPTOGENESIS => "mechanisms.synaptogenesis", "-", 1.0, [0.0, 1.0], Bool, NONE,
        "theory 2: mTOR-driven synaptic protein synthesis forms new spines (off also removes the SSRI's slow BDNF-driven synapse recovery)",
        "Li 2010 Science; Moda-Sava 2019 Science",
        plain "new spines can grow";
    MECH_EXPECTANCY => "mechanisms.expectancy", "-", 1.0, [0.0, 1.0], Bool, NONE,
        "the non-drug world 1: each treatment session (a pill, an infusion, a spray, placebo too) raises an expectancy of relief that lowers the score",
        "placebo arms of antidepressant and ketamine trials (see docs/MODEL.md section 3.8)",
        plain "expecting to feel better (placebo effect)";
    MECH_NATURAL_COURSE => "mechanisms.natural_course", "-", 1.0, [0.0, 1.0], Bool, NONE,
        "the non-drug world 2: part of the untreated illness improves by itself over weeks (spontaneous improvement, as in wait-list arms)",
        "Posternak & Miller 2001 J Affect Disord; Whiteford 2013 Psychol Med",
        plain "getting better by itself over time";
    MECH_NEW_EPISODES => "mechanisms.new_episodes", "-", 1.0, [0.0, 1.0], Bool, NONE,
        "the non-drug world 3: a virtual patient of a population or a trial can have a new episode at any time (course.episode_w), which brings the illness state back up",
        "recurrence of depression (Hardeveld 2013 J Affect Disord; see docs/MODEL.md section 3.7)",
        plain "new episodes can happen";
    MECH_HNK => "mechanisms.hnk", "-", 0.0, [0.0, 1.0], Bool, NONE,
        "contested: (2R,6R)-HNK metabolite activates AMPA receptors without NMDA block",
        "Zanos 2016 Nature (contested: Shirayama & Hashimoto 2018)";

    // ---- racemic ketamine pharmacokinetics: one disposition for both enantiomers, every route ----
    KET_CL => "pk.ketamine.cl_l_per_h", "L/h", 89.0, [5.0, 400.0], Real, ln(0.30),
        "clearance of racemic ketamine at 70 kg (both enantiomers alike), scaled by (weight/70)^0.75; esketamine has its own (pk.esketamine.cl_l_per_h)",
        "Spravato label (esketamine 89 L/h); Hasler 2021 Anesthesiology (after IV racemate: S 97, R 92 L/h)",
        plain "how fast the body clears ketamine (litres of blood per hour)";
    KET_V1 => "pk.ketamine.v1_l", "L", 150.0, [10.0, 2000.0], Real, ln(0.25),
        "central volume at 70 kg, scaled by weight/70", "derived: with v2 gives the label's Vss 709 L and a 2-4 h distribution phase";
    KET_V2 => "pk.ketamine.v2_l", "L", 559.0, [10.0, 5000.0], Real, NONE,
        "peripheral volume at 70 kg, scaled by weight/70", "derived: Vss 709 L - v1 (Spravato label); Hasler 2021: Vss 6.6 (S) and 5.6 (R) L/kg";
    KET_Q => "pk.ketamine.q_l_per_h", "L/h", 72.0, [1.0, 1000.0], Real, NONE,
        "intercompartmental clearance at 70 kg, scaled by (weight/70)^0.75", "derived: terminal half-life about 10 h (Spravato label 7-12 h; Hasler 2021 5-6 h)";
    KET_KE0 => "pk.ketamine.ke0_per_min", "1/min", 0.114, [0.005, 5.0], Real, NONE,
        "plasma -> effect-site equilibration of ketamine and esketamine (t1/2 ke0 = 6.1 min)", "Olofsen 2012 Anesthesiology (S-ketamine)";
    KET_FU => "pk.ketamine.fu", "-", 0.56, [0.3, 1.0], Real, NONE,
        "unbound fraction in plasma (ketamine and esketamine)", "Spravato label (43-45 % bound); secondary summaries for the racemate (43-47 %)";
    KET_F_NASAL => "pk.ketamine.f_nasal", "-", 0.15, [0.01, 1.0], Real, NONE,
        "bioavailability of intranasal racemic ketamine", "Pharmacotherapy 2022 42:298 Table 6 (11-17 %)";
    KET_F_ORAL => "pk.ketamine.f_oral", "-", 0.18, [0.01, 1.0], Real, NONE,
        "oral bioavailability", "secondary summaries (17-20 %)";
    KET_KA => "pk.ketamine.ka_per_h", "1/h", 3.0, [0.05, 60.0], Real, NONE,
        "absorption rate constant for nasal and oral ketamine", "illustrative";
    KET_FP_RATIO => "pk.ketamine.first_pass_ratio", "-", 2.0, [0.0, 10.0], Real, NONE,
        "norketamine made on first pass (in ketamine equivalents) per unit of ketamine that reaches the circulation after a nasal or oral racemic dose; it forms as the dose is absorbed",
        "Chong 2006 Pain Med (oral: F 18-23 %, 59 % with norketamine as ketamine equivalents, ratio about 1.6-2); nasal assumed the same (nasal norketamine/ketamine AUC ratio about 4, Pharmacotherapy 2022 42:298 Table 6)";
    KET_F_NORKET => "pk.ketamine.f_norketamine", "-", 0.80, [0.0, 1.0], Real, NONE,
        "fraction of ketamine elimination that forms norketamine", "Mion & Villevieille 2013 (about 80 %)";
    NK_V => "pk.norketamine.v_l_per_kg", "L/kg", 2.5, [0.1, 20.0], Real, NONE,
        "norketamine volume of distribution", "illustrative";
    NK_THALF => "pk.norketamine.thalf_h", "h", 5.0, [0.5, 24.0], Real, NONE,
        "norketamine elimination half-life", "illustrative; sources disagree (about 1 h in dogs, Pypendop & Ilkiw 2005; 6-12 h in secondary human summaries)";
    NK_KE0 => "pk.norketamine.ke0_per_min", "1/min", 0.04, [0.001, 5.0], Real, NONE,
        "plasma -> effect-site equilibration of norketamine", "illustrative";
    NK_BRAIN => "pk.norketamine.brain_ratio", "-", 1.0, [0.05, 2.0], Real, NONE,
        "brain (effect-site) exposure of racemic norketamine per plasma concentration, relative to ketamine's",
        "illustrative: 1 (the chain's calibration assumes it); rat data suggest 0.45 (Shimoyama 1999 Pain: norketamine/ketamine AUC ratio 6.4 in plasma, 2.9 in brain), which lowers the single-infusion response below the six-infusion gain's range (docs/MODEL.md section 8)";
    NK_F_HNK => "pk.norketamine.f_hnk", "-", 0.20, [0.0, 1.0], Real, NONE,
        "fraction of norketamine elimination that forms (2R,6R;2S,6S)-HNK", "derived: HNK < 15 % of the dose (Mion & Villevieille 2013)";
    HNK_V => "pk.hnk.v_l_per_kg", "L/kg", 2.5, [0.1, 20.0], Real, NONE,
        "HNK volume of distribution", "illustrative";
    HNK_THALF => "pk.hnk.thalf_h", "h", 8.0, [0.5, 48.0], Real, NONE,
        "HNK elimination half-life", "illustrative";

    // ---- esketamine and noresketamine: the published population model ----------
    ESK_FRN => "pk.esketamine.nasal_fraction", "-", 0.54, [0.01, 1.0], Real, NONE,
        "share of one 28-mg nasal device absorbed through the nasal mucosa (the rest is swallowed)",
        "Perez-Ruixo 2021 Clin Pharmacokinet 60:501 Table 3 (FRn 0.54)";
    ESK_FRN_DEVICE => "pk.esketamine.nasal_fraction_next_device", "-", 0.62, [0.0, 1.0], Real, NONE,
        "nasal fraction of each further 28-mg device of one dose relative to the first (a 56-mg dose absorbs 0.54 x (1 + 0.62) / 2 = 44 % nasally)",
        "Perez-Ruixo 2021 Table 3 (dose effect on FRn 0.62)";
    ESK_KA => "pk.esketamine.ka_per_h", "1/h", 2.93, [0.1, 60.0], Real, ln(0.615),
        "nasal absorption rate constant", "Perez-Ruixo 2021 Table 3 (ka_n 2.93/h, between-patient CV 61.5 %; Tmax 20-40 min, Spravato label)";
    ESK_KA_GUT => "pk.esketamine.ka_gut_per_h", "1/h", 1.45, [0.05, 60.0], Real, NONE,
        "absorption rate constant of the swallowed part of a nasal dose (and of oral doses)",
        "Perez-Ruixo 2021 Table 3 (ka_sw 1.45/h; oral solution 0.97/h; the swallowing delay of 0.5 h is left out)";
    ESK_F_ORAL => "pk.esketamine.f_oral", "-", 0.178, [0.01, 1.0], Real, NONE,
        "share of a swallowed esketamine dose that reaches the circulation as esketamine (gut availability x (1 - hepatic extraction))",
        "derived from Perez-Ruixo 2021 Table 3: Fgut 0.64 x (1 - E), E = Vh(kel+kmet)/(Qh + Vh(kel+kmet)) = 0.72 (the paper: 18.6 %); the label's oral 8 % is not used";
    ESK_FP => "pk.esketamine.first_pass_noresketamine", "-", 0.33, [0.0, 1.0], Real, NONE,
        "share of a swallowed esketamine dose made into noresketamine on first pass through the liver (esketamine equivalents)",
        "derived from Perez-Ruixo 2021 Table 3: Fgut 0.64 x E 0.72 x kmet/(kel+kmet) 0.71";
    ESK_CL => "pk.esketamine.cl_l_per_h", "L/h", 114.0, [5.0, 400.0], Real, ln(0.30),
        "esketamine clearance at 70 kg, scaled by (weight/70)^0.75",
        "Perez-Ruixo 2021 (CL 114 L/h; hepatic, well-stirred; its between-patient spread, here CV 30 % as ketamine's, is illustrative); the label gives 89 L/h";
    ESK_V1 => "pk.esketamine.v1_l", "L", 192.0, [10.0, 2000.0], Real, ln(0.275),
        "esketamine central volume at 70 kg, scaled by weight/70", "Perez-Ruixo 2021 Table 3 (Vc 192 L, between-patient CV 27.5 %)";
    ESK_Q1 => "pk.esketamine.q1_l_per_h", "L/h", 84.3, [1.0, 1000.0], Real, NONE,
        "clearance to the shallow peripheral compartment at 70 kg", "Perez-Ruixo 2021 Table 3";
    ESK_V2 => "pk.esketamine.v2_l", "L", 143.0, [1.0, 5000.0], Real, NONE,
        "shallow peripheral volume at 70 kg", "Perez-Ruixo 2021 Table 3";
    ESK_Q2 => "pk.esketamine.q2_l_per_h", "L/h", 37.6, [1.0, 1000.0], Real, NONE,
        "clearance to the deep peripheral compartment at 70 kg", "Perez-Ruixo 2021 Table 3";
    ESK_V3 => "pk.esketamine.v3_l", "L", 417.0, [1.0, 5000.0], Real, NONE,
        "deep peripheral volume at 70 kg (Vss = 752 L)", "Perez-Ruixo 2021 Table 3";
    ESK_F_NORESK => "pk.esketamine.f_noresketamine", "-", 0.71, [0.0, 1.0], Real, NONE,
        "share of esketamine's clearance that forms noresketamine",
        "derived from Perez-Ruixo 2021 Table 3: kmet/(kel+kmet) = 2.77/3.88";
    NESK_BRAIN => "pk.noresketamine.brain_ratio", "-", 0.2, [0.01, 2.0], Real, NONE,
        "brain (effect-site) exposure of noresketamine per plasma concentration, relative to esketamine's",
        "Spravato label (noresketamine brain:plasma ratio 4-6 times lower than esketamine's)";
    NESK_V1 => "pk.noresketamine.v1_l", "L", 70.0, [1.0, 2000.0], Real, NONE,
        "apparent central volume of noresketamine at 70 kg", "Perez-Ruixo 2021 Table 3 (Vcn/F 70 L)";
    NESK_CL => "pk.noresketamine.cl_l_per_h", "L/h", 38.0, [1.0, 400.0], Real, NONE,
        "apparent clearance of noresketamine at 70 kg", "Perez-Ruixo 2021 Table 3 (CLn/F 38 L/h)";
    NESK_Q => "pk.noresketamine.q_l_per_h", "L/h", 26.1, [0.1, 1000.0], Real, NONE,
        "apparent intercompartmental clearance of noresketamine at 70 kg", "Perez-Ruixo 2021 Table 3";
    NESK_V2 => "pk.noresketamine.v2_l", "L", 115.0, [1.0, 5000.0], Real, NONE,
        "apparent peripheral volume of noresketamine at 70 kg", "Perez-Ruixo 2021 Table 3";

    // ---- escitalopram pharmacokinetics (1 compartment + gut depot) -----------
    ESC_F => "pk.escitalopram.f_oral", "-", 0.80, [0.05, 1.0], Real, NONE,
        "oral bioavailability", "Lexapro label (about 80 %)";
    ESC_KA => "pk.escitalopram.ka_per_h", "1/h", 0.7, [0.05, 10.0], Real, ln(0.30),
        "absorption rate constant", "derived: Tmax about 5 h (label)";
    ESC_CL => "pk.escitalopram.cl_l_per_h", "L/h", 20.3, [2.0, 200.0], Real, ln(0.35),
        "clearance", "derived: t1/2 30 h with V 880 L (label t1/2 27-32 h)";
    ESC_V => "pk.escitalopram.v_l", "L", 880.0, [50.0, 5000.0], Real, ln(0.20),
        "volume of distribution", "derived: Vz/F 1100 L x F 0.8 (label)";

    // ---- receptors -----------------------------------------------------------
    KI_S_KET => "receptor.ki_s_ketamine_um", "uM", 0.3, [0.01, 100.0], Real, NONE,
        "NMDA Ki of S-ketamine (esketamine)", "Ebert 1997 Eur J Pharmacol";
    KI_R_KET => "receptor.ki_r_ketamine_um", "uM", 1.4, [0.01, 100.0], Real, NONE,
        "NMDA Ki of R-ketamine", "Ebert 1997";
    KI_S_NK => "receptor.ki_s_norketamine_um", "uM", 1.7, [0.01, 100.0], Real, NONE,
        "NMDA Ki of S-norketamine", "Ebert 1997";
    KI_R_NK => "receptor.ki_r_norketamine_um", "uM", 13.0, [0.01, 1000.0], Real, NONE,
        "NMDA Ki of R-norketamine", "Ebert 1997";
    INTERNEURON_SENS => "receptor.interneuron_sensitivity", "-", 3.0, [1.0, 20.0], Real, ln(0.25),
        "how much more potently NMDA receptors on tonically active GABA interneurons are blocked",
        "illustrative; qualitative basis: Homayoun & Moghaddam 2007 (interneurons respond first)",
        plain "how much more ketamine blocks the calming cells";
    SERT_EC50 => "receptor.sert_ec50_ng_ml", "ng/mL", 3.2, [0.1, 100.0], Real, ln(0.30),
        "plasma escitalopram giving 50 % SERT occupancy",
        "derived: reproduces about 80 % at 10 mg/day steady state (Meyer 2004 Am J Psychiatry)";
    DISS_OCC50 => "receptor.dissociation_occ50", "-", 0.45, [0.05, 0.95], Real, NONE,
        "NMDA occupancy giving half-maximal dissociation", "illustrative";
    DISS_HILL => "receptor.dissociation_hill", "-", 3.0, [0.5, 10.0], Real, NONE,
        "steepness of the dissociation curve", "illustrative";
    DISS_TOL_GAIN => "receptor.dissociation_tolerance_gain_per_h", "1/h", 0.08, [0.0, 10.0], Real, NONE,
        "build-up of dissociation tolerance per hour of full NMDA occupancy (tolerance T raises the occupancy for half-maximal dissociation to occ50 (1 + T))",
        "illustrative; dissociation attenuates over repeated sessions (Spravato label; see docs/MODEL.md section 3.3)";
    DISS_TOL_TAU => "receptor.dissociation_tolerance_tau_d", "d", 14.0, [0.1, 365.0], Real, NONE,
        "decay time constant of dissociation tolerance between sessions", "illustrative";

    // ---- E/I circuit (Wilson-Cowan, neurolib WCModel names) ------------------
    TAU_EXC => "circuit.tau_exc", "ms", 2.5, [0.1, 100.0], Real, NONE,
        "excitatory time constant", "neurolib WCModel default";
    TAU_INH => "circuit.tau_inh", "ms", 3.75, [0.1, 100.0], Real, NONE,
        "inhibitory time constant", "neurolib WCModel default";
    C_EXCEXC => "circuit.c_excexc", "-", 12.0, [0.0, 50.0], Real, NONE,
        "E -> E coupling (neurolib default 16; weaker recurrent excitation keeps the node out of its bistable range, so disinhibition is graded and a strong block cannot tip it into runaway)",
        "neurolib WCModel (16), Wilson & Cowan 1972; synsim value chosen for graded responses (see docs/MODEL.md section 3.4)";
    C_EXCINH => "circuit.c_excinh", "-", 15.0, [0.0, 50.0], Real, NONE,
        "E -> I coupling (excitatory drive onto interneurons)", "neurolib WCModel default";
    C_INHEXC => "circuit.c_inhexc", "-", 12.0, [0.0, 50.0], Real, NONE,
        "I -> E coupling (inhibition of pyramidal cells)", "neurolib WCModel default";
    C_INHINH => "circuit.c_inhinh", "-", 3.0, [0.0, 50.0], Real, NONE,
        "I -> I coupling", "neurolib WCModel default";
    A_EXC => "circuit.a_exc", "-", 1.5, [0.1, 10.0], Real, NONE,
        "E sigmoid gain", "neurolib WCModel default";
    A_INH => "circuit.a_inh", "-", 1.5, [0.1, 10.0], Real, NONE,
        "I sigmoid gain", "neurolib WCModel default";
    MU_EXC => "circuit.mu_exc", "-", 3.0, [0.0, 10.0], Real, NONE,
        "E sigmoid threshold", "neurolib WCModel default";
    MU_INH => "circuit.mu_inh", "-", 3.0, [0.0, 10.0], Real, NONE,
        "I sigmoid threshold", "neurolib WCModel default";
    EXC_EXT => "circuit.exc_ext", "-", 1.0, [0.0, 5.0], Real, NONE,
        "background drive to E (neurolib default 0 sits on the sigmoid floor and ignores disinhibition)",
        "derived from the neurolib equations: a background drive is needed for a graded response; 1.0 with c_excexc = 12 (docs/MODEL.md section 3.4)";
    INH_EXT => "circuit.inh_ext", "-", 0.0, [0.0, 5.0], Real, NONE,
        "background drive to I", "neurolib WCModel default";
    NMDA_FRAC_INH => "circuit.nmda_frac_inh", "-", 0.55, [0.0, 1.0], Real, NONE,
        "share of the E -> I drive carried by NMDA receptors (removed by interneuron block)", "illustrative";
    NMDA_FRAC_EXC => "circuit.nmda_frac_exc", "-", 0.3, [0.0, 1.0], Real, NONE,
        "share of the E -> E drive carried by NMDA receptors (removed by pyramidal block)", "illustrative";
    TAU_GLU => "circuit.tau_glutamate_pool_min", "min", 14.0, [0.5, 600.0], Real, NONE,
        "time constant of the tissue glutamate pool (what MRS measures) following pyramidal activity",
        "illustrative; with the GABA pool it sets the 26-min Glx peak (Milak 2016)";
    TAU_GABA => "circuit.tau_gaba_synthesis_min", "min", 25.0, [1.0, 600.0], Real, NONE,
        "time constant of the GABA pool made from glutamate by GAD", "illustrative; sets the 26-min glutamate peak (Milak 2016)";

    // ---- BDNF / mTOR signalling ----------------------------------------------
    TAU_BDNF => "signalling.tau_bdnf_min", "min", 30.0, [1.0, 600.0], Real, NONE,
        "time constant of activity-dependent BDNF release", "illustrative; Autry 2011 (effects within 30 min)";
    TAU_MTOR => "signalling.tau_mtor_min", "min", 20.0, [1.0, 600.0], Real, NONE,
        "time constant of mTOR activation by BDNF-TrkB", "illustrative; Li 2010 (p-mTOR up at 30-60 min, back by 2 h)";
    AMPA_GAIN => "signalling.ampa_gain", "-", 4.5, [0.0, 50.0], Real, ln(0.20),
        "BDNF release per unit relative glutamate (AMPA) excess", "illustrative";
    EEF2_GAIN => "signalling.eef2_gain", "-", 0.6, [0.0, 20.0], Real, NONE,
        "BDNF translation per unit NMDA occupancy at rest (eEF2 kinase route)", "illustrative; Autry 2011 Nature";
    HNK_GAIN => "signalling.hnk_gain", "-", 1.0, [0.0, 20.0], Real, NONE,
        "maximal AMPA-like BDNF drive of HNK (only with mechanisms.hnk)", "illustrative; Zanos 2016 (contested)";
    HNK_EC50 => "signalling.hnk_ec50_ng_ml", "ng/mL", 20.0, [0.1, 1000.0], Real, NONE,
        "HNK plasma level for half-maximal AMPA drive", "illustrative";
    PROTEIN_GAIN => "signalling.protein_gain_per_h", "1/h", 1.0, [0.0, 50.0], Real, ln(0.20),
        "synaptic-protein synthesis per unit mTOR excess", "illustrative";
    MTOR_THRESHOLD => "signalling.mtor_threshold", "-", 0.3, [0.01, 5.0], Real, ln(2.5),
        "mTOR excess over the patient's baseline needed before synaptic proteins are made (a burst, not a drift)",
        "illustrative",
        plain "growth signal needed to build spines";
    TAU_PROTEIN => "signalling.tau_protein_h", "h", 12.0, [1.0, 1000.0], Real, NONE,
        "lifetime of the newly made synaptic proteins", "illustrative; Li 2010 (PSD95, GluA1 raised for >= 72 h)";

    // ---- serotonin (SSRI route) ------------------------------------------------
    SSRI_UPTAKE_GAIN => "ssri.uptake_gain", "-", 2.0, [0.0, 20.0], Real, NONE,
        "rise of synaptic 5-HT per spike at full SERT occupancy", "illustrative";
    SSRI_AUTO_GAIN => "ssri.autoreceptor_gain", "-", 0.8, [0.0, 10.0], Real, NONE,
        "strength of 5-HT1A autoreceptor feedback on raphe firing", "illustrative; Blier & de Montigny 1998",
        plain "strength of the serotonin brake";
    SSRI_DESENS_TAU => "ssri.desensitisation_tau_d", "d", 9.0, [0.5, 60.0], Real, NONE,
        "time constant of 5-HT1A autoreceptor desensitisation", "Le Poul 1995 (partial by day 3, 60-80 % by day 21)",
        plain "days for the serotonin brake to wear off";
    SSRI_DESENS_MAX => "ssri.desensitisation_max", "-", 0.7, [0.0, 1.0], Real, NONE,
        "fraction of autoreceptor feedback lost at full desensitisation", "Le Poul 1995 (60-80 % of neurons)";
    SSRI_BDNF_GAIN => "ssri.bdnf_gain", "-", 0.03, [0.0, 5.0], Real, norm(0.021, 0.0, 0.075),
        "BDNF transcription per unit rise in 5-HT tone",
        "illustrative; sized with symptom.pill_gain so that escitalopram beats a placebo pill by about 3 MADRS points at week 8 (Wade 2002: 2.7; Lepola 2003: 2.9) and keeps its week-8 remission (docs/MODEL.md section 7.2)";
    SSRI_TAU_CREB => "ssri.tau_creb_d", "d", 5.0, [0.1, 60.0], Real, NONE,
        "time constant of 5-HT -> CREB -> BDNF transcription", "illustrative";

    // ---- synapses --------------------------------------------------------------
    TAU_MATURATION => "synapse.tau_maturation_h", "h", 12.0, [0.5, 200.0], Real, NONE,
        "lag from synaptic proteins to new spines (two-stage growth)", "illustrative; Moda-Sava 2019 (no formation at 3-6 h, raised at 12-24 h)";
    SYN_TURNOVER => "synapse.turnover_d", "d", 18.0, [0.5, 200.0], Real, NONE,
        "mean spine lifetime in the healthy steady state", "illustrative; Phoumthipphavong 2016 (raised for up to 2 weeks)",
        plain "spine lifetime (days)";
    MAX_DENSITY => "synapse.max_density", "-", 1.05, [1.0, 3.0], Real, NONE,
        "homeostatic ceiling: density at which drug-driven spine formation stops (formation saturates as the lost synapses are restored, so the overshoot above healthy is bounded)",
        "illustrative; Moda-Sava 2019 (ketamine restores spines lost to stress rather than adding beyond them); Li 2010's +30-40 % in rat PFC is low confidence",
        plain "most spines a branch can hold (times healthy)";
    FORMATION_GAIN => "synapse.formation_gain", "-", 4.0, [0.0, 50.0], Real, NONE,
        "extra spine formation per unit of maturing synaptic protein", "illustrative",
        plain "how fast new spines grow";
    CONSOLIDATION_TAU => "synapse.consolidation_tau_d", "d", 60.0, [1.0, 10000.0], Real, ln(1.0),
        "days of fully restored synapses over which the illness state falls by 1/e: restored synapses slowly undo the extra elimination of depression, so a long recovery outlasts the drug",
        "illustrative; calibrated to relapse after stopping treatment (Geddes 2003 Lancet; KetECT, Ekstrand 2022)";

    // ---- symptom -----------------------------------------------------------------
    RAPID_MAX => "symptom.rapid_max", "-", 0.5, [0.0, 1.0], Real, NONE,
        "largest share of symptoms relieved by acute synaptic potentiation", "illustrative";
    RAPID_K => "symptom.rapid_k", "-", 0.35, [0.01, 10.0], Real, NONE,
        "synaptic-protein excess giving half of the rapid relief", "illustrative";
    SYN_EXPONENT => "symptom.synapse_exponent", "-", 1.0, [0.3, 4.0], Real, NONE,
        "curvature of the score against the synapse deficit", "illustrative";
    FLOOR_WIDTH => "symptom.floor_width", "-", 0.01, [0.001, 0.2], Real, NONE,
        "width of the smooth approach of the score to the healthy floor, in units of synapse deficit (each synapse restored near health helps less; no flat floor)",
        "illustrative";
    PLACEBO_GAIN => "symptom.placebo_gain", "-", 0.08, [0.0, 1.0], Real, ln(2.0),
        "expectancy relief renewed by each blinded clinic session (an infusion or a nasal spray) whose drug is not felt, such as saline (share of symptoms; scales every setting's expectancy for this patient)",
        "illustrative; saline response about 1 % at day 1 (Wilkinson 2019); the wide spread between patients (CV 200 %) gives placebo arms their responders and non-responders (Stone 2022 BMJ; docs/MODEL.md section 7.2)";
    PILL_GAIN => "symptom.pill_gain", "-", 0.45, [0.0, 1.0], Real, NONE,
        "expectancy relief of a blinded daily pill once built (it builds over weeks, see symptom.pill_build_w), for a patient with the typical symptom.placebo_gain (share of symptoms)",
        "illustrative; set against placebo-pill arms: 35-40 % responders in 8-week trials (Furukawa 2016), improvement 0.7-0.8 of the drug arm's (Rief 2009; Li 2019); docs/MODEL.md section 7.2";
    PILL_BUILD_W => "symptom.pill_build_w", "w", 2.0, [0.1, 52.0], Real, NONE,
        "rise time constant of the expectancy relief of daily pills towards its drive: a blinded pill's placebo response builds over weeks, a clinic session's within hours",
        "Posternak & Zimmerman 2005 J Clin Psychiatry (62 % of the 6-week placebo improvement by week 2, as on drug: 2 weeks gives 67 %)";
    PILL_TAU_W => "symptom.pill_tau_w", "w", 2.0, [0.1, 52.0], Real, NONE,
        "decay time constant of the pill expectancy drive after the last pill (each pill renews it, so it stays level while the pills go on)",
        "illustrative (weeks: longer than the days of a clinic session's expectancy)";
    FELT_GAIN => "symptom.felt_gain", "-", 0.0, [0.0, 1.0], Real, NONE,
        "extra expectancy relief of a session whose acute effects the patient feels (ketamine, esketamine, an active placebo such as midazolam), for a patient with the typical symptom.placebo_gain; off by default (0) until the drug effects are re-sized, 0.25 in the ketamine and esketamine trials",
        "illustrative; 0.25 matches midazolam arms: MADRS -8.8 at 24 h (Murrough 2013 Am J Psychiatry), day-1 response 18 % vs saline 1 % (Wilkinson 2019)";
    OPEN_LABEL_FACTOR => "symptom.open_label_factor", "-", 1.5, [1.0, 4.0], Real, NONE,
        "expectancy multiplier when the patient knows the treatment is active (open label) rather than having a chance of placebo (blinded)",
        "illustrative; open-label and comparator antidepressant trials respond more than placebo-controlled ones (Rutherford 2009 Arch Gen Psychiatry; Sinyor 2010)";
    OPEN_LABEL => "setting.open_label", "-", 0.0, [0.0, 1.0], Bool, NONE,
        "true: the patient knows the treatment is active (open label); false: blinded, as in the placebo-controlled trials the calibration targets come from",
        "model switch";
    ACTIVE_PLACEBO => "setting.active_placebo", "-", 0.0, [0.0, 1.0], Bool, NONE,
        "true: placebo sessions have felt acute effects (an active placebo such as midazolam), so they raise the felt expectancy of symptom.felt_gain",
        "model switch; Murrough 2013 Am J Psychiatry used midazolam 0.045 mg/kg";
    COURSE_GAIN => "course.improvement", "-", 0.12, [0.0, 0.9], Real, ln(1.0),
        "share of the illness that resolves by itself (natural course) in the long run, for this patient: varies widely between patients",
        "illustrative; wait-list arms improve by about 10-15 % in weeks (Rutherford 2012 Br J Psychiatry; Posternak & Miller 2001), 23 % of untreated episodes remit by 3 months (Whiteford 2013)";
    COURSE_TAU_W => "course.tau_w", "w", 10.0, [0.5, 520.0], Real, NONE,
        "time constant of the spontaneous improvement (natural course), weeks since enrolment",
        "illustrative; of the order of months (Whiteford 2013: 23 % remission at 3 months, 32 % at 6 months, untreated)";
    EPISODE_MEAN_W => "course.episode_mean_w", "w", 255.0, [4.0, 10000.0], Real, NONE,
        "mean time from enrolment to a new episode in a population: each virtual patient's course.episode_w is drawn with this mean (a constant hazard: exponential waiting times)",
        "Hardeveld 2013 J Affect Disord (NESDA: 33.5 % recurrence within 2 years after remission in specialised care, 26.8 % in primary care; 33.5 % in 2 years is 0.20 per year, a mean of 255 weeks)";
    EPISODE_W => "course.episode_w", "w", 10000.0, [0.0, 10000.0], Real, NONE,
        "weeks from enrolment (the first dose) to this patient's next new episode: drawn for every virtual patient of a population or a trial from course.episode_mean_w; the typical patient of a single run has none (10 000 w)",
        "model input (set it to see what a new episode does, e.g. --set course.episode_w=30)";
    EPISODE_TAU_W => "course.episode_tau_w", "w", 19.0, [1.0, 520.0], Real, NONE,
        "time constant over which a new episode's extra illness fades by itself (the episode resolves)",
        "Spijker 2002 Br J Psychiatry (NEMESIS: median episode duration 3 months; 63 % recovered by 6 months, 76 % by 12 months): an exponential with a median of 3 months has a time constant of 19 weeks";
    EPISODE_SIZE => "course.episode_size", "-", 1.0, [0.0, 5.0], Real, NONE,
        "extra illness a new episode brings at its onset (1 = as much again as the untreated illness; it adds to what is left of the last one and fades over course.episode_tau_w)",
        "illustrative (a new episode about as severe as the one at enrolment)";
    PLACEBO_TAU_D => "symptom.placebo_tau_d", "d", 3.0, [0.1, 60.0], Real, NONE,
        "decay time constant of the expectancy drive renewed by each session", "illustrative";
    PLACEBO_RISE_H => "symptom.placebo_rise_h", "h", 8.0, [0.1, 72.0], Real, NONE,
        "rise time constant of the felt expectancy relief towards its drive (no instant jump at a session, no daily sawtooth)", "illustrative (of the order of hours)";

    // ---- numerics ------------------------------------------------------------------
    RTOL => "solver.rtol", "-", 1e-5, [1e-10, 1e-3], Real, NONE,
        "relative tolerance of the stiff integrator (ESDIRK3(2)4L[2]SA); 1e-5 keeps the score within about 1e-3 points of a fine reference",
        "numerics: see solve::tests::converges_as_tolerance_tightens";
    ATOL => "solver.atol", "-", 1e-8, [1e-14, 1e-4], Real, NONE,
        "absolute tolerance of the stiff integrator", "numerics";
    POP_RTOL => "solver.population_rtol", "-", 1e-3, [1e-10, 1e-3], Real, NONE,
        "relative tolerance for each virtual patient of a population or sweep; looser than solver.rtol because population statistics need far less precision than one plotted trajectory",
        "numerics: see population::tests::population_tolerance_keeps_the_rates";
    POP_ATOL => "solver.population_atol", "-", 1e-6, [1e-14, 1e-4], Real, NONE,
        "absolute tolerance for each virtual patient of a population or sweep: the error allowed in a slow state near zero (the states are of order 1, so 1e-6 is a thousandth of solver.population_rtol); below it a decaying excess such as synaptic protein no longer sets the step",
        "numerics: see population::tests::population_tolerance_keeps_the_rates";
}

#[allow(dead_code)]
const _ASSERT_ID_TYPE: ParamId = id::WEIGHT;
