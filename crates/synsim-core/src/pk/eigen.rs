//! Eigenvalues and eigenvectors of one drug block of the PK matrix, by its
//! structure rather than a general eigen-solver.
//!
//! Mass in a compartment model flows one way between groups of
//! compartments: depot → central ⇄ peripheral → effect site, central →
//! metabolite → its effect site. Grouping the states that exchange mass
//! both ways (the strongly connected groups: a central compartment with its
//! peripherals) and ordering the groups along the flow makes the block
//! lower block-triangular, so
//!
//! - its eigenvalues are those of the groups: a lone compartment's own rate,
//!   the two roots of a central–peripheral pair's quadratic, and (for a
//!   larger group) a general solve of that small group;
//! - the eigenvector of a group's eigenvalue `λ` is zero upstream of the
//!   group, the null vector of `A_gg − λI` on the group, and downstream
//!   follows group by group from `(A_hh − λI) v_h = −Σ A_hg v_g`.
//!
//! Near-equal eigenvalues (a confluent block) return `None`; the caller
//! then evaluates the block by the matrix exponential instead.

use nalgebra::{DMatrix, DVector};

/// Eigenvalues (ascending, all real and negative) and the eigenvectors as
/// the columns of a matrix, or `None` when the block has complex,
/// non-negative or near-equal eigenvalues.
pub(crate) fn decompose(a: &DMatrix<f64>) -> Option<(Vec<f64>, DMatrix<f64>)> {
    let m = a.nrows();
    let groups = groups_along_the_flow(a);
    // Each eigenvalue with the group it belongs to.
    let mut lambda = Vec::with_capacity(m);
    for (h, g) in groups.iter().enumerate() {
        lambda.extend(group_eigenvalues(a, g)?.into_iter().map(|l| (l, h)));
    }
    if lambda.iter().any(|(l, _)| !l.is_finite() || *l >= 0.0) {
        return None;
    }
    lambda.sort_by(|x, y| x.0.total_cmp(&y.0));
    // Near-equal eigenvalues make the eigenvectors ill-conditioned.
    if lambda
        .windows(2)
        .any(|w| (w[1].0 - w[0].0).abs() < 1e-6 * w[0].0.abs().max(w[1].0.abs()))
    {
        return None;
    }
    let mut v = DMatrix::zeros(m, m);
    for (k, &(l, home)) in lambda.iter().enumerate() {
        let x = eigenvector(a, &groups, home, l)?;
        v.set_column(k, &x);
    }
    Some((lambda.into_iter().map(|(l, _)| l).collect(), v))
}

/// The strongly connected groups of states (state `j` reads state `i` when
/// `a[(j, i)] ≠ 0`), each before every group downstream of it.
fn groups_along_the_flow(a: &DMatrix<f64>) -> Vec<Vec<usize>> {
    let m = a.nrows();
    // reach[i] has bit j set when mass can get from state i to state j (at
    // most nine states: the transitive closure is a few dozen operations).
    let mut reach: Vec<u32> = (0..m)
        .map(|i| {
            (0..m)
                .filter(|&j| i == j || a[(j, i)] != 0.0)
                .fold(0, |r, j| r | 1 << j)
        })
        .collect();
    for k in 0..m {
        let via = reach[k];
        for r in reach.iter_mut().filter(|r| **r & (1 << k) != 0) {
            *r |= via;
        }
    }
    let both = |i: usize, j: usize| reach[i] & (1 << j) != 0 && reach[j] & (1 << i) != 0;
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in 0..m {
        if !groups.iter().any(|g| g.contains(&i)) {
            groups.push((i..m).filter(|&j| both(i, j)).collect());
        }
    }
    // A group downstream of another has strictly more states upstream of it.
    let upstream = |g: &Vec<usize>| reach.iter().filter(|r| **r & (1 << g[0]) != 0).count();
    groups.sort_by_key(upstream);
    groups
}

/// The eigenvalues of the block restricted to group `g`.
fn group_eigenvalues(a: &DMatrix<f64>, g: &[usize]) -> Option<Vec<f64>> {
    match *g {
        [i] => Some(vec![a[(i, i)]]),
        [i, j] => {
            let (p, q, r, s) = (a[(i, i)], a[(i, j)], a[(j, i)], a[(j, j)]);
            let half_trace = 0.5 * (p + s);
            let disc = (0.5 * (p - s)).powi(2) + q * r;
            if disc < 0.0 {
                return None;
            }
            // The root of larger magnitude first, the other from the
            // determinant: no cancellation.
            let big = half_trace - half_trace.signum() * disc.sqrt();
            Some(vec![big, (p * s - q * r) / big])
        }
        _ => {
            let sub = DMatrix::from_fn(g.len(), g.len(), |r, c| a[(g[r], g[c])]);
            let mut out = Vec::with_capacity(g.len());
            for z in sub.complex_eigenvalues().iter() {
                if z.im.abs() > 1e-9 * z.re.abs().max(1.0) {
                    return None;
                }
                out.push(z.re);
            }
            Some(out)
        }
    }
}

/// The unit eigenvector of eigenvalue `l` of group `groups[home]`.
fn eigenvector(
    a: &DMatrix<f64>,
    groups: &[Vec<usize>],
    home: usize,
    l: f64,
) -> Option<DVector<f64>> {
    let m = a.nrows();
    let shifted = |g: &[usize]| {
        DMatrix::from_fn(g.len(), g.len(), |r, c| {
            a[(g[r], g[c])] - if r == c { l } else { 0.0 }
        })
    };
    let mut x = DVector::zeros(m);
    let null = null_vector(&shifted(&groups[home]))?;
    for (r, &i) in groups[home].iter().enumerate() {
        x[i] = null[r];
    }
    for g in &groups[home + 1..] {
        // −Σ over the states already set of the flow into this group.
        let rhs = DVector::from_fn(g.len(), |r, _| {
            -(0..m)
                .filter(|c| !g.contains(c))
                .map(|c| a[(g[r], c)] * x[c])
                .sum::<f64>()
        });
        if rhs.iter().all(|v| *v == 0.0) {
            continue;
        }
        let part = shifted(g).lu().solve(&rhs)?;
        for (r, &i) in g.iter().enumerate() {
            x[i] = part[r];
        }
    }
    let n = x.norm();
    (n.is_finite() && n > 0.0).then(|| x / n)
}

/// A null vector of the singular `s` (one group's `A_gg − λI`): `[1]` for a
/// lone state, a row's perpendicular for a pair, inverse iteration beyond.
fn null_vector(s: &DMatrix<f64>) -> Option<DVector<f64>> {
    match s.nrows() {
        1 => Some(DVector::from_element(1, 1.0)),
        2 => {
            // Each row of A − λI is perpendicular to the null vector: take
            // the better-scaled row's perpendicular.
            let from_top = DVector::from_vec(vec![s[(0, 1)], -s[(0, 0)]]);
            let from_bottom = DVector::from_vec(vec![s[(1, 1)], -s[(1, 0)]]);
            let x = if from_top.norm() >= from_bottom.norm() {
                from_top
            } else {
                from_bottom
            };
            (x.norm() > 0.0).then_some(x)
        }
        n => {
            // Inverse iteration: A − (λ + δ)I is nearly singular, so each
            // solve amplifies the null vector's share by about |λ|/δ.
            let scale = s.amax().max(1e-300);
            let shifted = s - DMatrix::identity(n, n) * (1e-9 * scale);
            let lu = shifted.lu();
            let mut x = DVector::from_fn(n, |r, _| 1.0 + 0.1 * r as f64);
            for _ in 0..2 {
                x = lu.solve(&x)?;
                let norm = x.norm();
                if !norm.is_finite() || norm == 0.0 {
                    return None;
                }
                x /= norm;
            }
            Some(x)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A depot feeding a central–peripheral pair that feeds an effect site:
    /// the structured decomposition matches the general eigen-solver, and
    /// each column is an eigenvector.
    #[test]
    fn matches_the_general_solver_on_a_compartment_chain() {
        // States: depot, central, peripheral, effect site.
        let a = DMatrix::from_row_slice(
            4,
            4,
            &[
                -2.0, 0.0, 0.0, 0.0, //
                2.0, -1.5, 0.3, 0.0, //
                0.0, 0.5, -0.3, 0.0, //
                0.0, 4.0, 0.0, -4.0,
            ],
        );
        let (lambda, v) = decompose(&a).expect("distinct real rates");
        let mut general: Vec<f64> = a
            .clone()
            .complex_eigenvalues()
            .iter()
            .map(|z| z.re)
            .collect();
        general.sort_by(f64::total_cmp);
        for (x, y) in lambda.iter().zip(&general) {
            assert!((x - y).abs() < 1e-12 * y.abs(), "{x} vs {y}");
        }
        for (k, &l) in lambda.iter().enumerate() {
            let col = v.column(k);
            let residual = (&a * col - col * l).amax();
            assert!(residual < 1e-12, "λ {l}: residual {residual:e}");
        }
    }

    /// Groups come along the flow, whatever the order of the states.
    #[test]
    fn groups_follow_the_flow() {
        // State 0 is the effect site of central 2 (with peripheral 1),
        // which is fed by depot 3.
        let a = DMatrix::from_row_slice(
            4,
            4,
            &[
                -4.0, 0.0, 4.0, 0.0, //
                0.0, -0.3, 0.5, 0.0, //
                0.0, 0.3, -1.5, 2.0, //
                0.0, 0.0, 0.0, -2.0,
            ],
        );
        assert_eq!(
            groups_along_the_flow(&a),
            vec![vec![3], vec![1, 2], vec![0]]
        );
    }

    /// Equal rates (a depot as fast as the effect site) are confluent.
    #[test]
    fn equal_rates_are_refused() {
        let a = DMatrix::from_row_slice(3, 3, &[-2.0, 0.0, 0.0, 2.0, -1.0, 0.0, 0.0, 2.0, -2.0]);
        assert!(decompose(&a).is_none());
    }
}
