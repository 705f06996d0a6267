//! Uncertain inputs ("factors") and the map from the unit hypercube to their ranges.

/// How a factor's range is sampled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Uniform on `[lo, hi]`: `x = lo + u (hi - lo)`.
    Linear,
    /// Log-uniform on `[lo, hi]`, for positive factors spanning more than a factor of
    /// about 10: `x = exp(ln lo + u (ln hi - ln lo))`, so each decade gets the same
    /// share of the samples. Needs `lo > 0`.
    Log,
}

/// One uncertain input of the model: a name, a range and how the range is sampled.
///
/// Both methods work in the unit hypercube `u in [0, 1]^k` and map each coordinate to
/// the factor's range with [`Factor::from_unit`] just before calling the model.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    /// Name shown in results (for synsim, the parameter name).
    pub name: String,
    /// Lower bound (inclusive).
    pub lo: f64,
    /// Upper bound (inclusive); must exceed `lo`.
    pub hi: f64,
    /// Sampling scale.
    pub scale: Scale,
}

impl Factor {
    /// A factor sampled uniformly on `[lo, hi]`.
    pub fn linear(name: impl Into<String>, lo: f64, hi: f64) -> Self {
        Factor {
            name: name.into(),
            lo,
            hi,
            scale: Scale::Linear,
        }
    }

    /// A factor sampled log-uniformly on `[lo, hi]` (`lo > 0`).
    pub fn log(name: impl Into<String>, lo: f64, hi: f64) -> Self {
        Factor {
            name: name.into(),
            lo,
            hi,
            scale: Scale::Log,
        }
    }

    /// Log-uniform when `lo > 0` and `hi / lo > 10`, uniform otherwise: the usual
    /// rule of thumb, since a uniform draw over several decades puts about 90 % of the
    /// samples in the top decade.
    pub fn suggested(name: impl Into<String>, lo: f64, hi: f64) -> Self {
        if lo > 0.0 && hi / lo > 10.0 {
            Factor::log(name, lo, hi)
        } else {
            Factor::linear(name, lo, hi)
        }
    }

    /// Maps a unit coordinate `u in [0, 1]` to the factor's range (see [`Scale`]).
    /// The ends map exactly to `lo` and `hi`.
    pub fn from_unit(&self, u: f64) -> f64 {
        // Exact ends, so that a grid level or a sequence point at 0 or 1 gives the bound.
        if u <= 0.0 {
            return self.lo;
        }
        if u >= 1.0 {
            return self.hi;
        }
        let x = match self.scale {
            Scale::Linear => self.lo + u * (self.hi - self.lo),
            Scale::Log => (self.lo.ln() + u * (self.hi.ln() - self.lo.ln())).exp(),
        };
        // Rounding in exp/ln must not step outside the range the model was promised.
        x.clamp(self.lo, self.hi)
    }

    /// Why the factor cannot be sampled, if it cannot.
    pub(super) fn problem(&self) -> Option<&'static str> {
        if !self.lo.is_finite() || !self.hi.is_finite() {
            Some("bounds must be finite")
        } else if self.lo >= self.hi {
            Some("lower bound must be below the upper bound")
        } else if self.scale == Scale::Log && self.lo <= 0.0 {
            Some("a log-scale factor needs a positive lower bound")
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_map_to_bounds() {
        for f in [
            Factor::linear("a", -3.0, 7.0),
            Factor::log("b", 0.01, 300.0),
        ] {
            assert_eq!(f.from_unit(0.0), f.lo);
            assert_eq!(f.from_unit(1.0), f.hi);
        }
    }

    #[test]
    fn log_scale_gives_each_decade_the_same_share() {
        let f = Factor::log("k", 0.1, 100.0);
        assert!((f.from_unit(1.0 / 3.0) - 1.0).abs() < 1e-12);
        assert!((f.from_unit(2.0 / 3.0) - 10.0).abs() < 1e-12);
        assert!((Factor::linear("x", 2.0, 4.0).from_unit(0.25) - 2.5).abs() < 1e-15);
    }

    #[test]
    fn suggested_scale_follows_the_span() {
        assert_eq!(Factor::suggested("a", 1.0, 20.0).scale, Scale::Log);
        assert_eq!(Factor::suggested("b", 1.0, 5.0).scale, Scale::Linear);
        assert_eq!(Factor::suggested("c", 0.0, 100.0).scale, Scale::Linear);
    }

    #[test]
    fn bad_ranges_are_named() {
        assert!(Factor::linear("a", 1.0, 1.0).problem().is_some());
        assert!(Factor::linear("a", 2.0, 1.0).problem().is_some());
        assert!(Factor::linear("a", 0.0, f64::INFINITY).problem().is_some());
        assert!(Factor::linear("a", f64::NAN, 1.0).problem().is_some());
        assert!(Factor::log("a", 0.0, 1.0).problem().is_some());
        assert!(Factor::log("a", 0.5, 1.0).problem().is_none());
    }
}
