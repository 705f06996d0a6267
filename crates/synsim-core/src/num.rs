//! The number type the slow equations are written in, so that each stage's
//! equations and Jacobian exist once: for one patient (`f64`) and for a
//! lock-step batch of patients, one per SIMD lane
//! ([`crate::model::lanes::V`]).
//!
//! Arithmetic is by operators (between two numbers of the type, or with an
//! `f64` on the right); comparisons give a [`Real::Mask`] that
//! [`Real::select`] reads, so a branch on a value is written as a choice
//! that each lane makes for itself. The smooth functions keep each width's
//! own form for now: the library's `exp` and `ln_1p` for one patient, the
//! branch-free polynomials of [`crate::model::lanes`] for a batch (they agree
//! to a few units in the last place).
//!
//! The few steps that cannot be lane-wise (a circuit solve that falls back
//! to a bracketing search) read and write one lane at a time
//! ([`Real::LANES`], [`Real::lane`], [`Real::set_lane`]).

use std::fmt::Debug;
use std::ops::{Add, Div, Mul, Neg, Sub};

/// The logistic function, the derivative of [`softplus`] in units of x/ε.
pub fn logistic(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Smooth `max(0, x)`: `ε ln(1 + e^(x/ε))`, overflow-safe.
pub fn softplus(x: f64, eps: f64) -> f64 {
    let z = x / eps;
    if z > 30.0 {
        x
    } else {
        eps * z.exp().ln_1p()
    }
}

/// A real number, or one per lane. See the module documentation.
pub trait Real:
    Copy
    + Debug
    + PartialEq
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + Add<f64, Output = Self>
    + Sub<f64, Output = Self>
    + Mul<f64, Output = Self>
    + Div<f64, Output = Self>
{
    /// One truth value (per lane).
    type Mask: Copy;
    /// How many numbers one value holds (1 for `f64`).
    const LANES: usize;

    /// `x` (in every lane).
    fn of(x: f64) -> Self;
    /// The larger of the two (per lane).
    fn max(self, b: Self) -> Self;
    /// `self > b` (per lane).
    fn gt(self, b: Self) -> Self::Mask;
    /// `self < b` (per lane).
    fn lt(self, b: Self) -> Self::Mask;
    /// `self >= b` (per lane).
    fn ge(self, b: Self) -> Self::Mask;
    /// Both hold (per lane).
    fn and(a: Self::Mask, b: Self::Mask) -> Self::Mask;
    /// Either holds (per lane).
    fn or(a: Self::Mask, b: Self::Mask) -> Self::Mask;
    /// Does not hold (per lane).
    fn not(m: Self::Mask) -> Self::Mask;
    /// Holds in every lane.
    fn all(m: Self::Mask) -> bool;
    /// Lane `l` of a mask.
    fn mask_lane(m: Self::Mask, l: usize) -> bool;
    /// Lane `l`.
    fn lane(self, l: usize) -> f64;
    /// Sets lane `l` to `x`.
    fn set_lane(&mut self, l: usize, x: f64);
    /// `|self|` (per lane).
    fn abs(self) -> Self;
    /// `e^self` (per lane).
    fn exp(self) -> Self;
    /// `self^p` for positive `self` (per lane).
    fn powf(self, p: f64) -> Self;
    /// `a` where `m` holds, else `b` (per lane).
    fn select(m: Self::Mask, a: Self, b: Self) -> Self;
    /// Smooth `max(0, x)`: `eps ln(1 + e^(x/eps))`.
    fn softplus(self, eps: f64) -> Self;
    /// `1 / (1 + e^-x)`, the derivative of [`Real::softplus`] in units of
    /// `x / eps`.
    fn logistic(self) -> Self;

    /// `1 / self`.
    #[inline(always)]
    fn recip(self) -> Self {
        Self::of(1.0) / self
    }
}

impl Real for f64 {
    type Mask = bool;
    const LANES: usize = 1;

    #[inline(always)]
    fn of(x: f64) -> f64 {
        x
    }
    #[inline(always)]
    fn max(self, b: f64) -> f64 {
        f64::max(self, b)
    }
    #[inline(always)]
    fn gt(self, b: f64) -> bool {
        self > b
    }
    #[inline(always)]
    fn lt(self, b: f64) -> bool {
        self < b
    }
    #[inline(always)]
    fn ge(self, b: f64) -> bool {
        self >= b
    }
    #[inline(always)]
    fn and(a: bool, b: bool) -> bool {
        a && b
    }
    #[inline(always)]
    fn or(a: bool, b: bool) -> bool {
        a || b
    }
    #[inline(always)]
    fn not(m: bool) -> bool {
        !m
    }
    #[inline(always)]
    fn all(m: bool) -> bool {
        m
    }
    #[inline(always)]
    fn mask_lane(m: bool, _: usize) -> bool {
        m
    }
    #[inline(always)]
    fn lane(self, _: usize) -> f64 {
        self
    }
    #[inline(always)]
    fn set_lane(&mut self, _: usize, x: f64) {
        *self = x;
    }
    #[inline(always)]
    fn abs(self) -> f64 {
        f64::abs(self)
    }
    #[inline(always)]
    fn exp(self) -> f64 {
        f64::exp(self)
    }
    #[inline(always)]
    fn powf(self, p: f64) -> f64 {
        f64::powf(self, p)
    }
    #[inline(always)]
    fn select(m: bool, a: f64, b: f64) -> f64 {
        if m {
            a
        } else {
            b
        }
    }
    #[inline(always)]
    fn softplus(self, eps: f64) -> f64 {
        softplus(self, eps)
    }
    #[inline(always)]
    fn logistic(self) -> f64 {
        logistic(self)
    }
}
