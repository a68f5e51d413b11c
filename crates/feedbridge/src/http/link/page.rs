//! What every Link UI page shows around its content: branding, language switch, support line.

use crate::config::Institution;

use super::i18n::{Lang, Texts};

/// Fixed route where Feedbridge serves a logo configured as a file path.
pub const LOGO_ROUTE: &str = "/link/assets/logo";

/// The frame of a page.
pub struct Chrome {
    pub t: &'static Texts,
    pub lang: Lang,
    pub nonce: String,
    pub institution: String,
    pub logo: Option<String>,
    pub support: String,
    /// The session's CSRF token and the page to come back to: the switch is then a POST that
    /// keeps the session. Without a session the switch is a plain link.
    pub switch_form: Option<(String, String, &'static str)>,
}

impl Chrome {
    pub fn new(institution: &Institution, lang: Lang, nonce: String) -> Self {
        Self {
            t: lang.texts(),
            lang,
            nonce,
            institution: institution.name.clone(),
            logo: logo_src(&institution.logo),
            support: institution.support_contact.clone(),
            switch_form: None,
        }
    }

    /// Makes the language switch a POST to `action`, returning to the page named `back`.
    pub fn with_session(mut self, action: String, csrf: String, back: &'static str) -> Self {
        self.switch_form = Some((action, csrf, back));
        self
    }

    /// A text with the institution's name filled in.
    pub fn fill(&self, text: &str) -> String {
        text.replace("{institution}", &self.institution)
    }
}

/// Where the page loads the logo from: the configured URL, or the fixed route for a file.
pub fn logo_src(logo: &str) -> Option<String> {
    if logo.is_empty() {
        None
    } else if logo.starts_with("https://") || logo.starts_with("http://") {
        Some(logo.to_owned())
    } else {
        Some(LOGO_ROUTE.to_owned())
    }
}

/// The origin (`scheme://host[:port]`) of a URL, for the CSP and origin checks.
pub fn origin_of(url: &str) -> &str {
    let rest_at = url.find("://").map_or(0, |i| i + 3);
    match url[rest_at..].find('/') {
        Some(i) => &url[..rest_at + i],
        None => url,
    }
}
