//! The import page through the real binary over real HTTP on loopback, in Spanish and
//! English, without JavaScript: upload (multipart, CSRF) → mapping step → preview naming the
//! bad line → the file without it → confirm → the people are there. Who sees the page.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;
#[allow(unused_imports)]
use support::*;

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

const ORG: &str = "Refugio Esperanza";

async fn upload(http: &reqwest::Client, s: &Server, page: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = Form::new()
        .text("csrf_token", csrf_of(page))
        .part("file", Part::bytes(bytes).file_name(name.to_owned()).mime_str("text/csv").unwrap());
    http.post(s.url("/import")).multipart(form).send().await.unwrap()
}

#[tokio::test]
async fn import_page_maps_previews_names_the_bad_line_and_imports_all_or_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    add_staff(&dir, ORG, "ana@esperanza.org", "supervisor", "es", "ana's first password here");
    add_staff(&dir, ORG, "cm@esperanza.org", "case_manager", "en", "cm's first password here");
    add_staff(&dir, ORG, "bea@esperanza.org", "supervisor", "en", "bea's first password here");
    let s = serve(&dir, &[], &[]);
    let ana = sign_in(&s, "ana@esperanza.org", "ana's first password here", "el río baja despacio entre piedras").await;

    let (code, page) = get(&ana, &s, "/import").await;
    assert_eq!(code, StatusCode::OK);
    assert!(page.contains("id=\"nav-import\""), "supervisors see the link");
    assert!(page.contains("Importar personas desde una hoja de cálculo"));
    let form = between(&page, "<form method=\"post\" action=\"/import\"", "</form>");
    assert!(form.contains("enctype=\"multipart/form-data\"") && form.contains("<label for=\"file\">"));
    assert!(form.find("csrf_token").unwrap() < form.find("name=\"file\"").unwrap());
    assert!(!page.contains("<script"), "no JavaScript");

    // A file whose headers need a mapping, with a bad date on line 3.
    let bad = "Nombre,Apellido,Nacimiento\nMaría,Hernández,05/03/2001\nJuan,Pérez,31/02/1999\n";
    let r = upload(&ana, &s, &page, "personas.csv", bad.as_bytes().to_vec()).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mapping_url = location(&r);
    assert!(mapping_url.starts_with("/import/"));
    let (code, mapping) = get(&ana, &s, &mapping_url).await;
    assert_eq!(code, StatusCode::OK);
    assert!(mapping.contains("<label for=\"col_0\">Nombre</label>") && mapping.contains("Dejar fuera esta columna"));
    let preview_url = format!("{mapping_url}/preview");
    let columns = [("col_0", "given_name"), ("col_1", "family_name"), ("col_2", "birth_date")];
    let r = post(&ana, &s, &preview_url, &mapping, &columns).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let preview = r.text().await.unwrap();
    assert!(preview.contains("<td>3</td><td>Nacimiento</td>"), "{preview}");
    assert!(preview.contains("línea 3, columna “Nacimiento”"), "{preview}");
    assert!(preview.contains("id=\"import-blocked\"") && !preview.contains("id=\"import-confirm\""));
    // A confirmation sent anyway imports nothing.
    let r = post(&ana, &s, &format!("{mapping_url}/confirm"), &preview, &columns).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (_, search) = get(&ana, &s, "/cases").await;
    assert!(!search.contains("Hernández"));

    // The same file without the bad row: preview, then confirm.
    let (_, page) = get(&ana, &s, "/import").await;
    let good = bad.replace("31/02/1999", "01/02/1999");
    let r = upload(&ana, &s, &page, "personas.csv", good.into_bytes()).await;
    let mapping_url = location(&r);
    let (_, mapping) = get(&ana, &s, &mapping_url).await;
    let r = post(&ana, &s, &format!("{mapping_url}/preview"), &mapping, &columns).await;
    assert_eq!(r.status(), StatusCode::OK);
    let preview = r.text().await.unwrap();
    assert!(preview.contains("Importar 2 personas"), "{preview}");
    let r = post(&ana, &s, &format!("{mapping_url}/confirm"), &preview, &columns).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/import?imported=2&skipped=0");
    let (_, done) = get(&ana, &s, "/import?imported=2&skipped=0").await;
    assert!(done.contains("Se importaron 2 personas."));
    // The held file is gone once imported.
    let (code, _) = get(&ana, &s, &mapping_url).await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    // Uploading it again: both rows are flagged as possible duplicates.
    let (_, page) = get(&ana, &s, "/import").await;
    let r = upload(&ana, &s, &page, "personas.csv", bad.replace("31/02/1999", "01/02/1999").into_bytes()).await;
    let mapping_url = location(&r);
    let (_, mapping) = get(&ana, &s, &mapping_url).await;
    let preview = post(&ana, &s, &format!("{mapping_url}/preview"), &mapping, &columns).await.text().await.unwrap();
    let dups = between(&preview, "<table class=\"data-table\" id=\"import-duplicates\">", "</table>");
    assert!(dups.contains("<tr><td>2</td><td>1</td>") && dups.contains("<tr><td>3</td><td>1</td>"), "{dups}");

    // A case manager neither sees the link nor opens the page; nor the supervisor's upload.
    let cm = sign_in(&s, "cm@esperanza.org", "cm's first password here", "the slow river runs between stones").await;
    let (_, home) = get(&cm, &s, "/").await;
    assert!(!home.contains("id=\"nav-import\""));
    let (code, _) = get(&cm, &s, "/import").await;
    assert_eq!(code, StatusCode::FORBIDDEN);
    let (code, _) = get(&cm, &s, &mapping_url).await;
    assert_eq!(code, StatusCode::FORBIDDEN);

    // Administrators may import too.
    let admin = sign_in_with_mfa(&s, ADMIN, PASSWORD).await;
    let (code, page) = get(&admin, &s, "/import").await;
    assert_eq!(code, StatusCode::OK);
    assert!(page.contains("id=\"nav-import\""));

    // In English, for a supervisor who reads English.
    let bea = sign_in(&s, "bea@esperanza.org", "bea's first password here", "a quiet harbour under grey skies").await;
    let (_, page) = get(&bea, &s, "/import").await;
    assert!(page.contains("Import people from a spreadsheet"));
    let r = upload(&bea, &s, &page, "x.csv", b"given_name,birth_date\nLuz,ayer\n".to_vec()).await;
    let mapping_url = location(&r);
    let (_, mapping) = get(&bea, &s, &mapping_url).await;
    assert!(mapping.contains("Leave this column out"));
    let r = post(
        &bea,
        &s,
        &format!("{mapping_url}/preview"),
        &mapping,
        &[("col_0", "given_name"), ("col_1", "birth_date")],
    )
    .await;
    let preview = r.text().await.unwrap();
    assert!(preview.contains("line 2, column “birth_date”"), "{preview}");
    // Someone else's upload is not found for another importer.
    let (code, _) = get(&ana, &s, &mapping_url).await;
    assert_eq!(code, StatusCode::NOT_FOUND);
}
