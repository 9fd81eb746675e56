//! Which column of a file holds which field. A header that is already an API field name
//! (`given_name`, `birth_date`, …, as `/api/v1/persons` spells them) maps itself; any other
//! header needs a mapping, from a mapping file (`--mapping FILE`) or the page's mapping step.
//!
//! A mapping file is TOML:
//!
//! ```toml
//! [columns]
//! "Nombre(s)" = "given_name"
//! "Apellidos" = "family_name"
//! "Fecha de nacimiento" = "birth_date"
//! "Notas de la coordinadora" = ""   # left out of the import
//! ```

use std::collections::HashMap;

use serde::Deserialize;

/// What kind of value a field takes, for lenient reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Date,
    Whole,
    Gender,
    Countries,
    Language,
    Languages,
    YesNo,
    /// Free text without a decline code (the story).
    Story,
}

/// A field of the persons API that an import can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
}

/// Every importable field, in the order exports write them (the persons API's names).
pub const FIELDS: &[Field] = &[
    Field { name: "given_name", kind: Kind::Text },
    Field { name: "family_name", kind: Kind::Text },
    Field { name: "alias", kind: Kind::Text },
    Field { name: "birth_date", kind: Kind::Date },
    Field { name: "estimated_age", kind: Kind::Whole },
    Field { name: "gender", kind: Kind::Gender },
    Field { name: "citizenship", kind: Kind::Countries },
    Field { name: "primary_language", kind: Kind::Language },
    Field { name: "languages", kind: Kind::Languages },
    Field { name: "interpreter_needed", kind: Kind::YesNo },
    Field { name: "household_size", kind: Kind::Whole },
    Field { name: "dependants", kind: Kind::Whole },
    Field { name: "phone", kind: Kind::Text },
    Field { name: "email", kind: Kind::Text },
    Field { name: "address", kind: Kind::Text },
    Field { name: "narrative", kind: Kind::Story },
];

/// Columns our own export writes that an import reads past (they are not the person's
/// fields: ids and dates are the installation's, case numbers are the cases').
pub const EXPORT_ONLY: &[&str] = &["id", "case_numbers", "created_at", "updated_at"];

pub fn field(name: &str) -> Option<Field> {
    FIELDS.iter().copied().find(|f| f.name == name)
}

/// Why a mapping cannot be used. Column names are the file's headers, not survivor data.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("the mapping file is not valid TOML with a [columns] table")]
    Malformed,
    #[error("the mapping names an unknown field: {0}")]
    UnknownField(String),
    #[error("these columns are not API field names and have no mapping: {}", .0.join(", "))]
    UnknownColumns(Vec<String>),
    #[error("two columns map to the same field: {0}")]
    DuplicateField(String),
}

impl MappingError {
    pub const fn code(&self) -> &'static str {
        match self {
            MappingError::Malformed => "import_mapping_malformed",
            MappingError::UnknownField(_) => "import_unknown_field",
            MappingError::UnknownColumns(_) => "import_unknown_column",
            MappingError::DuplicateField(_) => "import_duplicate_field",
        }
    }
}

/// Header → field name ("" leaves the column out).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mapping {
    pub columns: HashMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    columns: HashMap<String, String>,
}

impl Mapping {
    pub fn from_toml(text: &str) -> Result<Mapping, MappingError> {
        let f: MappingFile = toml::from_str(text).map_err(|_| MappingError::Malformed)?;
        let m = Mapping {
            columns: f.columns.into_iter().map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())).collect(),
        };
        for v in m.columns.values() {
            if !v.is_empty() && field(v).is_none() {
                return Err(MappingError::UnknownField(v.clone()));
            }
        }
        Ok(m)
    }

    /// The field each header goes to (None: left out). A header named in the mapping goes
    /// where it says; one that is an API field name (any case) maps itself; our export's
    /// own extra columns are left out; anything else is an error naming every such column.
    pub fn resolve(&self, headers: &[String]) -> Result<Vec<Option<Field>>, MappingError> {
        let mut out = Vec::with_capacity(headers.len());
        let mut unknown = Vec::new();
        let mut seen: Vec<&'static str> = Vec::new();
        for h in headers {
            let key = h.trim();
            let target = match self.columns.get(key) {
                Some(v) if v.is_empty() => None,
                Some(v) => Some(field(v).ok_or_else(|| MappingError::UnknownField(v.clone()))?),
                None if key.is_empty() => None,
                None => match field(&key.to_ascii_lowercase()) {
                    Some(f) => Some(f),
                    None if EXPORT_ONLY.contains(&key.to_ascii_lowercase().as_str()) => None,
                    None => {
                        unknown.push(key.to_owned());
                        None
                    }
                },
            };
            if let Some(f) = target {
                if seen.contains(&f.name) {
                    return Err(MappingError::DuplicateField(f.name.to_owned()));
                }
                seen.push(f.name);
            }
            out.push(target);
        }
        if !unknown.is_empty() {
            return Err(MappingError::UnknownColumns(unknown));
        }
        Ok(out)
    }

    /// The mapping a page offers first: each header to itself when it is a field name.
    pub fn suggested(headers: &[String]) -> Mapping {
        let columns = headers
            .iter()
            .map(|h| {
                let key = h.trim().to_owned();
                let v = field(&key.to_ascii_lowercase()).map(|f| f.name.to_owned()).unwrap_or_default();
                (key, v)
            })
            .collect();
        Mapping { columns }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn api_names_need_no_mapping() {
        let got = Mapping::default().resolve(&h(&["given_name", "Birth_Date", "id", "case_numbers"])).unwrap();
        assert_eq!(
            got.iter().map(|f| f.map(|f| f.name)).collect::<Vec<_>>(),
            vec![Some("given_name"), Some("birth_date"), None, None]
        );
    }

    #[test]
    fn other_headers_need_a_mapping_and_every_unknown_one_is_named() {
        let err = Mapping::default().resolve(&h(&["Nombre", "given_name", "Apellido"])).unwrap_err();
        assert_eq!(err, MappingError::UnknownColumns(vec!["Nombre".into(), "Apellido".into()]));
        let m = Mapping::from_toml("[columns]\n\"Nombre\" = \"given_name\"\n\"Notas\" = \"\"\n").unwrap();
        let got = m.resolve(&h(&["Nombre", "Notas"])).unwrap();
        assert_eq!(got[0].map(|f| f.name), Some("given_name"));
        assert_eq!(got[1], None);
        assert_eq!(
            Mapping::from_toml("[columns]\nNombre = \"first_name\"\n").unwrap_err(),
            MappingError::UnknownField("first_name".into())
        );
        assert_eq!(Mapping::from_toml("columns = 3").unwrap_err(), MappingError::Malformed);
        let twice = Mapping::from_toml("[columns]\nNombre = \"given_name\"\n").unwrap();
        assert_eq!(
            twice.resolve(&h(&["Nombre", "given_name"])).unwrap_err(),
            MappingError::DuplicateField("given_name".into())
        );
    }
}
