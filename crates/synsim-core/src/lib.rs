//! # synsim-core: the model
//!
//! An educational simulator of how a dosing regimen changes brain chemistry
//! and synapses in depression, and why ketamine acts in hours where SSRIs
//! take weeks. **A teaching tool, never clinical advice.**
//!
//! The chain, one module per stage:
//!
//! ```text
//! regimen ──> pk ──> receptor ──> circuit ──> signalling ──> synapse ──> symptom
//! (doses)   (plasma,  (NMDA, SERT  (glutamate,  (BDNF, mTOR,   (spine     (illustrative
//!            effect    occupancy)   GABA, E/I)   proteins,      density)   MADRS-like score)
//!            site)                               serotonin)
//! ```
//!
//! [`model`] couples the stages into one stiff ODE system and [`solve`]
//! integrates it between dose events.
//!
//! ## Choose your workflow
//!
//! | you want to … | use |
//! |---|---|
//! | run a built-in or file scenario | [`scenario::Scenario::load`] then [`run::run`] |
//! | change a parameter | [`params::Params::set_by_name`] (or `--set name=value`) |
//! | list everything settable (parameters and regimen knobs) | [`settable::settable`] |
//! | write your own regimen | [`regimen::Regimen::parse`] |
//! | look at the fast E/I circuit | [`circuit::Circuit::simulate`] |

pub mod circuit;
pub mod experiments;
pub mod export;
pub mod layout;
pub mod model;
pub mod num;
pub mod params;
pub mod pk;
pub mod population;
pub mod receptor;
pub mod regimen;
pub mod run;
pub mod scenario;
pub mod sensitivity;
pub mod settable;
pub mod signalling;
pub mod solve;
pub mod stages;
pub mod sweep;
pub mod symptom;
pub mod synapse;
pub mod trial;
pub mod units;
pub mod validate;
