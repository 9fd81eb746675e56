//! Noise through opendp: the discrete Gaussian mechanism under zero-concentrated DP
//! (`make_gaussian` on integer vectors with the L2 metric), its ρ, and its (ε, δ) by opendp's
//! conversion (`make_zCDP_to_approxDP`, then `make_fix_delta`).
//!
//! All the tables' cells go into one vector. Each person counts once in each of the `T`
//! tables, so adding or removing one person changes `T` cells by one: an L2 distance of √T.
//! The noise scale σ is the smallest (to a relative 1e-6) for which opendp states an ε no
//! larger than the one asked for at the δ asked for.
//!
//! Randomness: opendp draws its samples from OpenSSL's `RAND_priv_bytes` when its
//! `use-openssl` feature is on (this crate's `secure-randomness` feature, which the `amparo`
//! binary turns on); without it, from `rand`'s thread generator, which opendp documents as not
//! secure. A release build refuses to publish without it.

use opendp::combinators::{make_fix_delta, make_zCDP_to_approxDP};
use opendp::core::Measurement;
use opendp::domains::{AtomDomain, VectorDomain};
use opendp::measurements::make_gaussian;
use opendp::measures::ZeroConcentratedDivergence;
use opendp::metrics::L2Distance;

use crate::{Budget, ReleaseError};

type Gaussian = Measurement<VectorDomain<AtomDomain<i64>>, L2Distance<f64>, ZeroConcentratedDivergence, Vec<i64>>;

/// The noise a release adds and what it spends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Calibration {
    /// Standard deviation of the discrete Gaussian, on every cell.
    pub sigma: f64,
    /// ρ of ρ-zCDP, for one person.
    pub rho: f64,
    /// The ε opendp states for this σ at the budget's δ (at most the budget's ε).
    pub epsilon: f64,
}

fn noise_err(e: impl std::fmt::Debug) -> ReleaseError {
    ReleaseError::Noise(format!("{e:?}"))
}

fn gaussian(sigma: f64) -> Result<Gaussian, ReleaseError> {
    make_gaussian(VectorDomain::new(AtomDomain::default()), L2Distance::default(), sigma, None).map_err(noise_err)
}

/// √`tables`, rounded up to the next float if need be: the privacy loss is never understated.
pub fn sensitivity(tables: usize) -> f64 {
    let n = tables as f64;
    let mut d = n.sqrt();
    while d * d < n {
        d = d.next_up();
    }
    d
}

/// (ρ, ε at `delta`) of the Gaussian mechanism with scale `sigma` at L2 sensitivity `d_in`.
fn spend(sigma: f64, d_in: f64, delta: f64) -> Result<(f64, f64), ReleaseError> {
    let m = gaussian(sigma)?;
    let rho = m.map(&d_in).map_err(noise_err)?;
    let approx = make_zCDP_to_approxDP(m).map_err(noise_err)?;
    let fixed = make_fix_delta(&approx, delta).map_err(noise_err)?;
    let (epsilon, _) = fixed.map(&d_in).map_err(noise_err)?;
    Ok((rho, epsilon))
}

/// The smallest noise scale whose (ε, δ) fits the budget, for `tables` tables.
pub fn calibrate(budget: Budget, tables: usize) -> Result<Calibration, ReleaseError> {
    let d_in = sensitivity(tables);
    let fits = |sigma: f64| -> Result<bool, ReleaseError> { Ok(spend(sigma, d_in, budget.delta)?.1 <= budget.epsilon) };
    // Bracket: `hi` fits, `lo` does not.
    let mut hi = 1.0;
    while !fits(hi)? {
        hi *= 2.0;
        if hi > 1e9 {
            return Err(ReleaseError::EpsilonInvalid);
        }
    }
    let mut lo = hi / 2.0;
    while fits(lo)? {
        hi = lo;
        lo /= 2.0;
        if lo < 1e-6 {
            break;
        }
    }
    while (hi - lo) / hi > 1e-6 {
        let mid = (lo + hi) / 2.0;
        if fits(mid)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let (rho, epsilon) = spend(hi, d_in, budget.delta)?;
    Ok(Calibration { sigma: hi, rho, epsilon })
}

/// Whether opendp draws from a secure source in this build (see the module's note).
pub const SECURE_RANDOMNESS: bool = cfg!(feature = "secure-randomness");

/// `counts` with discrete Gaussian noise of scale `sigma` on every cell, fresh from opendp's
/// sampler on each call.
pub fn add_noise(counts: Vec<i64>, sigma: f64) -> Result<Vec<i64>, ReleaseError> {
    if !SECURE_RANDOMNESS && !cfg!(debug_assertions) {
        return Err(ReleaseError::Noise("this build lacks secure randomness (feature secure-randomness)".to_owned()));
    }
    gaussian(sigma)?.invoke(&counts).map_err(noise_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sensitivity_is_never_below_the_square_root() {
        for n in 1..200 {
            let d = sensitivity(n);
            assert!(d * d >= n as f64);
        }
        assert_eq!(sensitivity(4), 2.0);
    }

    #[test]
    fn the_calibrated_noise_spends_at_most_the_budget_and_barely_less() {
        let budget = Budget::new(1.0, Some(1e-6)).unwrap_or_else(|e| panic!("{e}"));
        let c = calibrate(budget, 63).unwrap_or_else(|e| panic!("{e}"));
        assert!(c.epsilon <= 1.0 && c.epsilon > 0.99, "{c:?}");
        // ρ = Δ² / (2σ²) with Δ² = 63 (each person in 63 tables).
        assert!((c.rho - 63.0 / (2.0 * c.sigma * c.sigma)).abs() < 1e-6 * c.rho, "{c:?}");
        // More ε, less noise.
        let more = calibrate(Budget::new(4.0, Some(1e-6)).unwrap_or_else(|e| panic!("{e}")), 63)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(more.sigma < c.sigma);
    }

    #[test]
    fn noise_is_fresh_on_each_call() {
        let counts = vec![100; 200];
        let a = add_noise(counts.clone(), 5.0).unwrap_or_else(|e| panic!("{e}"));
        let b = add_noise(counts, 5.0).unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(a, b);
    }
}
