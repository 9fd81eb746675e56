//! `amparo export htcds` and its page through the real binary: on demo data at k = 11 a
//! third of the people or more keep a row, every row occurs at least k times, the summary is
//! printed in English and Spanish, k below 5 is refused in either language, both exports
//! are audited; the page (supervisor in Spanish, analyst in English) shows the summary,
//! keeps a refused k with its message, downloads the CSV by POST; a case manager is refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
#[allow(unused_imports)]
use support::*;

use std::collections::HashMap;
use std::path::Path;
use std::process::Output;

use reqwest::StatusCode;

const ORG: &str = "Refugio Esperanza";

fn htcds(dir: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut c = amparo();
    c.args(["export", "htcds", "--data-dir"]).arg(dir).arg("--out").arg(out).args(extra);
    run(c, "")
}

fn said(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// Data rows of a CSV text, and the smallest number of times a distinct row occurs.
fn rows_and_smallest_group(csv: &str) -> (usize, usize) {
    let mut groups: HashMap<&str, usize> = HashMap::new();
    for line in csv.lines().skip(1) {
        *groups.entry(line).or_default() += 1;
    }
    (groups.values().sum(), groups.values().copied().min().unwrap_or(usize::MAX))
}

async fn audit_actions(dir: &Path) -> Vec<(String, String)> {
    let db = dir.join("amparo.sqlite3");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display())).await.unwrap();
    sqlx::query_as("SELECT action, coalesce(detail, '') FROM audit_events WHERE action LIKE 'htcds.%' ORDER BY seq")
        .fetch_all(&pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn demo_data_at_k_11_keeps_a_third_or_more_in_rows_that_occur_11_times() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let mut c = amparo();
    c.args(["demo", "--data-dir"]).arg(&dir).args(["--cases", "2000", "--seed", "11"]);
    ok(&run(c, ""));

    let out = tmp.path().join("htcds.csv");
    let printed = ok(&htcds(&dir, &out, &[]));
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with("yearOfRegistration,gender,ageBroad,majorityStatus,citizenship,CountryOfExploitation,"));
    let (rows, smallest) = rows_and_smallest_group(&csv);
    assert!(rows * 100 >= 2000 * 30, "only {rows} of 2000 people keep a row\n{printed}");
    assert!(smallest >= 11, "a row occurs {smallest} times");
    assert!(printed.contains(&format!("{rows} of 2000 people with a case get a row")), "{printed}");
    assert!(printed.contains("Age: "), "{printed}");
    assert!(printed.contains("Written to"), "{printed}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
    }

    // In Spanish, at k = 5: more rows, each at least 5 times.
    let out5 = tmp.path().join("htcds-5.csv");
    let printed = ok(&htcds(&dir, &out5, &["--k", "5", "--language", "es"]));
    let (rows5, smallest) = rows_and_smallest_group(&std::fs::read_to_string(&out5).unwrap());
    assert!(smallest >= 5 && rows5 >= rows, "{rows5} rows at k=5, {rows} at k=11");
    assert!(printed.contains(&format!("{rows5} de 2000 personas con un caso tienen una fila")), "{printed}");
    assert!(printed.contains("Edad: "), "{printed}");

    // k below 5 is refused, in either language, and writes nothing; an existing file is not overwritten.
    let refused = tmp.path().join("refused.csv");
    let o = htcds(&dir, &refused, &["--k", "4"]);
    assert!(!o.status.success());
    assert!(said(&o).contains("at least 5"), "{}", said(&o));
    let o = htcds(&dir, &refused, &["--k", "3", "--language", "es"]);
    assert!(!o.status.success());
    assert!(said(&o).contains("al menos 5"), "{}", said(&o));
    assert!(!refused.exists());
    assert!(!htcds(&dir, &out, &[]).status.success(), "refused: the file exists");

    // Both exports audited: the projection and the export with its parameters.
    let log = audit_actions(&dir).await;
    let exports: Vec<_> = log.iter().filter(|(a, _)| a == "htcds.export").collect();
    assert_eq!(exports.len(), 2, "{log:?}");
    assert!(exports[0].1.starts_with(&format!("k.11 rows.{rows} of.2000 ")), "{log:?}");
    assert!(exports[1].1.starts_with("k.5 "), "{log:?}");
    assert_eq!(log.iter().filter(|(a, _)| a == "htcds.project").count(), 2, "{log:?}");
}

#[tokio::test]
async fn the_page_shows_the_summary_keeps_a_refused_k_and_downloads_by_post_in_both_languages() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let mut c = amparo();
    c.args(["demo", "--data-dir"]).arg(&dir).args(["--cases", "300", "--seed", "5"]);
    ok(&run(c, ""));
    let sup_pw = "la supervisora camina despacio por el puerto viejo";
    let ana_pw = "the analyst walks slowly by the old port";
    let cm_pw = "el gestor camina despacio por el puerto viejo";
    add_staff(&dir, ORG, "sup@esperanza.org", "supervisor", "es", sup_pw);
    add_staff(&dir, ORG, "ana@esperanza.org", "analyst", "en", ana_pw);
    add_staff(&dir, ORG, "cm@esperanza.org", "case_manager", "es", cm_pw);
    let s = serve(&dir, &[], &[]);

    // A supervisor, in Spanish.
    let sup = sign_in(&s, "sup@esperanza.org", sup_pw, "una contraseña nueva y larga para la supervisora").await;
    let (st, page) = get(&sup, &s, "/export/htcds").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("Exportación por registro para compartir"), "{page}");
    assert!(page.contains("id=\"nav-htcds\""), "the link is in the navigation");
    assert!(page.contains("name=\"k\"") && page.contains("value=\"11\""), "{page}");
    // k below 5: the form comes back with what was typed and the message next to it.
    let r = post(&sup, &s, "/export/htcds", &page, &[("k", "3")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let back = r.text().await.unwrap();
    assert!(back.contains("value=\"3\""), "{back}");
    assert!(back.contains("k debe ser un número entero de al menos 5"), "{back}");
    assert!(back.contains("aria-invalid=\"true\""), "{back}");
    // The summary, then the file.
    let r = post(&sup, &s, "/export/htcds", &page, &[("k", "5")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let summary = r.text().await.unwrap();
    assert!(summary.contains("de 300 personas con un caso tienen una fila"), "{summary}");
    assert!(summary.contains("id=\"htcds-summary\""), "{summary}");
    let r = post(&sup, &s, "/export/htcds/download", &page, &[("k", "5")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(r.headers()["content-disposition"], "attachment; filename=\"htcds-k5.csv\"");
    assert_eq!(r.headers()["cache-control"], "no-store");
    let csv = r.text().await.unwrap();
    assert!(csv.starts_with("yearOfRegistration,"), "{csv}");
    let (_, smallest) = rows_and_smallest_group(&csv);
    assert!(smallest >= 5);
    // Without the CSRF token: refused.
    let r = sup.post(s.url("/export/htcds/download")).form(&[("k", "5")]).send().await.unwrap();
    assert_ne!(r.status(), StatusCode::OK);

    // An analyst, in English.
    let ana = sign_in(&s, "ana@esperanza.org", ana_pw, "a new and long password for the analyst").await;
    let (st, page) = get(&ana, &s, "/export/htcds").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("Shareable record-level export (HTCDS)"), "{page}");
    let r = post(&ana, &s, "/export/htcds", &page, &[("k", "cuatro")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let back = r.text().await.unwrap();
    assert!(back.contains("value=\"cuatro\"") && back.contains("k must be a whole number of at least 5"), "{back}");
    let r = post(&ana, &s, "/export/htcds", &page, &[("k", "11")]).await;
    let summary = r.text().await.unwrap();
    assert!(summary.contains("of 300 people with a case get a row"), "{summary}");

    // A case manager: no link, and the page and the download are refused.
    let cm = sign_in(&s, "cm@esperanza.org", cm_pw, "una contraseña nueva y larga para el gestor").await;
    let (st, home) = get(&cm, &s, "/").await;
    assert_eq!(st, StatusCode::OK);
    assert!(!home.contains("id=\"nav-htcds\""));
    let (st, _) = get(&cm, &s, "/export/htcds").await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let r = post(&cm, &s, "/export/htcds/download", &home, &[("k", "11")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Only the download is an export: the summaries are projections.
    drop(s);
    let log = audit_actions(&dir).await;
    assert_eq!(log.iter().filter(|(a, _)| a == "htcds.export").count(), 1, "{log:?}");
    assert!(log.iter().filter(|(a, _)| a == "htcds.project").count() >= 3, "{log:?}");
}
