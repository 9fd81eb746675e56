//! Scoring against hand-computed cases (standards §3.2): every band edge, every flag and
//! cluster rule, reverse scoring, refusals. Written before the instrument files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use amparo_domain::Language;
use amparo_domain::records::ScreeningProblem;

use super::*;

fn get(id: &str) -> &'static Instrument {
    Catalogue::builtin().expect("the shipped instruments parse").get(id).expect(id)
}

/// Answers of `n` items summing to `total` with every answer at most `max`, spread from
/// the first item on, leaving `keep_zero` (1-based) at 0.
fn summing(n: usize, max: i64, total: i64, keep_zero: Option<usize>) -> Vec<i64> {
    let mut left = total;
    (1..=n)
        .map(|i| {
            if Some(i) == keep_zero {
                return 0;
            }
            let v = left.min(max);
            left -= v;
            v
        })
        .collect()
}

#[test]
fn the_four_instruments_ship_with_the_ids_the_api_promises() {
    let c = Catalogue::builtin().unwrap();
    let ids: Vec<&str> = c.all().iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["phq9", "gad7", "pcl5", "trafficking_indicators"]);
    assert_eq!(get("phq9").items.len(), 9);
    assert_eq!(get("gad7").items.len(), 7);
    assert_eq!(get("pcl5").items.len(), 20);
    for i in c.all() {
        assert!(!i.licence.es.is_empty() && !i.attribution.en.is_empty(), "{}", i.id);
    }
}

#[test]
fn phq9_bands_at_every_edge() {
    let phq9 = get("phq9");
    // Item 9 kept at 0 so that the flag does not mix in.
    for (total, band) in [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (24, "severe"),
    ] {
        let s = phq9.score_default(&summing(9, 3, total, Some(9))).unwrap();
        assert_eq!(s.total, total as u32);
        assert_eq!(s.band.as_deref(), Some(band), "total {total}");
        assert!(s.flags.is_empty(), "total {total}");
    }
    let all_three = phq9.score_default(&[3; 9]).unwrap();
    assert_eq!((all_three.total, all_three.band.as_deref()), (27, Some("severe")));
}

#[test]
fn phq9_item_9_above_zero_flags_suicide_risk_whatever_the_total() {
    let phq9 = get("phq9");
    let low = phq9.score_default(&[0, 0, 0, 0, 0, 0, 0, 0, 1]).unwrap();
    assert_eq!(low.total, 1);
    assert_eq!(low.band.as_deref(), Some("minimal"));
    assert_eq!(low.flags, ["suicide_risk"]);
    assert_eq!(low.critical_flags, ["suicide_risk"]);
    for nine in 1..=3 {
        let s = phq9.score_default(&[3, 3, 3, 3, 3, 3, 3, 3, nine]).unwrap();
        assert_eq!(s.flags, ["suicide_risk"], "item 9 = {nine}");
    }
    // A high total with item 9 at 0 raises no flag.
    let s = phq9.score_default(&[3, 3, 3, 3, 3, 3, 3, 3, 0]).unwrap();
    assert_eq!((s.total, s.flags.len()), (24, 0));
}

#[test]
fn phq9_difficulty_is_optional_unscored_and_checked() {
    let phq9 = get("phq9");
    let none = BTreeMap::new();
    let answers = [1, 1, 0, 0, 0, 0, 0, 0, 0];
    let without = phq9.score(&answers, None, &none).unwrap();
    let with = phq9.score(&answers, Some(3), &none).unwrap();
    assert_eq!(without, with);
    assert_eq!(with.total, 2);
    assert_eq!(phq9.score(&answers, Some(4), &none), Err(ScoreError::ExtraOutOfRange { min: 0, max: 3 }));
    assert_eq!(phq9.extra.as_ref().map(|x| x.code.as_str()), Some("difficulty"));
}

#[test]
fn gad7_bands_at_every_edge() {
    let gad7 = get("gad7");
    for (total, band) in [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ] {
        let s = gad7.score_default(&summing(7, 3, total, None)).unwrap();
        assert_eq!((s.total, s.band.as_deref()), (total as u32, Some(band)), "total {total}");
        assert!(s.flags.is_empty());
    }
}

fn pcl5_answers(pairs: &[(usize, i64)]) -> Vec<i64> {
    let mut a = vec![0; 20];
    for (item, v) in pairs {
        a[item - 1] = *v;
    }
    a
}

#[test]
fn pcl5_total_and_cluster_sums() {
    let pcl5 = get("pcl5");
    // Item n answered n mod 5: B = 1+2+3+4+0 = 10, C = 1+2 = 3, D = 3+4+0+1+2+3+4 = 17,
    // E = 0+1+2+3+4+0 = 10; total 40.
    let answers: Vec<i64> = (1..=20).map(|n| n % 5).collect();
    let s = pcl5.score_default(&answers).unwrap();
    assert_eq!(s.total, 40);
    let clusters: Vec<(&str, u32)> = s.groups.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(clusters, [("B", 10), ("C", 3), ("D", 17), ("E", 10)]);
    assert_eq!(s.band, None);
    let max = pcl5.score_default(&[4; 20]).unwrap();
    assert_eq!(max.total, 80);
    assert_eq!(max.groups["B"], 20);
    assert_eq!(max.groups["C"], 8);
    assert_eq!(max.groups["D"], 28);
    assert_eq!(max.groups["E"], 24);
}

#[test]
fn pcl5_probable_ptsd_at_33_by_default_and_the_cut_off_is_configurable() {
    let pcl5 = get("pcl5");
    let at = |total: i64| pcl5.score_default(&summing(20, 4, total, None)).unwrap();
    assert!(!at(32).outcomes["probable_ptsd"]);
    assert!(at(33).outcomes["probable_ptsd"]);
    assert!(at(80).outcomes["probable_ptsd"]);
    assert_eq!(at(33).cutoffs["probable_ptsd"], 33);
    let lower: BTreeMap<String, u32> = [("probable_ptsd".to_owned(), 31)].into();
    let s = pcl5.score(&summing(20, 4, 31, None), None, &lower).unwrap();
    assert!(s.outcomes["probable_ptsd"]);
    assert_eq!(s.cutoffs["probable_ptsd"], 31);
    let s = pcl5.score(&summing(20, 4, 30, None), None, &lower).unwrap();
    assert!(!s.outcomes["probable_ptsd"]);
}

#[test]
fn pcl5_provisional_ptsd_needs_1_b_1_c_2_d_2_e_at_two_or_more() {
    let pcl5 = get("pcl5");
    let provisional =
        |pairs: &[(usize, i64)]| pcl5.score_default(&pcl5_answers(pairs)).unwrap().outcomes["provisional_ptsd"];
    // Exactly enough: B item 1, C item 6, D items 8 and 9, E items 15 and 16, all at 2.
    let exact = [(1, 2), (6, 2), (8, 2), (9, 2), (15, 2), (16, 2)];
    assert!(provisional(&exact));
    let s = pcl5.score_default(&pcl5_answers(&exact)).unwrap();
    assert_eq!(s.total, 12);
    assert!(!s.outcomes["probable_ptsd"], "provisional and probable are separate results");
    // Near misses: each requirement one short.
    let no_b = [(6, 2), (8, 2), (9, 2), (15, 2), (16, 2)];
    let no_c = [(1, 2), (8, 2), (9, 2), (15, 2), (16, 2)];
    let one_d = [(1, 2), (6, 2), (8, 2), (15, 2), (16, 2)];
    let one_e = [(1, 2), (6, 2), (8, 2), (9, 2), (15, 2)];
    for (name, miss) in [("B", &no_b[..]), ("C", &no_c[..]), ("D", &one_d[..]), ("E", &one_e[..])] {
        assert!(!provisional(miss), "short of {name}");
    }
    // A 1 is not endorsed, however many there are; lots in one cluster do not make up another.
    let ones: Vec<(usize, i64)> = (1..=20).map(|n| (n, 1)).collect();
    assert!(!provisional(&ones));
    assert_eq!(pcl5.score_default(&pcl5_answers(&ones)).unwrap().total, 20);
    let all_b_d_e = [(1, 4), (2, 4), (3, 4), (4, 4), (5, 4), (8, 4), (9, 4), (10, 4), (15, 4), (16, 4)];
    assert!(!provisional(&all_b_d_e), "C is missing");
    // Higher ratings count too.
    assert!(provisional(&[(5, 4), (7, 3), (13, 2), (14, 4), (19, 3), (20, 2)]));
}

#[test]
fn refusals_name_the_item() {
    let phq9 = get("phq9");
    assert_eq!(phq9.score_default(&[0; 8]), Err(ScoreError::AnswerCount { expected: 9, got: 8 }));
    assert_eq!(phq9.score_default(&[0; 10]), Err(ScoreError::AnswerCount { expected: 9, got: 10 }));
    let e = phq9.score_default(&[0, 0, 4, 0, 0, 0, 0, 0, 0]).unwrap_err();
    assert_eq!(e, ScoreError::OutOfRange { item: 3, min: 0, max: 3 });
    assert_eq!(e.item(), Some(3));
    assert_eq!(e.problem(), ScreeningProblem::AnswerOutOfRange);
    assert!(e.to_string().contains("item 3"), "{e}");
    assert_eq!(
        phq9.score_default(&[-1, 0, 0, 0, 0, 0, 0, 0, 0]),
        Err(ScoreError::OutOfRange { item: 1, min: 0, max: 3 })
    );
    assert_eq!(
        get("pcl5").score_default(&pcl5_answers(&[(20, 5)])),
        Err(ScoreError::OutOfRange { item: 20, min: 0, max: 4 })
    );
    assert_eq!(get("gad7").score_default(&[]).unwrap_err().problem(), ScreeningProblem::AnswerCount);
}

#[test]
fn trafficking_indicators_never_band_and_flag_presence() {
    let t = get("trafficking_indicators");
    let n = t.items.len();
    assert!(t.bands.is_empty() && t.show_hotlines);
    let none = t.score_default(&vec![0; n]).unwrap();
    assert_eq!((none.total, none.band.clone(), none.flags.len()), (0, None, 0));
    let sections: Vec<&str> = t.groups.iter().filter(|g| g.section).map(|g| g.code.as_str()).collect();
    assert_eq!(sections, ["isolation", "behaviour", "physical", "control", "living", "minors"]);
    // One indicator in isolation: present, not critical.
    let mut one = vec![0; n];
    one[t.groups[0].items[0] - 1] = 1;
    let s = t.score_default(&one).unwrap();
    assert_eq!((s.total, s.flags.clone(), s.critical_flags.len()), (1, vec!["indicators_present".to_owned()], 0));
    assert_eq!(s.groups["isolation"], 1);
    // Any minors item is critical as well.
    let minors = t.groups.iter().find(|g| g.code == "minors").unwrap();
    let mut m = vec![0; n];
    m[minors.items[0] - 1] = 1;
    let s = t.score_default(&m).unwrap();
    assert_eq!(s.flags, ["indicators_present", "minor_indicators"]);
    assert_eq!(s.critical_flags, ["minor_indicators"]);
    assert_eq!(t.score_default(&vec![2; n]), Err(ScoreError::OutOfRange { item: 1, min: 0, max: 1 }));
}

/// A small instrument from a string: reverse scoring, bands, a group, a critical item —
/// scored by the same engine with no Rust code of its own.
const WELLBEING: &str = r#"
id = "wellbeing3"
version = "test-1"
name = { en = "W-3", es = "B-3" }
title = { en = "Three questions", es = "Tres preguntas" }
time_frame = { en = "This week", es = "Esta semana" }
notice = { en = "A test instrument.", es = "Un instrumento de prueba." }
licence = { en = "Test only.", es = "Solo para pruebas." }
attribution = { en = "Amparo tests.", es = "Pruebas de Amparo." }

[[options]]
value = 1
label = { en = "Never", es = "Nunca" }
[[options]]
value = 2
label = { en = "Sometimes", es = "A veces" }
[[options]]
value = 3
label = { en = "Often", es = "Seguido" }
[[options]]
value = 4
label = { en = "Almost always", es = "Casi siempre" }
[[options]]
value = 5
label = { en = "Always", es = "Siempre" }

[[items]]
text = { en = "I felt calm.", es = "Me sentí en calma." }
reverse = true
[[items]]
text = { en = "I felt afraid.", es = "Sentí miedo." }
[[items]]
text = { en = "I slept well.", es = "Dormí bien." }
reverse = true

[[groups]]
code = "sleep"
label = { en = "Sleep", es = "Sueño" }
items = [3]

[[bands]]
code = "low"
min = 3
max = 7
label = { en = "Low", es = "Bajo" }
[[bands]]
code = "high"
min = 8
max = 15
label = { en = "High", es = "Alto" }

[[flags]]
code = "fear"
critical = true
items = [2]
item_min = 5
label = { en = "Always afraid", es = "Siempre con miedo" }
next_steps = { en = "Talk today.", es = "Hablar hoy." }
"#;

#[test]
fn an_instrument_loaded_from_a_string_scores_reverse_items_by_the_same_engine() {
    let w = Instrument::from_toml(WELLBEING).unwrap();
    // Reverse items score 6 − answer (1↔5, 2↔4, 3 stays).
    let s = w.score_default(&[5, 1, 5]).unwrap();
    assert_eq!((s.total, s.band.as_deref()), (3, Some("low")));
    assert_eq!(s.groups["sleep"], 1);
    let s = w.score_default(&[1, 1, 1]).unwrap();
    assert_eq!((s.total, s.band.as_deref()), (11, Some("high")));
    assert_eq!(s.groups["sleep"], 5);
    let s = w.score_default(&[2, 3, 4]).unwrap();
    assert_eq!(s.total, 4 + 3 + 2);
    assert_eq!(s.band.as_deref(), Some("high"));
    let s = w.score_default(&[4, 1, 4]).unwrap();
    assert_eq!((s.total, s.band.as_deref()), (5, Some("low")));
    // The critical item looks at the answer as given.
    assert_eq!(w.score_default(&[3, 5, 3]).unwrap().critical_flags, ["fear"]);
    assert_eq!(w.score_default(&[3, 0, 3]), Err(ScoreError::OutOfRange { item: 2, min: 1, max: 5 }));
    // Catalogues take it beside the shipped ones.
    let mut all = Catalogue::builtin().unwrap().all().to_vec();
    all.push(w.clone());
    assert_eq!(Catalogue::new(all.clone()).unwrap().get("wellbeing3"), Some(&w));
    all.push(w);
    assert!(Catalogue::new(all).is_err(), "an id twice is refused");
    assert_eq!(get("pcl5").title.get(Language::Es), "Lista de verificación del TEPT para el DSM-5 (PCL-5)");
}

#[test]
fn files_that_are_not_instruments_are_refused_with_a_reason() {
    let broken = |from: &str, to: &str| {
        let text = WELLBEING.replacen(from, to, 1);
        assert_ne!(text, WELLBEING, "{from}");
        Instrument::from_toml(&text).unwrap_err().to_string()
    };
    assert!(broken("max = 7", "max = 6").contains("band high should start at 7"));
    assert!(broken("max = 15", "max = 14").contains("totals reach 15"));
    assert!(broken("items = [3]", "items = [4]").contains("no item 4"));
    assert!(broken("es = \"Dormí bien.\"", "es = \"\"").contains("item 3"));
    assert!(broken("item_min = 5", "total_min = 5").contains("flag fear"));
    assert!(broken("id = \"wellbeing3\"", "id = \"Wellbeing\"").contains("snake_case"));
    assert!(broken("value = 2", "value = 1").contains("offered twice"));
    assert!(!broken("reverse = true", "reversed = true").is_empty());
}

// --- ProQOL 5 (standards §3.2): three 10-item subscale sums; burnout items 1, 4, 15, 17 and
// 29 reverse-scored (1↔5, 2↔4); each subscale ≤22 low, 23–41 moderate, ≥42 high.

fn proqol() -> &'static Instrument {
    Catalogue::staff().expect("the staff instruments parse").get("proqol5").expect("proqol5")
}

/// (compassion satisfaction, burnout, secondary traumatic stress) and their bands.
fn proqol_result(answers: &[i64]) -> ((u32, u32, u32), (String, String, String)) {
    let s = proqol().score_default(answers).unwrap();
    let g = |c: &str| s.groups[c];
    let b = |c: &str| s.group_bands[c].clone();
    (
        (g("compassion_satisfaction"), g("burnout"), g("secondary_traumatic_stress")),
        (b("compassion_satisfaction"), b("burnout"), b("secondary_traumatic_stress")),
    )
}

fn bands(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.into(), b.into(), c.into())
}

#[test]
fn proqol5_is_a_staff_instrument_never_a_survivor_screening() {
    assert!(Catalogue::builtin().unwrap().get("proqol5").is_none());
    let p = proqol();
    assert_eq!(p.items.len(), 30);
    assert_eq!(p.options.iter().map(|o| o.value).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    let reversed: Vec<usize> = (1..=30).filter(|n| p.items[n - 1].reverse).collect();
    assert_eq!(reversed, [1, 4, 15, 17, 29]);
    let items = |code: &str| p.groups.iter().find(|g| g.code == code).unwrap().items.clone();
    assert_eq!(items("compassion_satisfaction"), [3, 6, 12, 16, 18, 20, 22, 24, 27, 30]);
    assert_eq!(items("burnout"), [1, 4, 8, 10, 15, 17, 19, 21, 26, 29]);
    assert_eq!(items("secondary_traumatic_stress"), [2, 5, 7, 9, 11, 13, 14, 23, 25, 28]);
    // Licence terms: CVT credited with a link to ProQOL.org, not sold.
    assert!(p.attribution.en.contains("ProQOL.org") && p.attribution.es.contains("ProQOL.org"));
    assert!(p.attribution.en.contains("Center for Victims of Torture"));
    assert!(p.licence.en.contains("not sold") || p.licence.en.contains("not be sold"));
    // The Spanish is our translation, so it says it is adapted.
    assert!(p.attribution.es.to_lowercase().contains("adaptad"), "{}", p.attribution.es);
}

#[test]
fn proqol5_all_threes_score_thirty_everywhere() {
    // Reversing 3 gives 3: every subscale is 10 × 3.
    assert_eq!(proqol_result(&[3; 30]), ((30, 30, 30), bands("moderate", "moderate", "moderate")));
}

#[test]
fn proqol5_all_ones_and_all_fives_show_the_reverse_scored_burnout_items() {
    // All 1: CS 10, STS 10; burnout = five plain items at 1 (5) + five reversed 1→5 (25) = 30.
    assert_eq!(proqol_result(&[1; 30]), ((10, 30, 10), bands("low", "moderate", "low")));
    // All 5: CS 50, STS 50; burnout = five plain at 5 (25) + five reversed 5→1 (5) = 30.
    assert_eq!(proqol_result(&[5; 30]), ((50, 30, 50), bands("high", "moderate", "high")));
}

#[test]
fn proqol5_a_mixed_hand_computed_case() {
    // Item n answered ((n − 1) mod 5) + 1: 1,2,3,4,5,1,2,3,4,5,…
    let answers: Vec<i64> = (0..30).map(|i| i % 5 + 1).collect();
    // CS   3,6,12,16,18,20,22,24,27,30 → 3+1+2+1+3+5+2+4+2+5 = 28
    // BO   1r,4r,8,10,15r,17r,19,21,26,29r → 5+2+3+5+1+4+4+1+1+2 = 28
    //      (raw 1→5, 4→2, 5→1, 2→4, 4→2 on the reversed items)
    // STS  2,5,7,9,11,13,14,23,25,28 → 2+5+2+4+1+3+4+3+5+3 = 32
    assert_eq!(proqol_result(&answers), ((28, 28, 32), bands("moderate", "moderate", "moderate")));
}

#[test]
fn proqol5_burnout_low_needs_the_reversed_items_answered_high() {
    let mut a = [3i64; 30];
    // Reversed items (1, 4, 15, 17, 29) answered 5 score 1 each: 5.
    for n in [1, 4, 15, 17, 29] {
        a[n - 1] = 5;
    }
    // Plain burnout items 8, 10, 19 at 5 and 21, 26 at 1: 17. Burnout = 22 (low).
    for (n, v) in [(8, 5), (10, 5), (19, 5), (21, 1), (26, 1)] {
        a[n - 1] = v;
    }
    let ((_, burnout, _), (_, band, _)) = proqol_result(&a);
    assert_eq!((burnout, band.as_str()), (22, "low"));
    // One step more on a plain item: 23 (moderate).
    a[20] = 2;
    let ((_, burnout, _), (_, band, _)) = proqol_result(&a);
    assert_eq!((burnout, band.as_str()), (23, "moderate"));
    // A reversed item answered 4 instead of 5 scores 2 instead of 1: 24.
    a[0] = 4;
    assert_eq!(proqol_result(&a).0.1, 24);
}

#[test]
fn proqol5_band_edges_on_each_subscale() {
    let cs = [3, 6, 12, 16, 18, 20, 22, 24, 27, 30];
    let sts = [2, 5, 7, 9, 11, 13, 14, 23, 25, 28];
    for (sum, band) in [(10, "low"), (22, "low"), (23, "moderate"), (41, "moderate"), (42, "high"), (50, "high")] {
        for (items, which) in [(cs, 0), (sts, 2)] {
            let mut a = [1i64; 30];
            let mut left = sum - 10;
            for n in items {
                let add = left.min(4);
                a[n - 1] += add;
                left -= add;
            }
            let (sums, bands) = proqol_result(&a);
            let (got, got_band) = if which == 0 { (sums.0, bands.0) } else { (sums.2, bands.2) };
            assert_eq!((got, got_band.as_str()), (sum as u32, band), "subscale {which} sum {sum}");
        }
    }
}

#[test]
fn proqol5_refuses_answers_outside_one_to_five_and_the_wrong_count() {
    let p = proqol();
    let mut a = vec![3i64; 30];
    a[6] = 0;
    assert_eq!(p.score_default(&a), Err(ScoreError::OutOfRange { item: 7, min: 1, max: 5 }));
    a[6] = 6;
    assert_eq!(p.score_default(&a), Err(ScoreError::OutOfRange { item: 7, min: 1, max: 5 }));
    assert_eq!(p.score_default(&[3; 29]), Err(ScoreError::AnswerCount { expected: 30, got: 29 }));
}

#[test]
fn group_bands_must_cover_the_group_sums_once() {
    let file = r#"
id = "tiny"
version = "1"
name = { en = "T", es = "T" }
title = { en = "T", es = "T" }
time_frame = { en = "T", es = "T" }
notice = { en = "T", es = "T" }
licence = { en = "T", es = "T" }
attribution = { en = "T", es = "T" }
[[options]]
value = 1
label = { en = "a", es = "a" }
[[options]]
value = 2
label = { en = "b", es = "b" }
[[items]]
text = { en = "x", es = "x" }
[[items]]
text = { en = "y", es = "y" }
[[groups]]
code = "g"
label = { en = "G", es = "G" }
items = [1, 2]
[[groups.bands]]
code = "low"
min = 2
max = 3
label = { en = "L", es = "L" }
[[groups.bands]]
code = "high"
min = 4
max = 4
label = { en = "H", es = "H" }
"#;
    let ok = Instrument::from_toml(file).unwrap();
    assert_eq!(ok.score_default(&[2, 2]).unwrap().group_bands["g"], "high");
    assert_eq!(ok.score_default(&[1, 2]).unwrap().group_bands["g"], "low");
    let gap = Instrument::from_toml(&file.replace("max = 3", "max = 2")).unwrap_err().to_string();
    assert!(gap.contains("group g"), "{gap}");
    let short = Instrument::from_toml(&file.replace("min = 4\nmax = 4", "min = 4\nmax = 3")).unwrap_err().to_string();
    assert!(short.contains("group g"), "{short}");
}
