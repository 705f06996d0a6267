//! The Sobol' low-discrepancy sequence (Sobol' 1967) in base 2, with the Joe & Kuo
//! (2008) direction numbers for up to [`MAX_DIMS`] dimensions, and a random digital
//! shift.
//!
//! Point `i` in dimension `d` is `x_i = g_1 v_1 XOR g_2 v_2 XOR ...`, where `g_b` are the
//! bits of the Gray code `i XOR (i >> 1)` and `v_b` are 32-bit direction numbers built
//! from the primitive polynomial and initial values `m_1..m_s` of dimension `d`
//! (Bratley & Fox 1988, Algorithm 659; Joe & Kuo 2003). Consecutive points differ by
//! one XOR (Antonov & Saleev 1979), which is how they are generated.
//!
//! Digital shift: every coordinate of dimension `d` is XORed with one seeded 32-bit word
//! `s_d`. This keeps the net structure (the first `2^m` points still put exactly one
//! point in each of the `2^m` equal intervals of every coordinate), makes each point
//! uniformly distributed, so estimators stay unbiased, and lets the seed change the
//! design.

use super::joe_kuo::DIRECTIONS;

/// Number of dimensions the built-in table supports.
pub(super) const MAX_DIMS: usize = DIRECTIONS.len() + 1;

/// Bits per coordinate; at most `2^BITS` points can be drawn.
const BITS: usize = 32;

/// The 32 direction numbers of dimension `dim` (0-based), scaled by `2^32`.
fn direction_numbers(dim: usize) -> [u32; BITS] {
    let mut v = [0u32; BITS];
    if dim == 0 {
        // The van der Corput sequence: all m = 1.
        for (j, vj) in v.iter_mut().enumerate() {
            *vj = 1 << (BITS - 1 - j);
        }
        return v;
    }
    let (s, a, m) = DIRECTIONS[dim - 1];
    let s = s as usize;
    for j in 0..BITS {
        v[j] = if j < s {
            m[j] << (BITS - 1 - j)
        } else {
            // Recurrence from the primitive polynomial x^s + a_1 x^(s-1) + ... + 1.
            let mut x = v[j - s] ^ (v[j - s] >> s);
            for l in 1..s {
                if (a >> (s - 1 - l)) & 1 == 1 {
                    x ^= v[j - l];
                }
            }
            x
        };
    }
    v
}

/// A digitally shifted Sobol' sequence, generated point by point in Gray-code order.
pub(super) struct SobolSequence {
    v: Vec<[u32; BITS]>,
    state: Vec<u32>,
    shift: Vec<u32>,
    next: u64,
}

impl SobolSequence {
    /// The first `shift.len()` dimensions, each shifted by its word (`<= MAX_DIMS`).
    pub(super) fn new(shift: Vec<u32>) -> Self {
        assert!(shift.len() <= MAX_DIMS, "at most {MAX_DIMS} dimensions");
        SobolSequence {
            v: (0..shift.len()).map(direction_numbers).collect(),
            state: vec![0; shift.len()],
            shift,
            next: 0,
        }
    }

    /// Writes the next point (the first is the shifted origin) into `out`.
    pub(super) fn next_point(&mut self, out: &mut [f64]) {
        assert!(self.next < 1 << BITS, "more than 2^32 points");
        if self.next > 0 {
            // Gray codes of i-1 and i differ in the bit of i-1's lowest zero.
            let bit = (self.next - 1).trailing_ones() as usize;
            for (x, v) in self.state.iter_mut().zip(&self.v) {
                *x ^= v[bit];
            }
        }
        self.next += 1;
        for ((o, &x), &s) in out.iter_mut().zip(&self.state).zip(&self.shift) {
            *o = f64::from(x ^ s) * (1.0 / (1u64 << BITS) as f64);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(dims: usize, n: usize) -> Vec<Vec<f64>> {
        let mut seq = SobolSequence::new(vec![0; dims]);
        (0..n)
            .map(|_| {
                let mut p = vec![0.0; dims];
                seq.next_point(&mut p);
                p
            })
            .collect()
    }

    #[test]
    fn table_invariants_hold() {
        // m_i odd and below 2^i; the polynomial's inner coefficients fit in s - 1 bits.
        for &(s, a, m) in DIRECTIONS.iter() {
            assert_eq!(m.len(), s as usize);
            assert!(a < 1 << (s - 1));
            for (i, &mi) in m.iter().enumerate() {
                assert!(mi % 2 == 1 && mi < 1 << (i + 1));
            }
        }
        assert_eq!(MAX_DIMS, 256);
    }

    #[test]
    fn first_points_match_the_reference() {
        // The unscrambled 2-D sequence as printed for scipy.stats.qmc.Sobol (same
        // direction numbers, Gray-code order).
        let want = [
            [0.0, 0.0],
            [0.5, 0.5],
            [0.75, 0.25],
            [0.25, 0.75],
            [0.375, 0.375],
            [0.875, 0.875],
            [0.625, 0.125],
            [0.125, 0.625],
        ];
        let got = points(2, 8);
        for (g, w) in got.iter().zip(want) {
            assert_eq!(g.as_slice(), w.as_slice());
        }
    }

    #[test]
    fn gray_code_steps_equal_the_direct_formula() {
        let dims = [0, 1, 7, 31, 100, 255];
        let v: Vec<_> = dims.iter().map(|&d| direction_numbers(d)).collect();
        let mut seq = SobolSequence::new(vec![0; MAX_DIMS]);
        let mut p = vec![0.0; MAX_DIMS];
        for i in 0u64..3000 {
            seq.next_point(&mut p);
            let gray = i ^ (i >> 1);
            for (&d, vd) in dims.iter().zip(&v) {
                let x = (0..BITS)
                    .filter(|b| (gray >> b) & 1 == 1)
                    .fold(0u32, |x, b| x ^ vd[b]);
                assert_eq!(p[d], f64::from(x) / 2f64.powi(32));
            }
        }
    }

    #[test]
    fn every_coordinate_is_stratified_even_when_shifted() {
        // The first 2^m points put one point in each interval [j/2^m, (j+1)/2^m).
        let m = 8;
        let shift: Vec<u32> = (0..MAX_DIMS as u32)
            .map(|d| d.wrapping_mul(0x9E37_79B9))
            .collect();
        let mut seq = SobolSequence::new(shift);
        let mut seen = vec![vec![false; 1 << m]; MAX_DIMS];
        let mut p = vec![0.0; MAX_DIMS];
        for _ in 0..1 << m {
            seq.next_point(&mut p);
            for (d, &x) in p.iter().enumerate() {
                let cell = (x * f64::from(1u32 << m)) as usize;
                assert!(!seen[d][cell], "dimension {d}: two points in cell {cell}");
                seen[d][cell] = true;
            }
        }
    }

    #[test]
    fn pairs_are_nets_for_small_dimensions() {
        // The first 2^m points of dimensions 1 and 2 form a (0, m, 2)-net: every box
        // [a/2^p, (a+1)/2^p) x [b/2^q, (b+1)/2^q) with p + q = m holds one point.
        let m = 6;
        let pts = points(2, 1 << m);
        for p in 0..=m {
            let q = m - p;
            let mut seen = vec![false; 1 << m];
            for pt in &pts {
                let a = (pt[0] * f64::from(1u32 << p)) as usize;
                let b = (pt[1] * f64::from(1u32 << q)) as usize;
                assert!(!seen[(a << q) | b]);
                seen[(a << q) | b] = true;
            }
        }
    }
}
