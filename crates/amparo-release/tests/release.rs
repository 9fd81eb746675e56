//! The release as a whole, on synthetic people: fresh noise, stated parameters, the
//! post-processing invariants (property tests), and error within a few noise scales.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use amparo_release::codebook::{COLUMNS, Respondent};
use amparo_release::consistency::Consistency;
use amparo_release::tables::{all_tables, count};
use amparo_release::{Budget, MAX_ORDER, Release, ReleaseError, check_invariants, make_release};
use chrono::Utc;
use proptest::prelude::*;

/// People drawn with skewed (realistic) frequencies from a seed: most in a few categories,
/// some in rare ones.
fn people(n: usize, seed: u64) -> Vec<Respondent> {
    let mut s = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let mut skewed = |k: usize| -> u8 {
        // Geometric-ish: value i with probability about 2^-(i+1).
        let r = next();
        (r.trailing_zeros() as usize).min(k - 1) as u8
    };
    (0..n)
        .map(|_| {
            let mut v = [0u8; 7];
            for (i, c) in COLUMNS.iter().enumerate() {
                v[i] = skewed(c.values.len());
            }
            Respondent(v)
        })
        .collect()
}

fn budget(epsilon: f64) -> Budget {
    Budget::new(epsilon, None).expect("budget")
}

fn counts_of(r: &Release) -> Vec<Vec<u64>> {
    r.tables.iter().map(|t| t.cells.iter().map(|c| c.count).collect()).collect()
}

#[test]
fn two_releases_of_the_same_data_differ_and_each_states_its_epsilon() {
    let rows = people(2_000, 1);
    let a = make_release(&rows, budget(1.0), Utc::now()).expect("release");
    let b = make_release(&rows, budget(1.0), Utc::now()).expect("release");
    assert_ne!(counts_of(&a), counts_of(&b), "fresh noise each run");
    for r in [&a, &b] {
        let json: serde_json::Value = serde_json::from_str(&r.to_json()).expect("json");
        assert_eq!(json["epsilon"], 1.0);
        assert_eq!(json["delta"], amparo_release::DEFAULT_DELTA);
        assert!(json["noise_scale"].as_f64().expect("noise scale") > 0.0);
        assert!(json["rho"].as_f64().expect("rho") > 0.0);
        assert!(json["created_at"].is_string());
        assert_eq!(json["tables"].as_array().expect("tables").len(), 7 + 21 + 35);
        assert_eq!(json["codebook"].as_array().expect("codebook").len(), 7);
        let first = &json["tables"][0];
        assert_eq!(first["columns"], serde_json::json!(["gender"]));
        assert_eq!(first["cells"][0]["values"], serde_json::json!(["Woman"]));
    }
    let c = make_release(&rows, budget(2.5), Utc::now()).expect("release");
    assert_eq!(c.epsilon, 2.5);
    assert!(c.noise_scale < a.noise_scale);
}

#[test]
fn epsilon_and_delta_out_of_range_are_refused() {
    assert_eq!(Budget::new(0.0, None), Err(ReleaseError::EpsilonInvalid));
    assert_eq!(Budget::new(-1.0, None), Err(ReleaseError::EpsilonInvalid));
    assert_eq!(Budget::new(f64::NAN, None), Err(ReleaseError::EpsilonInvalid));
    assert_eq!(Budget::new(10.5, None), Err(ReleaseError::EpsilonInvalid));
    assert_eq!(Budget::new(1.0, Some(0.0)), Err(ReleaseError::DeltaInvalid));
    assert_eq!(Budget::new(1.0, Some(0.01)), Err(ReleaseError::DeltaInvalid));
    assert!(Budget::new(10.0, Some(1e-4)).is_ok());
}

#[test]
fn mean_absolute_error_is_within_the_noise_scale() {
    let rows = people(5_000, 2);
    let tables = all_tables(MAX_ORDER);
    let exact = count(&tables, &rows);
    let r = make_release(&rows, budget(1.0), Utc::now()).expect("release");
    let noisy = counts_of(&r);
    for order in 1..=3 {
        let (mut err, mut cells) = (0.0, 0.0);
        for ((t, e), n) in tables.iter().zip(&exact).zip(&noisy) {
            if t.columns.len() != order {
                continue;
            }
            for (a, b) in e.iter().zip(n) {
                err += (*a as f64 - *b as f64).abs();
                cells += 1.0;
            }
        }
        let mae = err / cells;
        // Raw Gaussian noise has mean absolute value 0.8 σ; post-processing should do better
        // (much better for 1-way counts, which every larger table also informs).
        assert!(mae < 0.8 * r.noise_scale, "order {order}: MAE {mae} vs σ {}", r.noise_scale);
        if order == 1 {
            assert!(mae < 0.5 * r.noise_scale, "1-way MAE {mae} vs σ {}", r.noise_scale);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Whatever the data and the noise: no negative count (the counts are unsigned and the
    /// output is checked as numbers), every parent cell at least each of its children.
    #[test]
    fn post_processing_keeps_counts_whole_non_negative_and_parents_above_children(
        n in 0usize..400,
        seed in any::<u64>(),
        epsilon in 0.05f64..5.0,
    ) {
        let rows = people(n, seed);
        let r = make_release(&rows, budget(epsilon), Utc::now()).expect("release");
        let tables = all_tables(MAX_ORDER);
        let counts = counts_of(&r);
        prop_assert!(check_invariants(&tables, &counts).is_ok(), "{:?}", check_invariants(&tables, &counts));
        let json: serde_json::Value = serde_json::from_str(&r.to_json()).expect("json");
        for t in json["tables"].as_array().expect("tables") {
            for c in t["cells"].as_array().expect("cells") {
                prop_assert!(c["count"].as_i64().expect("whole number") >= 0);
            }
        }
    }

    /// The post-processing alone, on arbitrary noisy tables (very negative ones included).
    #[test]
    fn any_noisy_tables_come_out_consistent_enough_and_ordered(
        seed in any::<u64>(),
        spread in 1.0f64..200.0,
    ) {
        let tables = all_tables(MAX_ORDER);
        let mut s = seed | 1;
        let noisy: Vec<Vec<f64>> = tables
            .iter()
            .map(|t| (0..t.len()).map(|_| {
                s ^= s << 13; s ^= s >> 7; s ^= s << 17;
                ((s >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * spread
            }).collect())
            .collect();
        let post = Consistency::new(&tables, &vec![1.0; tables.len()]);
        let x = post.project_non_negative(&noisy, 400, 1e-3);
        let rounded = post.round(&x);
        prop_assert!(check_invariants(&tables, &rounded).is_ok());
    }
}
