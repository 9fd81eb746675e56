//! Reports and data moving in and out of Amparo: spreadsheet import (CSV and XLSX, with a
//! column mapping and lenient reading in Spanish and English) and the organisation's
//! records export (CSV or XLSX, encrypted with age). A leaf crate: its spreadsheet
//! dependencies stay out of the rest of the build. It calls the app's use cases (access,
//! encryption, audit are theirs) and never the store.

pub mod defuse;
pub mod export;
pub mod htcds;
pub mod import;
pub mod lenient;
pub mod mapping;
pub mod sheet;

pub use defuse::defuse;
pub use export::{ExportError, Protection};
pub use import::{ImportError, LineProblem, Options, Report};
pub use mapping::Mapping;
pub use sheet::{Format, SheetError, Table};
