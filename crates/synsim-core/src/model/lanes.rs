//! Lane-wise arithmetic for the lock-step batch ([`super::batch`]).
//!
//! A batch holds one value per virtual patient in a fixed-size array, and
//! every operation is a loop over the lanes. The loops carry no calls and no
//! data-dependent branches, so the compiler turns them into SIMD
//! instructions on any target (SSE2/AVX2 on x86-64, NEON on ARM, simd128 on
//! WebAssembly). The library's `exp` and `ln_1p` are calls and would keep
//! each loop scalar; the versions here are plain arithmetic instead: a
//! Cody–Waite range reduction and a Taylor polynomial for the exponential,
//! and the `atanh` series for the logarithm. They agree with the library
//! to a few units in the last place (tested below), far inside any solver
//! tolerance.

// Index loops over lanes and states are the form that unrolls and
// vectorises; iterator chains over several arrays at once do not read better.
#![allow(clippy::needless_range_loop)]

/// Lanes per batch: patients integrated together. Four fills an AVX2
/// register and two SSE2/NEON/simd128 registers; measured against 2 and 8
/// in `benches/population.rs` (docs/MODEL.md, "Integrator and tolerances").
pub const L: usize = 4;

/// One value per lane. Arithmetic works lane by lane; each operator is a
/// loop of [`L`] independent operations, which the compiler maps onto SIMD
/// registers whatever the expression around it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[repr(C, align(32))]
pub struct V(pub [f64; L]);

/// One truth value per lane (from comparisons, for [`select`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mask(pub [bool; L]);

/// Every lane `x`.
#[inline(always)]
pub fn splat(x: f64) -> V {
    V([x; L])
}

/// `f` applied lane by lane.
#[inline(always)]
pub fn map(a: V, f: impl Fn(f64) -> f64) -> V {
    let mut o = [0.0; L];
    for l in 0..L {
        o[l] = f(a.0[l]);
    }
    V(o)
}

/// `f` applied lane by lane to two arguments.
#[inline(always)]
pub fn zip(a: V, b: V, f: impl Fn(f64, f64) -> f64) -> V {
    let mut o = [0.0; L];
    for l in 0..L {
        o[l] = f(a.0[l], b.0[l]);
    }
    V(o)
}

/// `a` where `m` holds, else `b`, lane by lane.
#[inline(always)]
pub fn select(m: Mask, a: V, b: V) -> V {
    let mut o = [0.0; L];
    for l in 0..L {
        o[l] = if m.0[l] { a.0[l] } else { b.0[l] };
    }
    V(o)
}

impl std::ops::Index<usize> for V {
    type Output = f64;
    #[inline(always)]
    fn index(&self, l: usize) -> &f64 {
        &self.0[l]
    }
}

impl std::ops::IndexMut<usize> for V {
    #[inline(always)]
    fn index_mut(&mut self, l: usize) -> &mut f64 {
        &mut self.0[l]
    }
}

macro_rules! binary {
    ($tr:ident, $f:ident, $atr:ident, $af:ident, $op:tt) => {
        impl std::ops::$tr for V {
            type Output = V;
            #[inline(always)]
            fn $f(self, b: V) -> V {
                zip(self, b, |x, y| x $op y)
            }
        }
        impl std::ops::$tr<f64> for V {
            type Output = V;
            #[inline(always)]
            fn $f(self, b: f64) -> V {
                map(self, |x| x $op b)
            }
        }
        impl std::ops::$tr<V> for f64 {
            type Output = V;
            #[inline(always)]
            fn $f(self, b: V) -> V {
                map(b, |y| self $op y)
            }
        }
        impl std::ops::$atr for V {
            #[inline(always)]
            fn $af(&mut self, b: V) {
                *self = *self $op b;
            }
        }
    };
}
binary!(Add, add, AddAssign, add_assign, +);
binary!(Sub, sub, SubAssign, sub_assign, -);
binary!(Mul, mul, MulAssign, mul_assign, *);
binary!(Div, div, DivAssign, div_assign, /);

impl std::ops::Neg for V {
    type Output = V;
    #[inline(always)]
    fn neg(self) -> V {
        map(self, |x| -x)
    }
}

macro_rules! compare {
    ($name:ident, $op:tt) => {
        /// Lane-wise comparison.
        #[inline(always)]
        pub fn $name(self, b: V) -> Mask {
            let mut o = [false; L];
            for l in 0..L {
                o[l] = self.0[l] $op b.0[l];
            }
            Mask(o)
        }
    };
}

impl V {
    compare!(lt, <);
    compare!(le, <=);
    compare!(gt, >);
    compare!(ge, >=);

    /// Lane-wise maximum.
    #[inline(always)]
    pub fn max(self, b: V) -> V {
        zip(self, b, f64::max)
    }

    /// Lane-wise minimum.
    #[inline(always)]
    pub fn min(self, b: V) -> V {
        zip(self, b, f64::min)
    }

    /// Lane-wise absolute value.
    #[inline(always)]
    pub fn abs(self) -> V {
        map(self, f64::abs)
    }

    /// Does every lane hold exactly 0?
    #[inline(always)]
    pub fn is_zero(&self) -> bool {
        self.0.iter().all(|&x| x == 0.0)
    }
}

impl std::ops::Not for Mask {
    type Output = Mask;
    #[inline(always)]
    fn not(self) -> Mask {
        Mask(std::array::from_fn(|l| !self.0[l]))
    }
}

impl Mask {
    /// Lane-wise and.
    #[inline(always)]
    pub fn and(self, b: Mask) -> Mask {
        Mask(std::array::from_fn(|l| self.0[l] & b.0[l]))
    }

    /// Lane-wise or.
    #[inline(always)]
    pub fn or(self, b: Mask) -> Mask {
        Mask(std::array::from_fn(|l| self.0[l] | b.0[l]))
    }

    /// Does every lane hold?
    #[inline(always)]
    pub fn all(self) -> bool {
        self.0.iter().all(|&x| x)
    }
}

/// ln 2 split in a high part with trailing zero bits and the rest (fdlibm).
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
/// The mantissa bits of an `f64`, and the bits of 1.0 and of 2^52.
const MANTISSA: u64 = (1 << 52) - 1;
const ONE_BITS: u64 = 0x3ff0_0000_0000_0000;
const TWO_52_BITS: u64 = 0x4330_0000_0000_0000;
const TWO_52: f64 = 4_503_599_627_370_496.0;
/// 1.5 · 2^52: adding it rounds to an integer held in the low mantissa bits.
const SHIFTER: f64 = 6_755_399_441_055_744.0;

/// Taylor coefficients of `(e^r - 1)/r`, `1/(k+1)!` for k = 12 down to 0.
const EXPM1_C: [f64; 13] = [
    1.0 / 6227020800.0,
    1.0 / 479001600.0,
    1.0 / 39916800.0,
    1.0 / 3628800.0,
    1.0 / 362880.0,
    1.0 / 40320.0,
    1.0 / 5040.0,
    1.0 / 720.0,
    1.0 / 120.0,
    1.0 / 24.0,
    1.0 / 6.0,
    1.0 / 2.0,
    1.0,
];

/// Coefficients of the `atanh` series, `1/(2n+1)` for n = 17 down to 0.
const LN1P_C: [f64; 18] = [
    1.0 / 35.0,
    1.0 / 33.0,
    1.0 / 31.0,
    1.0 / 29.0,
    1.0 / 27.0,
    1.0 / 25.0,
    1.0 / 23.0,
    1.0 / 21.0,
    1.0 / 19.0,
    1.0 / 17.0,
    1.0 / 15.0,
    1.0 / 13.0,
    1.0 / 11.0,
    1.0 / 9.0,
    1.0 / 7.0,
    1.0 / 5.0,
    1.0 / 3.0,
    1.0,
];

/// `(r, 2^k)` with `x = k ln 2 + r`, `|r| <= ln 2 / 2` (for `x` in about
/// ±708; callers clamp), in every lane.
#[inline(always)]
fn reduce_v(x: V) -> (V, V) {
    let shifted = x * std::f64::consts::LOG2_E + SHIFTER;
    let k = shifted - SHIFTER;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    // The integer k sits in the low bits of `shifted`: its exponent field
    // gives 2^k without a float-to-integer conversion (which has no SIMD
    // form before AVX-512).
    let mut bits = [0u64; L];
    for l in 0..L {
        bits[l] = shifted.0[l].to_bits().wrapping_sub(SHIFTER.to_bits());
    }
    let mut two_k = [0.0; L];
    for l in 0..L {
        two_k[l] = f64::from_bits(bits[l].wrapping_add(1023) << 52);
    }
    (r, V(two_k))
}

/// `Σ c_k x^k` for the coefficients `c` from the highest degree down
/// (`c[0]` is of degree `c.len() - 1`), by the second-order Horner scheme:
/// the even and the odd powers as two independent chains in `x²`, whose
/// multiply-adds overlap. One chain of dependent multiply-adds twice as long
/// (plain Horner) kept the processor waiting on each result.
#[inline(always)]
fn poly_v(x: V, c: &[f64]) -> V {
    let x2 = x * x;
    let top = c.len() - 1;
    let (mut even, mut odd) = (splat(0.0), splat(0.0));
    for (j, &cj) in c.iter().enumerate() {
        if (top - j).is_multiple_of(2) {
            even = even * x2 + cj;
        } else {
            odd = odd * x2 + cj;
        }
    }
    even + x * odd
}

/// `e^r - 1` for `|r| <= ln 2 / 2`: Taylor to degree 13 (remainder below
/// 1e-17 relative).
#[inline(always)]
fn expm1_reduced_v(r: V) -> V {
    poly_v(r, &EXPM1_C) * r
}

/// `e^x`, branch-free (results below 1e-300 flush towards 0; arguments
/// above 700 saturate at e^700).
#[inline(always)]
pub fn exp_v(x: V) -> V {
    let x = x.max(splat(-700.0)).min(splat(700.0));
    let (r, two_k) = reduce_v(x);
    two_k * (1.0 + expm1_reduced_v(r))
}

/// `e^x - 1`, accurate near 0 (exactly -1 below -40, as the PK modes use).
#[inline(always)]
pub fn expm1_v(x: V) -> V {
    let xc = x.max(splat(-40.0)).min(splat(700.0));
    let (r, two_k) = reduce_v(xc);
    // 2^k (1 + p) - 1 = 2^k p + (2^k - 1); both terms exact enough, and
    // for k = 0 it is p itself.
    let v = two_k * expm1_reduced_v(r) + (two_k - 1.0);
    select(x.lt(splat(-40.0)), splat(-1.0), v)
}

/// `ln(1 + u)` for `u` in `[√½ - 1, 1]` (`[0, 1]` for [`softplus_v`], from
/// `-0.29` for [`ln_v`]), accurate for tiny `u`: `2 atanh(s)` with
/// `s = u / (2 + u)`, `|s| <= 1/3`, series to s^35.
#[inline(always)]
fn ln1p_unit_v(u: V) -> V {
    let s = u / (2.0 + u);
    2.0 * s * poly_v(s * s, &LN1P_C)
}

/// `eps · ln(1 + e^(x/eps))`, as [`crate::num::softplus`].
#[inline(always)]
pub fn softplus_v(x: V, eps: f64) -> V {
    let z = x / eps;
    let v = eps * (z.max(splat(0.0)) + ln1p_unit_v(exp_v(-z.abs())));
    select(z.gt(splat(30.0)), x, v)
}

/// `1 / (1 + e^-z)`.
#[inline(always)]
pub fn logistic_v(z: V) -> V {
    1.0 / (1.0 + exp_v(-z))
}

/// `ln x` for positive normal `x`, branch-free: `x = 2^k m` with `m` in
/// `[√½, √2)`, then `k ln 2 + ln(1 + (m - 1))` by the `atanh` series
/// (`|s| <= 0.172`, so it converges faster than the `ln1p_unit_v` series'
/// worst case). The biased exponent is converted through the mantissa bits
/// of 2^52 (no float-from-integer instruction needed).
#[inline(always)]
pub fn ln_v(x: V) -> V {
    let mut m = [0.0; L];
    let mut biased = [0.0; L];
    for l in 0..L {
        let bits = x.0[l].to_bits();
        m[l] = f64::from_bits((bits & MANTISSA) | ONE_BITS);
        biased[l] = f64::from_bits(TWO_52_BITS | (bits >> 52)) - TWO_52;
    }
    let (m, biased) = (V(m), V(biased));
    let high = m.gt(splat(std::f64::consts::SQRT_2));
    let m = select(high, 0.5 * m, m);
    let k = select(high, biased - 1022.0, biased - 1023.0);
    k * LN2_HI + (ln1p_unit_v(m - 1.0) + k * LN2_LO)
}

/// `x^p` for positive normal `x` in every lane, as `e^(p ln x)`.
#[inline(always)]
pub fn powf_v(x: V, p: f64) -> V {
    exp_v(p * ln_v(x))
}

impl crate::num::Real for V {
    type Mask = Mask;
    const LANES: usize = L;

    #[inline(always)]
    fn of(x: f64) -> V {
        splat(x)
    }
    #[inline(always)]
    fn max(self, b: V) -> V {
        V::max(self, b)
    }
    #[inline(always)]
    fn gt(self, b: V) -> Mask {
        V::gt(self, b)
    }
    #[inline(always)]
    fn lt(self, b: V) -> Mask {
        V::lt(self, b)
    }
    #[inline(always)]
    fn ge(self, b: V) -> Mask {
        V::ge(self, b)
    }
    #[inline(always)]
    fn and(a: Mask, b: Mask) -> Mask {
        a.and(b)
    }
    #[inline(always)]
    fn or(a: Mask, b: Mask) -> Mask {
        a.or(b)
    }
    #[inline(always)]
    fn not(m: Mask) -> Mask {
        !m
    }
    #[inline(always)]
    fn all(m: Mask) -> bool {
        m.all()
    }
    #[inline(always)]
    fn mask_lane(m: Mask, l: usize) -> bool {
        m.0[l]
    }
    #[inline(always)]
    fn lane(self, l: usize) -> f64 {
        self.0[l]
    }
    #[inline(always)]
    fn set_lane(&mut self, l: usize, x: f64) {
        self.0[l] = x;
    }
    #[inline(always)]
    fn abs(self) -> V {
        V::abs(self)
    }
    #[inline(always)]
    fn exp(self) -> V {
        exp_v(self)
    }
    #[inline(always)]
    fn powf(self, p: f64) -> V {
        powf_v(self, p)
    }
    #[inline(always)]
    fn select(m: Mask, a: V, b: V) -> V {
        select(m, a, b)
    }
    #[inline(always)]
    fn softplus(self, eps: f64) -> V {
        softplus_v(self, eps)
    }
    #[inline(always)]
    fn logistic(self) -> V {
        logistic_v(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ulps(a: f64, b: f64) -> f64 {
        ((a - b) / b.abs().max(f64::MIN_POSITIVE)).abs() / f64::EPSILON
    }

    /// `f` at `x`, in every lane: each lane computes on its own, so every
    /// lane of `f(V)` equals lane 0 of `f(splat(v[l]))`.
    fn at(f: impl Fn(V) -> V, x: f64) -> f64 {
        let v = V(std::array::from_fn(|l| x * (1.0 + 0.125 * l as f64)));
        let got = f(v);
        for l in 1..L {
            assert_eq!(
                got[l].to_bits(),
                f(splat(v[l]))[0].to_bits(),
                "lane {l} at {x}"
            );
        }
        got[0]
    }

    #[test]
    fn exp_and_expm1_match_the_library() {
        let mut worst = (0.0f64, 0.0f64);
        for k in 0..200_001 {
            let x = -45.0 + 90.0 * k as f64 / 200_000.0;
            worst.0 = worst.0.max(ulps(exp_v(splat(x))[0], x.exp()));
            if x >= -40.0 {
                worst.1 = worst.1.max(ulps(expm1_v(splat(x))[0], x.exp_m1()));
            }
        }
        for x in [1e-12, -1e-12, 1e-300, 0.3, -0.3, 2.0, -2.0, 600.0] {
            worst.1 = worst.1.max(ulps(at(expm1_v, x), x.exp_m1()));
        }
        assert!(worst.0 < 4.0 && worst.1 < 4.0, "{worst:?} ulps");
        assert_eq!(expm1_v(splat(-41.0))[0], -1.0);
        assert_eq!(expm1_v(splat(0.0))[0], 0.0);
    }

    #[test]
    fn every_lane_computes_on_its_own() {
        for k in 0..10_000 {
            let x = -45.0 + 90.0 * k as f64 / 10_000.0;
            at(exp_v, x);
            at(expm1_v, x);
            at(|v| softplus_v(v * 0.1, 0.05), x);
            at(logistic_v, x);
            at(ln_v, x.abs() + 1e-3);
        }
    }

    #[test]
    fn ln_and_powf_match_the_library() {
        let mut worst = 0.0f64;
        for k in 0..200_001 {
            // 1e-300 to 1e300, and densely around 1 (where ln is small).
            let x = 10f64.powf(-300.0 + 600.0 * k as f64 / 200_000.0);
            let y = 1.0 + (k as f64 - 100_000.0) * 1e-6;
            for x in [x, y] {
                let (a, b) = (ln_v(splat(x))[0], x.ln());
                // Relative to |ln x|, or absolute near ln x = 0.
                worst = worst.max((a - b).abs() / (b.abs().max(1.0) * f64::EPSILON));
            }
        }
        assert!(worst < 4.0, "ln: {worst} ulps");
        let mut worst = 0.0f64;
        for k in 0..10_001 {
            let x = 1e-4 + 100.0 * k as f64 / 10_000.0;
            let v = V(std::array::from_fn(|l| x * (1.0 + 0.1 * l as f64)));
            for l in 0..L {
                worst = worst.max(ulps(powf_v(v, 0.8)[l], v[l].powf(0.8)));
            }
        }
        assert!(worst < 8.0, "powf: {worst} ulps");
    }

    #[test]
    fn softplus_and_logistic_match_the_scalar_model() {
        use crate::signalling;
        for k in 0..20_001 {
            let x = -6.0 + 12.0 * k as f64 / 20_000.0;
            for eps in [0.02, 0.05] {
                let (a, b) = (softplus_v(splat(x), eps)[0], signalling::softplus(x, eps));
                assert!(
                    ulps(a, b) < 8.0 || (a - b).abs() < 1e-300,
                    "{x} {eps}: {a} vs {b}"
                );
            }
            let (a, b) = (
                logistic_v(splat(x * 10.0))[0],
                signalling::logistic(x * 10.0),
            );
            assert!(ulps(a, b) < 4.0, "{x}: {a} vs {b}");
        }
    }
}
