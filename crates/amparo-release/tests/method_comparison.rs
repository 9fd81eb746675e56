//! Prints the mean absolute error of each post-processing method on synthetic data (run with
//! `cargo test -p amparo-release --test method_comparison -- --ignored --nocapture`): the
//! figures quoted in `consistency.rs` and docs/release.md.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::print_stdout)]
use amparo_release::codebook::{COLUMNS, Respondent};
use amparo_release::consistency::Consistency;
use amparo_release::noise;
use amparo_release::tables::{all_tables, count};
use amparo_release::{Budget, MAX_ORDER};

fn people(n: usize, seed: u64) -> Vec<Respondent> {
    let mut s = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let mut skewed = |k: usize| -> u8 { (next().trailing_zeros() as usize).min(k - 1) as u8 };
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

#[test]
#[ignore]
fn compare_post_processing_methods() {
    let rows = people(5000, 3);
    let tables = all_tables(MAX_ORDER);
    let exact = count(&tables, &rows);
    let cal = noise::calibrate(Budget::new(1.0, None).unwrap(), tables.len()).unwrap();
    let flat: Vec<i64> = exact.iter().flatten().copied().collect();
    let noisy_flat = noise::add_noise(flat, cal.sigma).unwrap();
    let mut noisy = Vec::new();
    let mut at = 0;
    for t in &tables {
        noisy.push(noisy_flat[at..at + t.len()].iter().map(|&v| v as f64).collect::<Vec<f64>>());
        at += t.len();
    }
    let post = Consistency::new(&tables, &vec![1.0; tables.len()]);
    let mae = |x: &[Vec<f64>], label: &str| {
        for order in 1..=3 {
            let (mut e, mut n) = (0.0, 0.0);
            for ((t, ex), v) in tables.iter().zip(&exact).zip(x) {
                if t.columns.len() != order {
                    continue;
                }
                for (a, b) in ex.iter().zip(v) {
                    e += (*a as f64 - b).abs();
                    n += 1.0;
                }
            }
            println!("{label} order {order}: MAE/σ = {:.3}", e / n / cal.sigma);
        }
    };
    mae(&noisy, "raw");
    let clamp =
        |x: &[Vec<f64>]| -> Vec<Vec<f64>> { x.iter().map(|t| t.iter().map(|v| v.max(0.0)).collect()).collect() };
    mae(&clamp(&noisy), "raw clamped");
    let ls = post.project(&noisy);
    mae(&ls, "ls");
    mae(&clamp(&ls), "ls clamped");
    let d = post.project_non_negative(&noisy, 400, 1e-3);
    mae(&d, "dykstra");
    let t0 = std::time::Instant::now();
    let e = post.estimate(&noisy);
    println!("estimate took {:?}", t0.elapsed());
    mae(&e.iter().map(|t| t.iter().map(|&v| v as f64).collect()).collect::<Vec<_>>(), "published");
    println!("sigma {}", cal.sigma);
}
