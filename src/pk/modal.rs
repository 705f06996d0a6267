//! Exact PK between dose events in modal form.
//!
//! The PK system is linear with constant input during a segment, so in the
//! eigenbasis of each drug's matrix every mode evolves on its own:
//! `z_i(s) = e^{λ_i s} z_i(0) + (e^{λ_i s} - 1)/λ_i · d_i` with `z = V⁻¹ x`
//! and `d = V⁻¹ b`. Evaluating the PK state at any time then costs one
//! exponential per mode, which lets the stiff integrator work on the slow
//! pharmacodynamic states alone. Each drug family is its own block (the
//! families never exchange mass), which keeps the blocks small and well
//! conditioned. If a block cannot be diagonalised reliably (near-equal
//! eigenvalues), [`ModalPk::new`] returns `None` and the caller falls back
//! to integrating the PK states.

use super::{Infusion, PkModel};
use crate::model::layout::*;
use nalgebra::{DMatrix, DVector};

/// State indices of each drug family.
const BLOCKS: [&[usize]; 3] = [
    &[KET_C, KET_P1, KET_P2, KET_DEPOT, KET_CE, NK_C, NK_CE, HNK_C],
    &[ESK_DEPOT, ESK_C, ESK_P, ESK_CE],
    &[ESC_DEPOT, ESC_C],
];

#[derive(Debug, Clone)]
struct Block {
    idx: &'static [usize],
    lambda: Vec<f64>,
    v: DMatrix<f64>,
    vinv: DMatrix<f64>,
}

/// The eigen-decomposition of every drug block for one patient.
#[derive(Debug, Clone)]
pub struct ModalPk {
    blocks: Vec<Block>,
    a: DMatrix<f64>,
}

/// Modal coordinates of one segment (constant infusion from `t0`).
#[derive(Debug, Clone)]
pub struct ModalSegment {
    t0: f64,
    /// Per block: initial modal amplitudes and modal inputs; `None` when the
    /// block is empty for the whole segment (drug absent).
    modes: Vec<Option<(Vec<f64>, Vec<f64>)>>,
}

impl ModalPk {
    /// Diagonalises each drug block; `None` if any block is ill-conditioned.
    pub fn new(pk: &PkModel) -> Option<ModalPk> {
        let (a, _) = pk.linear_system(&Infusion::default());
        let blocks = BLOCKS
            .iter()
            .map(|idx| Block::new(idx, &a))
            .collect::<Option<Vec<_>>>()?;
        Some(ModalPk { blocks, a })
    }

    /// Starts a segment at `t0` from PK state `x0` with infusion `inf`.
    pub fn segment(&self, pk: &PkModel, x0: &[f64], inf: &Infusion, t0: f64) -> ModalSegment {
        let (_, b) = pk.linear_system_input(inf);
        let modes = self
            .blocks
            .iter()
            .map(|blk| {
                let xb = DVector::from_iterator(blk.idx.len(), blk.idx.iter().map(|&i| x0[i]));
                let bb = DVector::from_iterator(blk.idx.len(), blk.idx.iter().map(|&i| b[i]));
                if xb.iter().all(|v| *v == 0.0) && bb.iter().all(|v| *v == 0.0) {
                    None
                } else {
                    Some((
                        (&blk.vinv * xb).as_slice().to_vec(),
                        (&blk.vinv * bb).as_slice().to_vec(),
                    ))
                }
            })
            .collect();
        ModalSegment { t0, modes }
    }

    /// The exact PK state at time `t` of the segment, written into `x[..PK_N]`.
    pub fn eval(&self, seg: &ModalSegment, t: f64, x: &mut [f64]) {
        let s = t - seg.t0;
        let mut z = [0.0; 8];
        for (blk, modes) in self.blocks.iter().zip(&seg.modes) {
            let Some((z0, d)) = modes else {
                for &i in blk.idx {
                    x[i] = 0.0;
                }
                continue;
            };
            let m = blk.idx.len();
            for k in 0..m {
                // One expm1 gives both e^{λs} and (e^{λs} - 1)/λ, the latter
                // accurately even for small λs.
                let x = blk.lambda[k] * s;
                // Past e^-40 a mode has died out: skip the transcendental call.
                let em1 = if x < -40.0 { -1.0 } else { x.exp_m1() };
                z[k] = (1.0 + em1) * z0[k] + em1 / blk.lambda[k] * d[k];
            }
            for (r, &i) in blk.idx.iter().enumerate() {
                let mut acc = 0.0;
                for (k, zk) in z.iter().enumerate().take(m) {
                    acc += blk.v[(r, k)] * zk;
                }
                x[i] = acc;
            }
        }
    }

    /// The PK system matrix this decomposition was built from.
    pub fn matrix(&self) -> &DMatrix<f64> {
        &self.a
    }
}

impl Block {
    fn new(idx: &'static [usize], a: &DMatrix<f64>) -> Option<Block> {
        let m = idx.len();
        let sub = DMatrix::from_fn(m, m, |r, c| a[(idx[r], idx[c])]);
        let eig = sub.clone().complex_eigenvalues();
        let mut lambda = Vec::with_capacity(m);
        for z in eig.iter() {
            if z.im.abs() > 1e-9 * z.re.abs().max(1.0) || z.re >= 0.0 {
                return None;
            }
            lambda.push(z.re);
        }
        lambda.sort_by(f64::total_cmp);
        // Near-equal eigenvalues make the eigenvectors ill-conditioned.
        if lambda
            .windows(2)
            .any(|w| (w[1] - w[0]).abs() < 1e-6 * w[0].abs().max(w[1].abs()))
        {
            return None;
        }
        let mut v = DMatrix::zeros(m, m);
        for (k, &l) in lambda.iter().enumerate() {
            let shifted = &sub - DMatrix::identity(m, m) * l;
            let svd = shifted.svd(false, true);
            let vt = svd.v_t?;
            let (kmin, _) = svd
                .singular_values
                .iter()
                .enumerate()
                .min_by(|a, b| a.1.total_cmp(b.1))?;
            for r in 0..m {
                v[(r, k)] = vt[(kmin, r)];
            }
        }
        let vinv = v.clone().try_inverse()?;
        // Accept only if V Λ V⁻¹ reproduces the block closely.
        let recon = &v * DMatrix::from_diagonal(&DVector::from_vec(lambda.clone())) * &vinv;
        let scale = sub.amax().max(1e-300);
        if (recon - &sub).amax() > 1e-9 * scale {
            return None;
        }
        Some(Block {
            idx,
            lambda,
            v,
            vinv,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Params;

    /// The modal solution equals the matrix exponential (the exact oracle).
    #[test]
    fn modal_matches_matrix_exponential() {
        let pk = PkModel::new(&Params::default());
        let modal = ModalPk::new(&pk).expect("default PK diagonalisable");
        let mut x0 = vec![0.0; PK_N];
        x0[KET_C] = 20.0;
        x0[ESK_DEPOT] = 30.0;
        x0[ESC_DEPOT] = 8.0;
        x0[NK_C] = 3.0;
        let inf = Infusion {
            ketamine: 52.5,
            esketamine: 0.0,
        };
        let seg = modal.segment(&pk, &x0, &inf, 5.0);
        for dt in [0.01, 0.3, 2.0, 30.0] {
            let exact = pk.propagate_exact(&x0, &inf, dt);
            let mut x = vec![0.0; PK_N];
            modal.eval(&seg, 5.0 + dt, &mut x);
            for i in 0..PK_N {
                let tol = 1e-8 * (1.0 + exact[i].abs());
                assert!(
                    (x[i] - exact[i]).abs() < tol,
                    "state {i} at {dt} h: {} vs {}",
                    x[i],
                    exact[i]
                );
            }
        }
    }
}
