#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use super::*;

fn plan(lang: &str, sections: Vec<(&str, &str)>, agency: Option<&str>) -> PlanForPrint {
    PlanForPrint {
        lang: lang.to_owned(),
        title: "Mi plan personal".to_owned(),
        subtitle: "Versión 2".to_owned(),
        agency: agency.map(str::to_owned),
        sections: sections
            .into_iter()
            .map(|(h, b)| PrintSection { heading: h.to_owned(), body: b.to_owned() })
            .collect(),
        hotlines_heading: "Líneas de ayuda".to_owned(),
        hotlines: vec![Hotline {
            name: "Línea Nacional contra la Trata".to_owned(),
            number: "800 5533 000".to_owned(),
        }],
        footer: "Guarde este papel en un lugar seguro".to_owned(),
    }
}

/// The text a reader (or a screen reader) gets out of the PDF.
fn text_of(pdf: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(pdf).unwrap_or_else(|e| panic!("extract: {e}"));
    // Extraction may break lines where the page did; words are what matter.
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_plan_prints_as_a_pdf_with_its_headings_text_and_hotlines() {
    let pdf = render_safety_plan(&plan(
        "es",
        vec![("Señales de alerta", "Cuando él llega tarde y enojado.\nCuando esconde mis papeles.")],
        None,
    ))
    .unwrap_or_else(|e| panic!("{e}: {:?}", matches!(e, PdfError::Template(_))));
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let text = text_of(&pdf);
    for expected in [
        "Mi plan personal",
        "Versión 2",
        "Señales de alerta",
        "Cuando él llega tarde y enojado.",
        "Cuando esconde mis papeles.",
        "Líneas de ayuda",
        "800 5533 000",
        "Guarde este papel en un lugar seguro",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text:?}");
    }
}

#[test]
fn markup_typed_into_a_plan_is_printed_literally_never_run() {
    let hostile = [
        r#"#panic("x")"#,
        "*bold*",
        "$x$",
        "]",
        r#"say "hi""#,
        "_under_ #set page(paper: \"a0\") <label> @ref // comment /* block */ `raw` \\ backslash",
        "= not a heading",
        "- not a list",
    ];
    let sections: Vec<(&str, &str)> = hostile.iter().map(|h| ("#heading[x] *h*", *h)).collect();
    let pdf = match render_safety_plan(&plan("en", sections, Some("#strong[Agency] $1$"))) {
        Ok(pdf) => pdf,
        Err(PdfError::Template(d)) => panic!("the data broke the template: {d:?}"),
        Err(e) => panic!("{e}"),
    };
    let text = text_of(&pdf);
    for h in hostile {
        let words = h.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains(&words), "{h:?} not printed as typed in {text:?}");
    }
    assert!(text.contains("#heading[x] *h*"), "headings are data too: {text:?}");
    assert!(text.contains("#strong[Agency] $1$"), "the agency line is data too: {text:?}");
}

#[test]
fn no_agency_line_unless_one_is_given() {
    let without = text_of(&render_safety_plan(&plan("en", vec![], None)).unwrap_or_default());
    assert!(!without.contains("Casa Refugio"), "{without}");
    let with = text_of(&render_safety_plan(&plan("en", vec![], Some("Casa Refugio"))).unwrap_or_default());
    assert!(with.contains("Casa Refugio"), "{with}");
}

#[test]
fn the_pdf_carries_no_producer_line_naming_the_software() {
    let pdf = render_safety_plan(&plan("en", vec![("Safe places", "The library")], None)).unwrap_or_default();
    assert!(!pdf.is_empty());
    let raw = String::from_utf8_lossy(&pdf);
    assert!(!raw.contains("Typst") && !raw.contains("/Creator"), "no creator naming the typesetter");
}

#[test]
fn debug_output_redacts_what_was_written() {
    let p = plan("es", vec![("Personas de confianza", "Mi hermana Rosa")], Some("Casa Refugio"));
    let shown = format!("{p:?} {:?}", p.sections);
    assert!(!shown.contains("Rosa") && !shown.contains("Casa Refugio"), "{shown}");
}
