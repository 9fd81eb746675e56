//! Documents through the real `amparo` binary over real HTTP on loopback: uploads through the
//! page form (multipart, CSRF) and the API, downloads as attachments without photo metadata,
//! refused types and sizes, who may open what, the audit trail, nothing readable on disk, and
//! erasure. The API scenario runs on SQLite and, when `AMPARO_TEST_POSTGRES_URL` is set, on a
//! fresh PostgreSQL database.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;
#[allow(unused_imports)]
use support::*;

use std::path::Path;

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

const ORG: &str = "Refugio Esperanza";
const OTHER_ORG: &str = "Casa Otra";
/// Every server here accepts documents up to 1 MiB.
const LIMIT: &[(&str, &str)] = &[("AMPARO_MAX_DOCUMENT_MB", "1")];
const MIB: usize = 1024 * 1024;

// ----- files, built byte by byte

/// A JPEG marker segment.
fn seg(marker: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![0xff, marker];
    out.extend_from_slice(&u16::try_from(contents.len() + 2).unwrap().to_be_bytes());
    out.extend_from_slice(contents);
    out
}

/// The GPS coordinates as EXIF stores them (six rationals: 19°25'30" N, 99°8'10" W).
fn gps_rationals() -> Vec<u8> {
    [(19u32, 1u32), (25, 1), (3000, 100), (99, 1), (8, 1), (1000, 100)]
        .iter()
        .flat_map(|(n, d)| [n.to_le_bytes(), d.to_le_bytes()].concat())
        .collect()
}

/// An EXIF APP1 payload whose IFD0 points to a GPS IFD holding the coordinates above.
fn exif_with_gps() -> Vec<u8> {
    let mut t = b"Exif\0\0II*\0".to_vec();
    t.extend_from_slice(&8u32.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&kind.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value);
    };
    t.extend_from_slice(&1u16.to_le_bytes());
    entry(&mut t, 0x8825, 4, 1, 26u32.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(&4u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, *b"N\0\0\0");
    entry(&mut t, 0x0002, 5, 3, 80u32.to_le_bytes());
    entry(&mut t, 0x0003, 2, 2, *b"W\0\0\0");
    entry(&mut t, 0x0004, 5, 3, 104u32.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(&gps_rationals());
    t
}

/// A phone photo: (the bytes a download must give back exactly, the file as taken, with
/// EXIF GPS, XMP, a comment and an appended motion-photo video).
fn photo_with_gps() -> (Vec<u8>, Vec<u8>) {
    let jfif = seg(0xe0, b"JFIF\0\x01\x02\0\0\x01\0\x01\0\0");
    let icc = seg(0xe2, b"ICC_PROFILE\0\x01\x01pretend-this-is-an-icc-colour-profile");
    let picture = [
        seg(0xdb, &[[0u8].as_slice(), &[1; 64]].concat()),
        seg(0xc0, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0]),
        seg(0xc4, &[[0u8].as_slice(), &[1], &[0; 15], &[0]].concat()),
        seg(0xda, &[1, 1, 0, 0, 0x3f, 0]),
        vec![0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78, 0xff, 0xd9],
    ]
    .concat();
    let kept = [&[0xff, 0xd8][..], &jfif, &icc, &picture].concat();
    let taken = [
        &[0xff, 0xd8][..],
        &jfif,
        &seg(0xe1, &exif_with_gps()),
        &seg(0xe1, b"http://ns.adobe.com/xap/1.0/\0<exif:GPSLatitude>19,25.5N</exif:GPSLatitude>"),
        &icc,
        &seg(0xfe, b"Calle 5 de Mayo"),
        &picture,
        b"\0\0\0\x18ftypmp42\xa9xyz+19.4326-099.1332/",
    ]
    .concat();
    (kept, taken)
}

/// A small PDF with `text` in its content stream, padded with a comment to `len` bytes.
fn pdf(text: &str, len: usize) -> Vec<u8> {
    let head = format!(
        "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n2 0 obj\n<< /Length 40 >>\nstream\nBT ({text}) Tj ET\nendstream\nendobj\n%"
    );
    let tail = "\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
    let pad = len.saturating_sub(head.len() + tail.len());
    [head.as_bytes(), &vec![b'x'; pad], tail.as_bytes()].concat()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn file_part(bytes: Vec<u8>, name: &str, mime: &str) -> Part {
    Part::bytes(bytes).file_name(name.to_owned()).mime_str(mime).unwrap()
}

// ----- an installation

// The command line, users and their tokens: `support::{cli, api_user}`.
use support::{ApiUser as User, api_user as add_user};

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { files(&path, out) } else { out.push(path) }
    }
}

/// Every place in the data directory where one of `canaries` is found as bytes.
fn canaries_on_disk(dir: &Path, canaries: &[&str]) -> Vec<String> {
    let mut all = Vec::new();
    files(dir, &mut all);
    assert!(all.iter().any(|p| p.ends_with("amparo.sqlite3")), "{all:?}");
    let mut found = Vec::new();
    for path in all {
        let bytes = std::fs::read(&path).unwrap();
        for c in canaries {
            if contains(&bytes, c.as_bytes()) {
                found.push(format!("{c} in {}", path.display()));
            }
        }
    }
    found
}

// ----- the pages

#[tokio::test]
async fn documents_on_the_person_and_case_pages_without_javascript() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir, &[]);
    let lucia_password = "primera contraseña de lucía";
    cli(
        &dir,
        &[],
        &[
            "user",
            "add",
            "--email",
            "lucia@esperanza.org",
            "--role",
            "case_manager",
            "--language",
            "es",
            "--password-stdin",
        ],
        &format!("{lucia_password}\n"),
    );
    cli(
        &dir,
        &[],
        &[
            "user",
            "add",
            "--email",
            "ana@esperanza.org",
            "--role",
            "supervisor",
            "--language",
            "en",
            "--password-stdin",
        ],
        "ana's first password here\n",
    );
    let s = serve(&dir, &[], LIMIT);
    let lucia = sign_in(&s, "lucia@esperanza.org", lucia_password, "el río baja despacio entre piedras").await;

    // A person, and a case for them.
    let (_, intake) = get(&lucia, &s, "/intake").await;
    let r = post(&lucia, &s, "/intake", &intake, &[("alias", "Xóchitl"), ("primary_language", "es")]).await;
    let person = id_in(&location(&r), "/persons/");
    let (_, page) = get(&lucia, &s, &format!("/persons/{person}")).await;
    let r = post(&lucia, &s, &format!("/persons/{person}/cases"), &page, &[]).await;
    let case = id_in(&location(&r), "/cases/");

    // The person page has the section and a multipart form, CSRF token first.
    let (code, page) = get(&lucia, &s, &format!("/persons/{person}")).await;
    assert_eq!(code, StatusCode::OK);
    assert!(page.contains("<h2 id=\"documents\">Documentos</h2>") && page.contains("id=\"documents-none\""));
    let form = between(&page, "<h3 id=\"add-document\"", "</form>");
    assert!(form.contains("enctype=\"multipart/form-data\"") && form.contains("type=\"file\""), "{form}");
    assert!(form.find("csrf_token").unwrap() < form.find("name=\"file\"").unwrap(), "the token comes first");
    assert!(form.contains("<label for=\"file\">") && form.contains("<label for=\"kind\">"));
    assert!(form.contains("<label for=\"title\">") && form.contains("<label for=\"case_id\">"));
    assert!(form.contains("Fotografía") && form.contains("Identificación") && form.contains("hasta 1 MB"));
    let csrf = csrf_of(&page);
    let upload = |csrf: &str, kind: &str, title: &str, file: Part| {
        Form::new()
            .text("csrf_token", csrf.to_owned())
            .text("kind", kind.to_owned())
            .text("title", title.to_owned())
            .part("file", file)
    };
    let to_person = s.url(&format!("/persons/{person}/documents"));

    // A photo with GPS EXIF, through the form.
    let (kept, taken) = photo_with_gps();
    let form = upload(&csrf, "photo", "Foto del acta", file_part(taken.clone(), "IMG_0001.jpg", "image/jpeg"));
    let r = lucia.post(&to_person).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.text().await);
    assert_eq!(location(&r), format!("/persons/{person}?done=document#documents"));
    let (_, page) = get(&lucia, &s, &format!("/persons/{person}?done=document")).await;
    assert!(page.contains("Se agregó el documento"), "the notice");
    let table = between(&page, "<table class=\"data-table\" id=\"documents-table\">", "</table>");
    assert!(table.contains("Foto del acta") && table.contains("IMG_0001.jpg") && table.contains("Fotografía"));
    assert!(table.contains("Foto JPEG") && table.contains(&format!("{} B", kept.len())), "{table}");
    let doc = between(table, "href=\"/documents/", "\"").to_owned();

    // The download: the stripped bytes, as an attachment with a neutral name.
    let r = lucia.get(s.url(&format!("/documents/{doc}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "image/jpeg");
    assert_eq!(h["content-disposition"], format!("attachment; filename=\"document-{}.jpg\"", &doc[..8]).as_str());
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["cache-control"], "no-store");
    assert!(h["content-security-policy"].to_str().unwrap().contains("default-src 'none'"));
    let body = r.bytes().await.unwrap();
    assert_eq!(body.as_ref(), kept.as_slice(), "the picture, byte for byte, without its metadata");
    for gone in [b"Exif\0\0".as_slice(), &gps_rationals(), b"GPSLatitude", b"Calle 5 de Mayo", b"ftypmp42"] {
        assert!(!contains(&body, gone), "{:?} left in the download", String::from_utf8_lossy(gone));
    }

    // Refused: a web page renamed .jpg (422), a title too long (422), both with what was
    // typed and the message next to the field.
    let html = b"<!doctype html><script>alert(document.cookie)</script>".to_vec();
    let form = upload(&csrf, "legal", "Carta de la fiscalía", file_part(html, "carta.jpg", "image/jpeg"));
    let r = lucia.post(&to_person).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = r.text().await.unwrap();
    assert!(again.contains("id=\"file-error\"") && again.contains("no es una foto (JPEG, PNG o WebP) ni un PDF"));
    assert!(again.contains("value=\"Carta de la fiscalía\"") && again.contains("<option value=\"legal\" selected>"));
    assert!(again.contains("href=\"#file\"") && again.contains("id=\"choose-again\""));
    let long = "x".repeat(201);
    let form = upload(&csrf, "photo", &long, file_part(kept.clone(), "a.jpg", "image/jpeg"));
    let r = lucia.post(&to_person).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("id=\"title-error\""));

    // Too large: over the limit (413, said in the reader's language), and over the body
    // limit itself.
    let big = pdf("grande", MIB + 1);
    let form = upload(&csrf, "legal", "Expediente completo", file_part(big, "todo.pdf", "application/pdf"));
    let r = lucia.post(&to_person).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let again = r.text().await.unwrap();
    assert!(again.contains("id=\"file-error\"") && again.contains("El archivo es demasiado grande"));
    assert!(again.contains("value=\"Expediente completo\""));
    let huge = pdf("enorme", MIB + MIB / 2);
    let form = upload(&csrf, "legal", "Otro", file_part(huge, "todo.pdf", "application/pdf"));
    let r = lucia.post(&to_person).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().await.unwrap().contains("El archivo es demasiado grande"));

    // CSRF: without the token, with another token, or from another site: 403, nothing stored.
    for form in [
        Form::new()
            .text("kind", "photo")
            .text("title", "x")
            .part("file", file_part(kept.clone(), "a.jpg", "image/jpeg")),
        upload("not-the-token", "photo", "x", file_part(kept.clone(), "a.jpg", "image/jpeg")),
    ] {
        let r = lucia.post(&to_person).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    let form = upload(&csrf, "photo", "x", file_part(kept.clone(), "a.jpg", "image/jpeg"));
    let r = lucia.post(&to_person).header("sec-fetch-site", "cross-site").multipart(form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, page) = get(&lucia, &s, &format!("/persons/{person}")).await;
    assert_eq!(page.matches("class=\"document-download\"").count(), 1, "still one document");

    // On the case page: a signed consent, attached to the case, back to the case page.
    let (code, case_page) = get(&lucia, &s, &format!("/cases/{case}")).await;
    assert_eq!(code, StatusCode::OK);
    assert!(case_page.contains("<h2 id=\"documents\">Documentos</h2>"));
    assert!(
        case_page.contains(&format!("name=\"case_id\" value=\"{case}\""))
            && case_page.contains("name=\"from\" value=\"case\"")
    );
    let form = upload(
        &csrf_of(&case_page),
        "signed_consent",
        "Consentimiento firmado",
        file_part(pdf("firmado", 2000), "consentimiento.pdf", "application/pdf"),
    )
    .text("case_id", case.clone())
    .text("from", "case");
    let r = lucia.post(&to_person).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.text().await);
    assert_eq!(location(&r), format!("/cases/{case}?done=document#documents"));
    let (_, case_page) = get(&lucia, &s, &format!("/cases/{case}")).await;
    let table = between(&case_page, "id=\"documents-table\">", "</table>");
    assert!(table.contains("Consentimiento firmado") && table.contains("PDF") && !table.contains("Foto del acta"));
    let consent = between(table, "href=\"/documents/", "\"").to_owned();
    let (_, page) = get(&lucia, &s, &format!("/persons/{person}")).await;
    assert_eq!(page.matches("class=\"document-download\"").count(), 2, "both, the case's too");

    // Deleting asks first; then the file is gone.
    let (code, confirm) = get(&lucia, &s, &format!("/documents/{consent}/delete?from=case")).await;
    assert_eq!(code, StatusCode::OK);
    assert!(confirm.contains("¿Eliminar este documento?") && confirm.contains("Consentimiento firmado"));
    let r = post(&lucia, &s, &format!("/documents/{consent}/delete"), &confirm, &[("from", "case")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/cases/{case}?done=document_deleted#documents"));
    let (code, _) = get(&lucia, &s, &format!("/documents/{consent}")).await;
    assert_eq!(code, StatusCode::NOT_FOUND);

    // In English for an English-speaking supervisor.
    let ana = sign_in(&s, "ana@esperanza.org", "ana's first password here", "the harbour lights come on at dusk").await;
    let (_, page) = get(&ana, &s, &format!("/persons/{person}")).await;
    assert!(page.contains("<h2 id=\"documents\">Documents</h2>") && page.contains("Foto del acta"));
    assert!(page.contains(">Photo<") && page.contains("JPEG photo") && page.contains("up to 1 MB"));
    let r = ana.get(s.url(&format!("/documents/{doc}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.unwrap().as_ref(), kept.as_slice());

    // Nothing identifying went into a log line.
    for line in s.printed() {
        assert!(!line.contains("Foto del acta") && !line.contains("IMG_0001"), "{line}");
    }
}

// ----- the API, on each backend

async fn call(
    http: &reqwest::Client,
    s: &Server,
    method: reqwest::Method,
    who: &User,
    path: &str,
) -> (StatusCode, Value) {
    let r = http.request(method, s.url(path)).bearer_auth(&who.token).send().await.unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn upload_api(
    http: &reqwest::Client,
    s: &Server,
    who: &User,
    person: &str,
    kind: &str,
    title: &str,
    file: Part,
) -> (StatusCode, Value) {
    let form = Form::new().text("kind", kind.to_owned()).text("title", title.to_owned()).part("file", file);
    let r = http
        .post(s.url(&format!("/api/v1/persons/{person}/documents")))
        .bearer_auth(&who.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn api_scenario(dir: &Path, envs: &[(&str, &str)], backend: &str) {
    init(dir, envs);
    let s = serve(dir, &[], envs);
    let cm = add_user(dir, envs, ORG, "lucia@esperanza.org", "case_manager");
    let clin = add_user(dir, envs, ORG, "carla@esperanza.org", "clinician");
    cli(
        dir,
        envs,
        &["org", "add", "--name", OTHER_ORG, "--admin-email", "admin@otra.org", "--admin-password-stdin"],
        "otra frase larga para la otra casa\n",
    );
    let other = add_user(dir, envs, OTHER_ORG, "olga@otra.org", "case_manager");
    let http = reqwest::Client::new();

    let r = http
        .post(s.url("/api/v1/persons"))
        .bearer_auth(&cm.token)
        .json(&json!({ "alias": "Rosa" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED, "{backend}");
    let person = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let r = http
        .post(s.url("/api/v1/cases"))
        .bearer_auth(&cm.token)
        .json(&json!({ "person_id": person, "team": [cm.id, clin.id] }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED, "{backend}");

    // An identity document (a PDF with a canary inside, a canary title and file name) and a
    // medical letter.
    let canaries = ["CANARIO-PDF-9X4QZ", "CANARIO-TITULO-7Q2WM", "CANARIO-NOMBRE-3K8TP"];
    let id_pdf = pdf(canaries[0], 4000);
    let (st, v) = upload_api(
        &http,
        &s,
        &cm,
        &person,
        "identity_document",
        canaries[1],
        file_part(id_pdf.clone(), &format!("{}.pdf", canaries[2]), "application/octet-stream"),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{backend}: {v}");
    assert_eq!(v["kind"], "identity_document");
    assert_eq!(v["content_type"], "application/pdf", "sniffed, not the sender's word");
    assert_eq!(v["size"], id_pdf.len());
    let identity = v["id"].as_str().unwrap().to_owned();
    let (st, v) = upload_api(
        &http,
        &s,
        &cm,
        &person,
        "medical",
        "Constancia médica",
        file_part(pdf("constancia", 1500), "c.pdf", "application/pdf"),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{backend}: {v}");
    let medical = v["id"].as_str().unwrap().to_owned();

    // Refused: types by content, sizes, kinds, cases.
    let zip = [b"PK\x03\x04\x14\x00\x00\x00\x08\x00".as_slice(), &[0; 60]].concat();
    let (st, v) =
        upload_api(&http, &s, &cm, &person, "legal", "x", file_part(zip, "carta.pdf", "application/pdf")).await;
    assert_eq!(
        (st, v.clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!({ "error": "document_type_not_allowed", "field": "file" })),
        "{backend}"
    );
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec();
    let (st, _) = upload_api(&http, &s, &cm, &person, "photo", "x", file_part(svg, "foto.png", "image/png")).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{backend}");
    let (st, v) =
        upload_api(&http, &s, &cm, &person, "legal", "x", file_part(pdf("x", MIB + 1), "a.pdf", "application/pdf"))
            .await;
    assert_eq!((st, v["error"].clone()), (StatusCode::PAYLOAD_TOO_LARGE, json!("document_too_large")), "{backend}");
    let (st, v) =
        upload_api(&http, &s, &cm, &person, "passport", "x", file_part(pdf("x", 500), "a.pdf", "application/pdf"))
            .await;
    assert_eq!((st, v["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("kind")), "{backend}");
    let (st, v) =
        upload_api(&http, &s, &cm, &person, "legal", "x", file_part(Vec::new(), "a.pdf", "application/pdf")).await;
    assert_eq!((st, v["error"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("document_empty")), "{backend}");
    let r = http
        .post(s.url(&format!("/api/v1/persons/{person}/documents")))
        .bearer_auth(&cm.token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{backend}");

    // The case manager lists both and downloads the PDF as it was sent.
    let (st, v) = call(&http, &s, reqwest::Method::GET, &cm, &format!("/api/v1/persons/{person}/documents")).await;
    assert_eq!(st, StatusCode::OK, "{backend}");
    let listed: Vec<&str> = v["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(listed, vec![medical.as_str(), identity.as_str()], "{backend}: newest first");
    assert_eq!(v["items"][1]["title"], canaries[1]);
    assert_eq!(v["items"][1]["file_name"], format!("{}.pdf", canaries[2]));
    let r = http.get(s.url(&format!("/api/v1/documents/{identity}"))).bearer_auth(&cm.token).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{backend}");
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(
        r.headers()["content-disposition"],
        format!("attachment; filename=\"document-{}.pdf\"", &identity[..8]).as_str()
    );
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(r.bytes().await.unwrap().as_ref(), id_pdf.as_slice(), "{backend}");

    // A clinician on the team sees the medical letter, not the identity document.
    let (st, v) = call(&http, &s, reqwest::Method::GET, &clin, &format!("/api/v1/persons/{person}/documents")).await;
    assert_eq!(st, StatusCode::OK, "{backend}");
    let seen: Vec<&str> = v["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(seen, vec![medical.as_str()], "{backend}");
    let (st, v) = call(&http, &s, reqwest::Method::GET, &clin, &format!("/api/v1/documents/{identity}")).await;
    assert_eq!((st, v), (StatusCode::FORBIDDEN, json!({ "error": "forbidden" })), "{backend}");
    let r = http.get(s.url(&format!("/api/v1/documents/{medical}"))).bearer_auth(&clin.token).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{backend}");
    let (st, _) = call(&http, &s, reqwest::Method::DELETE, &clin, &format!("/api/v1/documents/{identity}")).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{backend}");
    let (st, _) = upload_api(
        &http,
        &s,
        &clin,
        &person,
        "identity_document",
        "x",
        file_part(pdf("x", 500), "a.pdf", "application/pdf"),
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{backend}: a clinician adds no identity documents");

    // Another organisation: not found, whatever it tries.
    for (method, path) in [
        (reqwest::Method::GET, format!("/api/v1/documents/{identity}")),
        (reqwest::Method::DELETE, format!("/api/v1/documents/{identity}")),
        (reqwest::Method::GET, format!("/api/v1/persons/{person}/documents")),
    ] {
        let (st, v) = call(&http, &s, method, &other, &path).await;
        assert_eq!((st, v), (StatusCode::NOT_FOUND, json!({ "error": "not_found" })), "{backend}: {path}");
    }
    let (st, _) =
        upload_api(&http, &s, &other, &person, "photo", "x", file_part(photo_with_gps().0, "a.jpg", "image/jpeg"))
            .await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{backend}");

    // The audit trail: uploads and downloads, with ids and codes, never a title.
    let (st, v) = call(&http, &s, reqwest::Method::GET, &cm, &format!("/api/v1/persons/{person}/access-log")).await;
    assert_eq!(st, StatusCode::OK, "{backend}");
    let entries = v["items"].as_array().unwrap();
    let count =
        |code: &str, outcome: &str| entries.iter().filter(|e| e["code"] == code && e["outcome"] == outcome).count();
    assert_eq!(count("document.upload", "ok"), 2, "{backend}: {v}");
    assert_eq!(count("document.download", "ok"), 2, "{backend}");
    assert!(count("document.download", "denied") >= 1 && count("document.upload", "denied") >= 1, "{backend}");
    assert!(entries.iter().any(|e| e["detail"] == format!("document.{identity}.identity_document")), "{backend}");
    assert!(!v.to_string().contains("CANARIO"), "{backend}: no title or file name in the audit log");
    let said = cli(dir, envs, &["audit", "verify"], "");
    assert!(said.starts_with("audit chain intact"), "{backend}: {said}");

    // At rest: not a canary anywhere (SQLite: database and WAL; PostgreSQL: the columns).
    if backend == "sqlite" {
        let found = canaries_on_disk(dir, &canaries);
        assert!(found.is_empty(), "plaintext on disk: {found:?}");
    } else if let Some((_, url)) = envs.iter().find(|(k, _)| *k == "AMPARO_DATABASE_URL") {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        let rows: Vec<(Vec<u8>, Vec<u8>)> =
            sqlx::query_as("SELECT meta, content FROM documents").fetch_all(&pool).await.unwrap();
        assert_eq!(rows.len(), 2);
        for (meta, content) in rows {
            for c in canaries {
                assert!(!contains(&meta, c.as_bytes()) && !contains(&content, c.as_bytes()), "{c} stored in clear");
            }
        }
        pool.close().await;
    }
    for line in s.printed() {
        assert!(!line.contains("CANARIO"), "{backend}: {line}");
    }

    // Delete one; erase the person: the rest is gone too.
    let (st, _) = call(&http, &s, reqwest::Method::DELETE, &cm, &format!("/api/v1/documents/{medical}")).await;
    assert_eq!(st, StatusCode::NO_CONTENT, "{backend}");
    let (st, _) = call(&http, &s, reqwest::Method::GET, &cm, &format!("/api/v1/documents/{medical}")).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{backend}");
    let said = cli(dir, envs, &["erase", "--person", &person, "--reason", "solicitud de la persona"], "");
    assert!(said.contains("erased person"), "{backend}: {said}");
    let (st, _) = call(&http, &s, reqwest::Method::GET, &cm, &format!("/api/v1/documents/{identity}")).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{backend}: gone with the person");
    let (st, v) = call(&http, &s, reqwest::Method::GET, &cm, &format!("/api/v1/persons/{person}/documents")).await;
    assert_eq!((st, v), (StatusCode::GONE, json!({ "error": "gone" })), "{backend}");

    // Every document route is in the OpenAPI document.
    let (st, doc) = call(&http, &s, reqwest::Method::GET, &cm, "/api/openapi.json").await;
    assert_eq!(st, StatusCode::OK);
    for (p, methods) in
        [("/api/v1/persons/{id}/documents", &["get", "post"][..]), ("/api/v1/documents/{id}", &["get", "delete"])]
    {
        for m in methods {
            assert!(doc["paths"][p][m].is_object(), "{m} {p} missing from the OpenAPI document");
        }
    }
    let upload_body = &doc["paths"]["/api/v1/persons/{id}/documents"]["post"]["requestBody"]["content"];
    assert!(upload_body["multipart/form-data"].is_object(), "{upload_body}");
}

#[tokio::test]
async fn documents_through_the_api_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    api_scenario(&tmp.path().join("data"), LIMIT, "sqlite").await;
}

#[tokio::test]
async fn documents_through_the_api_on_postgres() {
    let Ok(base) = std::env::var("AMPARO_TEST_POSTGRES_URL") else {
        eprintln!("skipping PostgreSQL: AMPARO_TEST_POSTGRES_URL not set");
        return;
    };
    let admin = sqlx::PgPool::connect(&base).await.unwrap();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let db = format!("amparo_documents_{}_{}", std::process::id(), nanos % 1_000_000_000_000);
    sqlx::query(&format!("CREATE DATABASE {db}")).execute(&admin).await.unwrap();
    let (head, tail) = base.rsplit_once('/').expect("a database in the URL");
    let query = tail.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    let url = format!("{head}/{db}{query}");
    let envs = [LIMIT[0], ("AMPARO_DATABASE_URL", url.as_str())];
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    api_scenario(&dir, &envs, "postgres").await;
    assert!(!dir.join("amparo.sqlite3").exists(), "PostgreSQL was used, not SQLite");
    let _ = sqlx::query(&format!("DROP DATABASE {db} WITH (FORCE)")).execute(&admin).await;
}
