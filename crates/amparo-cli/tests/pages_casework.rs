//! The case-work pages over real HTTP, without JavaScript, in Spanish and in English: the
//! forms of every kind of entry (CSRF, validation next to the field, a stale version), the
//! case page's sections by role, the audited reveal of restricted numbers, the timeline,
//! tasks, the dashboard and the calendar download. A separate binary from `server.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod support;
#[allow(unused_imports)]
use support::*;

use std::path::Path;

use chrono::{Duration, NaiveDate};
use reqwest::StatusCode;

fn add_user(dir: &Path, envs: &[(&str, &str)], email: &str, name: &str, role: &str, language: &str, password: &str) {
    let mut c = amparo();
    c.envs(envs.iter().copied());
    c.args(["user", "add", "--data-dir"]).arg(dir).args([
        "--email",
        email,
        "--name",
        name,
        "--role",
        role,
        "--language",
        language,
        "--password-stdin",
    ]);
    ok(&run(c, &format!("{password}\n")));
}

/// The words each language's pages use where the test looks for them.
struct Words {
    lang: &'static str,
    alias: &'static str,
    accompaniment: &'static str,
    unknown_code: &'static str,
    date_malformed: &'static str,
    renewal: &'static str,
    overdue: &'static str,
    appointment_reminder: &'static str,
    supervisor_scope: &'static str,
}

const ES: Words = Words {
    lang: "es",
    alias: "Xóchitl",
    accompaniment: "Acompañamiento",
    unknown_code: "Elija una opción de la lista",
    date_malformed: "Por favor escriba la fecha como año-mes-día",
    renewal: "Presencia Continuada: pedir la renovación",
    overdue: "Atrasada",
    appointment_reminder: "Recordatorio de cita",
    supervisor_scope: "Todos los casos de la organización",
};

const EN: Words = Words {
    lang: "en",
    alias: "Grace",
    accompaniment: "Accompaniment",
    unknown_code: "Please choose from the list",
    date_malformed: "Please enter a date as year-month-day",
    renewal: "Continued Presence: ask for renewal",
    overdue: "Overdue",
    appointment_reminder: "Appointment reminder",
    supervisor_scope: "All of the organisation’s cases",
};

fn day(today: NaiveDate, offset: i64) -> String {
    (today + Duration::days(offset)).to_string()
}

/// Where `needle` first appears in `page` (it must).
fn at(page: &str, needle: &str) -> usize {
    page.find(needle).unwrap_or_else(|| panic!("{needle:?} not in the page"))
}

/// The value of the `value` attribute just before `label` (a checkbox before its label).
fn value_before<'a>(page: &'a str, label: &str) -> &'a str {
    let i = at(page, label);
    let before = &page[..i];
    let v = before.rfind("value=\"").expect("a value before the label") + "value=\"".len();
    before[v..].split('"').next().unwrap()
}

/// The value of the first team checkbox that is ticked (the colleagues are all listed).
fn checked_team_member(page: &str) -> &str {
    page.split("name=\"team\" value=\"")
        .skip(1)
        .find_map(|rest| rest.split_once('"').filter(|(_, after)| after.starts_with(" checked")).map(|(v, _)| v))
        .expect("a ticked team member")
}

/// The first `/entries/{id}/edit` link inside the element with `id`.
fn edit_link_in(page: &str, id: &str) -> String {
    let section = between(page, &format!("id=\"{id}\""), "</section>");
    format!("/entries/{}/edit", between(section, "href=\"/entries/", "/edit\""))
}

async fn post_ok(http: &reqwest::Client, s: &Server, path: &str, page: &str, fields: &[(&str, &str)]) -> String {
    let r = post(http, s, path, page, fields).await;
    let status = r.status();
    let to = location(&r);
    assert_eq!(status, StatusCode::SEE_OTHER, "{path}: {}", r.text().await.unwrap());
    to
}

/// One installation, on the backend `envs` choose, a case manager, a clinician and a
/// supervisor per language; the scenario runs in Spanish, then in English.
async fn both_languages(dir: &Path, envs: &[(&str, &str)]) {
    init(dir, envs);
    for w in [&ES, &EN] {
        let l = w.lang;
        let users = [
            ("cm", "Gestora", "case_manager", "first password one"),
            ("cl", "Clara", "clinician", "first password two"),
            ("sup", "Sara", "supervisor", "first password three"),
        ];
        for (who, name, role, password) in users {
            add_user(dir, envs, &format!("{who}-{l}@esperanza.org"), &format!("{name} {l}"), role, l, password);
        }
    }
    let s = serve(dir, &[], envs);
    for w in [&ES, &EN] {
        scenario(&s, w).await;
    }
}

#[tokio::test]
async fn case_work_pages_work_end_to_end_in_both_languages_on_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    both_languages(&tmp.path().join("data"), &[]).await;
}

#[tokio::test]
async fn case_work_pages_work_end_to_end_in_both_languages_on_postgres() {
    let Ok(base) = std::env::var("AMPARO_TEST_POSTGRES_URL") else {
        eprintln!("skipping PostgreSQL: AMPARO_TEST_POSTGRES_URL not set");
        return;
    };
    let admin = sqlx::PgPool::connect(&base).await.unwrap();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let db = format!("amparo_casework_pages_{}_{}", std::process::id(), nanos % 1_000_000_000_000);
    sqlx::query(&format!("CREATE DATABASE {db}")).execute(&admin).await.unwrap();
    let (head, tail) = base.rsplit_once('/').expect("a database in the URL");
    let query = tail.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    let url = format!("{head}/{db}{query}");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    both_languages(&dir, &[("AMPARO_DATABASE_URL", url.as_str())]).await;
    assert!(!dir.join("amparo.sqlite3").exists(), "PostgreSQL was used, not SQLite");
    let _ = sqlx::query(&format!("DROP DATABASE {db} WITH (FORCE)")).execute(&admin).await;
}

async fn scenario(s: &Server, w: &Words) {
    let l = w.lang;
    eprintln!("[{l}] case manager");
    let cm =
        sign_in(s, &format!("cm-{l}@esperanza.org"), "first password one", "the river runs slowly past stones").await;
    let (_, intake) = get(&cm, s, "/intake").await;
    let r = post(&cm, s, "/intake", &intake, &[("alias", w.alias), ("primary_language", l)]).await;
    let person = id_in(&location(&r), "/persons/");
    let (_, page) = get(&cm, s, &format!("/persons/{person}")).await;
    let case_url = post_ok(&cm, s, &format!("/persons/{person}/cases"), &page, &[]).await;
    let case = id_in(&case_url, "/cases/");
    let (code, case_page) = get(&cm, s, &case_url).await;
    assert_eq!(code, StatusCode::OK);
    assert!(case_page.contains(&format!("<html lang=\"{l}\">")));
    let number = between(&case_page, "<span class=\"case-number\" id=\"case-number\">", "<").to_owned();
    for link in [
        "add-assessment",
        "add-goal",
        "add-service",
        "add-appointment",
        "add-milestone",
        "add-legal-relief",
        "add-note",
    ] {
        assert!(case_page.contains(&format!("id=\"{link}\"")), "{l}: {link} on the case page");
    }
    let today = chrono::Utc::now().date_naive();

    // Every kind of entry through its form, with the form's CSRF token.
    let (code, form) = get(&cm, s, &format!("/cases/{case}/goals/new")).await;
    assert_eq!(code, StatusCode::OK, "{form}");
    assert!(form.contains("<legend>") && form.contains("for=\"domain\"") && form.contains("type=\"date\""));
    let target = day(today, 60);
    let goal_to = post_ok(
        &cm,
        s,
        &format!("/cases/{case}/goals"),
        &form,
        &[
            ("domain", "housing"),
            ("text", "goal-words: un cuarto propio"),
            ("language", "es"),
            ("chosen_by_survivor", "1"),
            ("step_text", "step-one: buscar cuartos"),
            ("step_who", "ella misma"),
            ("step_text", ""),
            ("step_who", ""),
            ("target_on", target.as_str()),
            ("status", "open"),
        ],
    )
    .await;
    assert_eq!(goal_to, format!("/cases/{case}?done=entry#goals"));

    let (_, form) = get(&cm, s, &format!("/cases/{case}/services/new")).await;
    let service_day = day(today, -20);
    post_ok(
        &cm,
        s,
        &format!("/cases/{case}/services"),
        &form,
        &[
            ("category", "accompaniment"),
            ("date", service_day.as_str()),
            ("minutes", "45"),
            ("interpreter_used", "1"),
            ("interpreter_language", "nah"),
            ("notes", "service-notes: al juzgado"),
        ],
    )
    .await;

    let (_, form) = get(&cm, s, &format!("/cases/{case}/appointments/new")).await;
    let appointment_day = day(today, 3);
    post_ok(
        &cm,
        s,
        &format!("/cases/{case}/appointments"),
        &form,
        &[
            ("date", appointment_day.as_str()),
            ("time", "10:30"),
            ("place", "court"),
            ("category", "accompaniment"),
            ("purpose", "appointment-purpose: audiencia"),
            ("reminder_days", "1"),
            ("status", "scheduled"),
        ],
    )
    .await;

    let (_, form) = get(&cm, s, &format!("/cases/{case}/milestones/new")).await;
    let milestone_day = day(today, -30);
    post_ok(
        &cm,
        s,
        &format!("/cases/{case}/milestones"),
        &form,
        &[("kind", "bank_account"), ("date", milestone_day.as_str()), ("text", "milestone-words: mi cuenta")],
    )
    .await;

    // Continued Presence expiring in 100 days: its renewal task (120 days before) is overdue.
    let (_, form) = get(&cm, s, &format!("/cases/{case}/legal-relief/new")).await;
    assert!(form.contains("id=\"receipt_number\""));
    let (granted, expires) = (day(today, -200), day(today, 100));
    post_ok(
        &cm,
        s,
        &format!("/cases/{case}/legal-relief"),
        &form,
        &[
            ("kind", "continued_presence"),
            ("status", "granted"),
            ("granted_on", granted.as_str()),
            ("expires_on", expires.as_str()),
            ("receipt_number", "EAC2690012345"),
            ("notes", "relief-notes: renovar a tiempo"),
        ],
    )
    .await;

    let (_, form) = get(&cm, s, &format!("/cases/{case}/notes/new")).await;
    let note_day = day(today, -10);
    post_ok(
        &cm,
        s,
        &format!("/cases/{case}/notes"),
        &form,
        &[
            ("kind", "contact"),
            ("date", note_day.as_str()),
            ("text", "note-text: llamó para confirmar <b>bold</b>"),
            ("language", "es"),
            ("content_note", "1"),
            ("translation", "note-translation: she called to confirm"),
            ("translation_language", "en"),
        ],
    )
    .await;

    let (_, form) = get(&cm, s, &format!("/cases/{case}/assessments/new")).await;
    let assessed = day(today, -25);
    post_ok(
        &cm,
        s,
        &format!("/cases/{case}/assessments"),
        &form,
        &[("date", assessed.as_str()), ("rating_housing", "in_crisis"), ("rating_safety", "stable")],
    )
    .await;

    // The case page shows each entry in its section; the receipt number only masked.
    let (code, page) = get(&cm, s, &case_url).await;
    assert_eq!(code, StatusCode::OK, "{page}");
    for needle in [
        "goal-words: un cuarto propio",
        "step-one: buscar cuartos",
        "ella misma",
        "service-notes",
        w.accompaniment,
        "10:30",
        "appointment-purpose: audiencia",
        "milestone-words: mi cuenta",
        "relief-notes: renovar a tiempo",
        "note-text: llamó para confirmar &#60;b&#62;bold",
        "note-translation: she called to confirm",
        "id=\"needs-table\"",
    ] {
        assert!(page.contains(needle), "{l}: {needle} on the case page");
    }
    assert!(!page.contains("<b>bold</b>"), "notes are escaped");
    assert!(!page.contains("EAC2690012345"), "the receipt number is masked");
    for caption in ["services-table", "appointments-table", "milestones-table"] {
        let table = between(&page, &format!("id=\"{caption}\""), "</table>");
        assert!(table.contains("<caption>") && table.contains("scope=\"col\""), "{caption}");
    }
    // The note with a content note is collapsed, the translation beside it in its language.
    let notes = between(&page, "id=\"notes-section\"", "</section>");
    let details = between(notes, "<details class=\"content-note\">", "</details>");
    assert!(details.contains("<summary>") && details.contains("note-text") && details.contains("lang=\"en\""));
    assert!(!notes.contains("<details class=\"content-note\" open"));

    // "Show numbers" reveals them once, in the POST's answer (audited by the app).
    let reveal = format!("/entries/{}/reveal", between(&page, "action=\"/entries/", "/reveal\""));
    let r = post(&cm, s, &reveal, &page, &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let shown = r.text().await.unwrap();
    assert!(shown.contains("EAC2690012345") && shown.contains("id=\"legal-numbers\""));
    let (_, page) = get(&cm, s, &case_url).await;
    assert!(!page.contains("EAC2690012345"), "shown once, not kept");
    let (_, log) = get(&cm, s, &format!("/persons/{person}/access-log")).await;
    assert!(log.contains("legal_relief.reveal"), "the reveal is in the access log");

    // Changing the relief: the stored number is not put into the form; left empty it stays.
    let edit = edit_link_in(&page, "legal-section");
    let (code, form) = get(&cm, s, &edit).await;
    assert_eq!(code, StatusCode::OK);
    assert!(!form.contains("EAC2690012345") && form.contains("id=\"remove_receipt_number\""));
    assert!(form.contains(&format!("value=\"{expires}\"")) && form.contains("<option value=\"granted\" selected>"));
    let version = between(&form, "name=\"version\" value=\"", "\"").to_owned();
    post_ok(
        &cm,
        s,
        &edit,
        &form,
        &[
            ("version", version.as_str()),
            ("kind", "continued_presence"),
            ("status", "renewal_requested"),
            ("granted_on", granted.as_str()),
            ("expires_on", expires.as_str()),
            ("receipt_number", ""),
            ("notes", "relief-notes: renovar a tiempo"),
        ],
    )
    .await;
    let r = post(&cm, s, &reveal, &page, &[]).await;
    assert!(r.text().await.unwrap().contains("EAC2690012345"), "an empty field keeps the stored number");
    // The goal's form comes back with its steps and who chose it.
    let (_, form) = get(&cm, s, &edit_link_in(&page, "goals-section")).await;
    assert!(form.contains("value=\"step-one: buscar cuartos\"") && form.contains("value=\"ella misma\""));
    assert!(form.contains("id=\"chosen-survivor\" name=\"chosen_by_survivor\" value=\"1\" checked"));

    // The timeline: everything in date order, filterable by kind, printable.
    let (code, timeline) = get(&cm, s, &format!("/cases/{case}/timeline")).await;
    assert_eq!(code, StatusCode::OK, "{timeline}");
    // The relief sits on its latest event (granted 200 days ago), not on a future deadline.
    let order = ["relief-notes", "milestone-words", "service-notes", "note-text", "goal-words", "appointment-purpose"];
    let positions: Vec<usize> = order.iter().map(|n| at(&timeline, n)).collect();
    assert!(positions.windows(2).all(|p| p[0] < p[1]), "{l}: timeline out of date order: {positions:?}");
    assert!(timeline.contains("type=\"checkbox\"") && timeline.contains("method=\"get\""));
    let (_, only_services) = get(&cm, s, &format!("/cases/{case}/timeline?kind=service")).await;
    assert!(only_services.contains("service-notes") && !only_services.contains("note-text"));
    assert!(only_services.contains("value=\"service\" checked"));

    // An unknown category posted by hand: 422, the localised message next to the field,
    // what was typed kept.
    let (_, form) = get(&cm, s, &format!("/cases/{case}/services/new")).await;
    let r = post(
        &cm,
        s,
        &format!("/cases/{case}/services"),
        &form,
        &[("category", "massage"), ("date", service_day.as_str()), ("minutes", "37"), ("notes", "kept-notes")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let back = r.text().await.unwrap();
    assert!(back.contains("id=\"category-error\"") && back.contains(w.unknown_code), "{back}");
    assert!(back.contains("aria-describedby=\"category-error\"") && back.contains("href=\"#category\""));
    assert!(back.contains("value=\"37\"") && back.contains("kept-notes"));
    // A date that is not one: the page's own message, nothing saved.
    let r = post(
        &cm,
        s,
        &format!("/cases/{case}/services"),
        &form,
        &[("category", "housing"), ("date", "31/02/2026"), ("minutes", "20")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let back = r.text().await.unwrap();
    assert!(back.contains("id=\"date-error\"") && back.contains(w.date_malformed) && back.contains("31/02/2026"));

    // Changing a service: a first save works; the same form again is stale → 409 with both.
    let edit = edit_link_in(&page, "services-section");
    let (code, form) = get(&cm, s, &edit).await;
    assert_eq!(code, StatusCode::OK);
    let version = between(&form, "name=\"version\" value=\"", "\"").to_owned();
    let fields = |minutes: &'static str| {
        vec![
            ("version", version.clone()),
            ("category", "accompaniment".into()),
            ("date", service_day.clone()),
            ("minutes", minutes.to_owned()),
        ]
    };
    let pairs = fields("50");
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    post_ok(&cm, s, &edit, &form, &borrowed).await;
    let pairs = fields("55");
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = post(&cm, s, &edit, &form, &borrowed).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let conflict = r.text().await.unwrap();
    assert!(conflict.contains("id=\"conflict-table\"") && conflict.contains("55") && conflict.contains("50"));
    let current = version.parse::<i64>().unwrap() + 1;
    assert!(conflict.contains(&format!("name=\"version\" value=\"{current}\"")));

    // Tasks: the Continued Presence renewal is overdue and heads the list.
    let (code, tasks) = get(&cm, s, "/tasks").await;
    assert_eq!(code, StatusCode::OK, "{tasks}");
    let team = between(&tasks, "id=\"team-tasks-table\"", "</table>");
    assert!(team.contains("<caption>") && team.contains(&number));
    let renewal = at(team, w.renewal);
    let reminder = at(team, w.appointment_reminder);
    assert!(renewal < reminder, "{l}: the overdue task first");
    let first_row = between(team, "<tbody>", "</tr>");
    assert!(first_row.contains("class=\"overdue\"") && first_row.contains(w.overdue) && first_row.contains(w.renewal));
    assert!(tasks.contains("href=\"/appointments.ics\""));
    // Completing it with the version shown; the same again is stale.
    let action = format!("/tasks/{}/complete", between(first_row, "action=\"/tasks/", "/complete\""));
    let task_version = between(first_row, "name=\"version\" value=\"", "\"").to_owned();
    post_ok(&cm, s, &action, &tasks, &[("version", task_version.as_str())]).await;
    let r = post(&cm, s, &action, &tasks, &[("version", task_version.as_str())]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let (_, tasks) = get(&cm, s, "/tasks").await;
    assert!(!tasks.contains(w.renewal), "done tasks leave the list");

    // A task added from the case page; without a title it comes back with the message.
    let due = day(today, 5);
    let r = post(&cm, s, &format!("/cases/{case}/tasks"), &page, &[("title", " "), ("due_on", due.as_str())]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let back = r.text().await.unwrap();
    assert!(back.contains("id=\"title-error\"") && back.contains(&format!("value=\"{due}\"")));
    let to = post_ok(
        &cm,
        s,
        &format!("/cases/{case}/tasks"),
        &page,
        &[("title", "task-title: llamar a la clínica"), ("due_on", due.as_str())],
    )
    .await;
    assert_eq!(to, format!("/cases/{case}?done=task#tasks"));
    let (_, tasks) = get(&cm, s, "/tasks").await;
    assert!(tasks.contains("task-title: llamar a la clínica"));

    // The dashboard for a case manager; N days as a GET parameter.
    let (code, dash) = get(&cm, s, "/dashboard?days=7").await;
    assert_eq!(code, StatusCode::OK, "{dash}");
    assert!(dash.contains("id=\"status-table\"") && dash.contains("<caption>") && dash.contains("value=\"7\""));
    assert!(between(&dash, "id=\"appointments-table\"", "</table>").contains(&number));
    let (code, _) = get(&cm, s, "/dashboard?days=lots").await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, home) = get(&cm, s, "/").await;
    assert!(home.contains("href=\"/dashboard\"") && home.contains("href=\"/tasks\""));

    // The calendar download names no person and no purpose.
    let r = cm.get(s.url("/appointments.ics")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let ics = r.text().await.unwrap();
    assert!(ics.contains("BEGIN:VCALENDAR") && ics.contains(&number), "{ics}");
    assert!(!ics.contains(w.alias) && !ics.contains("audiencia") && !ics.contains("court"), "{ics}");

    // A supervisor's dashboard covers the organisation.
    eprintln!("[{l}] supervisor");
    let sup =
        sign_in(s, &format!("sup-{l}@esperanza.org"), "first password three", "a quiet morning by the river bank")
            .await;
    let (code, dash) = get(&sup, s, "/dashboard").await;
    assert_eq!(code, StatusCode::OK, "{dash}");
    assert!(dash.contains(w.supervisor_scope) && dash.contains("value=\"30\""));

    // A clinician on the team sees the case but none of the services, legal or notes sections.
    eprintln!("[{l}] clinician");
    let (_, page) = get(&cm, s, &case_url).await;
    let clinician = value_before(&page, &format!("<code>Clara {l}")).to_owned();
    let me = checked_team_member(&page).to_owned();
    let case_version = between(&page, "name=\"version\" value=\"", "\"").to_owned();
    post_ok(
        &cm,
        s,
        &format!("/cases/{case}"),
        &page,
        &[("version", case_version.as_str()), ("team", me.as_str()), ("team", clinician.as_str())],
    )
    .await;
    let cl =
        sign_in(s, &format!("cl-{l}@esperanza.org"), "first password two", "green leaves after the summer rain").await;
    let (code, page) = get(&cl, s, &case_url).await;
    assert_eq!(code, StatusCode::OK, "{page}");
    for hidden in ["services-section", "notes-section", "legal-section", "goals-section", "appointments-section"] {
        assert!(!page.contains(&format!("id=\"{hidden}\"")), "{l}: a clinician sees {hidden}");
    }
    assert!(!page.contains("note-text") && !page.contains("service-notes"));
    let (code, timeline) = get(&cl, s, &format!("/cases/{case}/timeline")).await;
    assert_eq!(code, StatusCode::OK);
    assert!(!timeline.contains("note-text") && !timeline.contains("service-notes"));
    let (code, _) = get(&cl, s, &format!("/cases/{case}/notes/new")).await;
    assert_eq!(code, StatusCode::FORBIDDEN, "no form for what the role may not write");
    let (_, any) = get(&cl, s, "/").await;
    let r = post(&cl, s, &format!("/cases/{case}/notes"), &any, &[("kind", "contact"), ("text", "x")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
