//! Printed documents for survivors, typeset with Typst used as a library.
//!
//! A document is a fixed template compiled into this crate plus the case data, handed to the
//! template as a JSON file (`/plan.json`) that it reads with `json()`. The data is never
//! pasted into Typst markup, so nothing a person typed can change the document's layout or
//! run code: `#panic("x")` prints as those ten characters. The fonts are the ones
//! `typst-assets` embeds (Libertinus Serif); nothing is read from the system or downloaded.
//!
//! Rendering is CPU work (tens of milliseconds): callers on an async runtime run it with
//! `spawn_blocking`.

use std::sync::LazyLock;

use serde::Serialize;
use typst::diag::{FileError, FileResult, Severity};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

/// The safety plan template (Typst markup with no case data in it).
const SAFETY_PLAN_TEMPLATE: &str = include_str!("safety_plan.typ");
/// Where the template finds its data.
const DATA_PATH: &str = "/plan.json";
const MAIN_PATH: &str = "/main.typ";

/// A safety plan ready to print: every text already in the survivor's chosen language.
/// The caller decides what goes in (only what the survivor agreed to print).
#[derive(Clone, Serialize)]
pub struct PlanForPrint {
    /// The language the plan is printed in (`es` or `en`): it sets hyphenation, quotes and
    /// the document's language tag.
    pub lang: String,
    /// A neutral title: nothing that says "trafficking", "abuse" or who made it.
    pub title: String,
    /// A line under the title (e.g. the version and the day); may be empty.
    pub subtitle: String,
    /// The organisation's name, only when the survivor wants it on the paper.
    pub agency: Option<String>,
    /// The plan's parts, in order; empty ones are best left out by the caller.
    pub sections: Vec<PrintSection>,
    pub hotlines_heading: String,
    pub hotlines: Vec<Hotline>,
    /// Printed small at the bottom of each page, beside the page number.
    pub footer: String,
}

/// A heading and its text (line breaks are kept).
#[derive(Clone, Serialize)]
pub struct PrintSection {
    pub heading: String,
    pub body: String,
}

/// A help line: its name and number as the reader's country writes it.
#[derive(Clone, Serialize)]
pub struct Hotline {
    pub name: String,
    pub number: String,
}

// What a survivor wrote is never printed to a log.
impl std::fmt::Debug for PlanForPrint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlanForPrint")
            .field("lang", &self.lang)
            .field("sections", &self.sections.len())
            .field("agency", &self.agency.is_some())
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for PrintSection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PrintSection(<redacted>)")
    }
}

impl std::fmt::Debug for Hotline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hotline").field("name", &self.name).field("number", &self.number).finish()
    }
}

/// Why a document could not be made. The messages never carry case data.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the plan could not be encoded for the template")]
    Encode,
    /// The template did not compile (a defect of ours: the data cannot cause this).
    #[error("the template did not compile")]
    Template(Vec<String>),
    #[error("the PDF could not be written")]
    Export,
}

impl PdfError {
    /// A stable code, for logs and error pages.
    pub const fn code(&self) -> &'static str {
        match self {
            PdfError::Encode => "pdf_encode",
            PdfError::Template(_) => "pdf_template",
            PdfError::Export => "pdf_export",
        }
    }
}

/// Typesets a safety plan as a PDF.
pub fn render_safety_plan(plan: &PlanForPrint) -> Result<Vec<u8>, PdfError> {
    let data = serde_json::to_vec(plan).map_err(|_| PdfError::Encode)?;
    let world = PlanWorld::new(SAFETY_PLAN_TEMPLATE, data)?;
    let document: PagedDocument = typst::compile(&world).output.map_err(|diagnostics| {
        PdfError::Template(
            diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| d.message.to_string()).collect(),
        )
    })?;
    let options = typst_pdf::PdfOptions {
        // No "Typst" producer line and no creation date: the file says nothing about where
        // or when it was made beyond what the survivor chose to print.
        creator: Smart::Custom(None),
        ..typst_pdf::PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|_| PdfError::Export)
}

/// The embedded fonts, parsed once per process.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    Fonts { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// Everything the compiler may see: the template, its data file, the embedded fonts. No
/// other file, no package, no clock.
struct PlanWorld {
    main: Source,
    data_id: FileId,
    data: Bytes,
}

impl PlanWorld {
    fn new(template: &str, data: Vec<u8>) -> Result<Self, PdfError> {
        Ok(Self {
            main: Source::new(file_id(MAIN_PATH)?, template.to_owned()),
            data_id: file_id(DATA_PATH)?,
            data: Bytes::new(data),
        })
    }
}

/// The id of one of our own virtual files (the paths are constants: a bad one is a defect
/// that every test would show).
fn file_id(path: &str) -> Result<FileId, PdfError> {
    let vpath = VirtualPath::new(path).map_err(|_| PdfError::Template(vec![format!("bad virtual path {path}")]))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl World for PlanWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id { Ok(self.data.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

#[cfg(test)]
mod tests;
