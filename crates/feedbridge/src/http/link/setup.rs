//! Page 2, "Set up QuickBooks": the steps in QuickBooks, the institution's callout, and the
//! buttons that create or revoke credentials.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use crate::http::AppState;

use super::error::PageResult;
use super::i18n::Lang;
use super::page::Chrome;
use super::session::Session;

/// The institution's box above "Get credentials", in the page's language.
pub struct Callout {
    pub title: String,
    pub body: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "link/setup.html")]
pub struct SetupPage {
    chrome: Chrome,
    steps: Vec<String>,
    callout: Option<Callout>,
    credentials_action: String,
    /// Where the revoke confirmation lives, when there is anything to revoke.
    revoke: Option<String>,
}

pub async fn page(State(state): State<AppState>, session: Session) -> PageResult<SetupPage> {
    let revocable = state
        .services
        .session_has_credentials(&session.active)
        .await
        .map_err(|e| session.error(e))?;
    let chrome = session.chrome(&state, "setup");
    let path = session.path();
    Ok(SetupPage {
        steps: chrome.t.steps.iter().map(|s| chrome.fill(s)).collect(),
        callout: callout(&state, session.lang),
        credentials_action: format!("{path}/credentials"),
        revoke: revocable.then(|| format!("{path}/revoke")),
        chrome,
    })
}

fn callout(state: &AppState, lang: Lang) -> Option<Callout> {
    let i = &state.services.settings.institution;
    let (title, body) = match lang {
        Lang::En => (&i.callout_title, &i.callout_body),
        Lang::Fr => (&i.callout_title_fr, &i.callout_body_fr),
    };
    (!title.is_empty() || !body.is_empty()).then(|| Callout {
        title: title.clone(),
        body: body.clone(),
    })
}
