//! What an installation says about its public pages: which organisation receives tips, where
//! the quick-exit control leads, how many tips one address may send, and the hotlines shown.

use chrono::Duration;

/// A hotline shown on the thank-you and resources pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hotline {
    /// ISO 3166-1 alpha-2 (`US`, `MX`).
    pub country: String,
    pub name_en: String,
    pub name_es: String,
    /// As it is dialled.
    pub phone: String,
    /// A short code or number that takes text messages, if any.
    pub text: Option<String>,
}

/// The public tip form and resources page.
#[derive(Clone, Debug)]
pub struct TipsConfig {
    /// The organisation (by name) that receives `/tip`. None: the installation's only
    /// organisation; with several and none named, `/tip` is not found.
    pub default_organisation: Option<String>,
    /// Further forms on a coalition's server: `/tip/{slug}` → organisation name. Slugs are
    /// chosen by the operator and should say nothing (`a7`, `norte`), since a URL stays in
    /// the browser's history.
    pub pages: Vec<(String, String)>,
    /// Where the quick-exit control leads: a neutral site.
    pub quick_exit_url: String,
    /// Tips one address may send within `window` (the address is held in memory only).
    pub max_per_address: u32,
    pub window: Duration,
    pub hotlines: Vec<Hotline>,
}

fn hotline(country: &str, name_en: &str, name_es: &str, phone: &str, text: Option<&str>) -> Hotline {
    Hotline {
        country: country.to_owned(),
        name_en: name_en.to_owned(),
        name_es: name_es.to_owned(),
        phone: phone.to_owned(),
        text: text.map(str::to_owned),
    }
}

/// The national lines of both countries; an installation lists its own local ones instead.
pub fn default_hotlines() -> Vec<Hotline> {
    vec![
        hotline("MX", "Emergencies", "Emergencias", "911", None),
        hotline(
            "MX",
            "National Anti-Trafficking Hotline (Consejo Ciudadano)",
            "Línea Nacional contra la Trata de Personas (Consejo Ciudadano)",
            "800 5533 000",
            None,
        ),
        hotline("US", "Emergencies", "Emergencias", "911", None),
        hotline(
            "US",
            "National Human Trafficking Hotline",
            "Línea Nacional contra la Trata de Personas (EE. UU.)",
            "1-888-373-7888",
            Some("233733"),
        ),
    ]
}

impl Default for TipsConfig {
    fn default() -> Self {
        Self {
            default_organisation: None,
            pages: Vec::new(),
            // A page anyone might have open: nothing about it raises a question.
            quick_exit_url: "https://www.google.com/search?q=weather".to_owned(),
            max_per_address: 10,
            window: Duration::minutes(15),
            hotlines: default_hotlines(),
        }
    }
}
