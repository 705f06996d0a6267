//! # synsim
//!
//! An educational simulator of how a dosing regimen changes brain chemistry
//! and synapses in depression, and why ketamine acts in hours where SSRIs
//! take weeks. **A teaching tool, never clinical advice.**
//!
//! The code sits in tiers that only import downwards, and the compiler
//! holds them apart (one crate each):
//!
//! | tier | crate | what |
//! |---|---|---|
//! | model | `synsim-core` | the chain (regimen → pk → receptor → circuit → signalling → synapse → symptom), runs, populations, sweeps, experiments, the parameter registry, scenarios |
//! | figures | `synsim-plot` | plotters figures (PNG, SVG) of the model's results |
//! | command line | `synsim` (this crate) | the `synsim` binary: one file per subcommand |
//!
//! This crate re-exports the model's modules and the figures as
//! [`plot`], so `synsim::run::run` and `synsim::scenario::Scenario` work
//! in examples and benches exactly as the model crate's own paths.
//!
//! ## Choose your workflow
//!
//! | you want to … | use |
//! |---|---|
//! | run a built-in or file scenario | [`scenario::Scenario::load`] then [`run::run`] |
//! | change a parameter | [`params::Params::set_by_name`] (or `--set name=value`) |
//! | write your own regimen | [`regimen::Regimen::parse`] |
//! | look at the fast E/I circuit | [`circuit::Circuit::simulate`] |

pub use synsim_core::*;
pub use synsim_plot as plot;

pub mod cli;
