//! Every string of the Link UI, in English and French (Canada), kept in one place so a
//! translation is reviewed as a whole and no page can show a string in only one language.
//!
//! `{institution}` and `{time}` in a text are filled in by the page.

use axum::http::HeaderMap;

/// A language of the Link UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The `lang` attribute of the pages.
    pub fn html(self) -> &'static str {
        match self {
            Lang::En => "en-CA",
            Lang::Fr => "fr-CA",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Fr,
            Lang::Fr => Lang::En,
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            _ => None,
        }
    }

    /// The preferred supported language of `Accept-Language`, English when none matches.
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        let Some(value) = headers.get("accept-language").and_then(|v| v.to_str().ok()) else {
            return Lang::En;
        };
        let mut best: Option<(f32, Lang)> = None;
        for item in value.split(',') {
            let mut parts = item.trim().split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q=").map(str::to_owned))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(lang) = Lang::parse(primary) {
                if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                    best = Some((q, lang));
                }
            }
        }
        best.map_or(Lang::En, |(_, lang)| lang)
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &EN,
            Lang::Fr => &FR,
        }
    }
}

/// The strings of one language.
pub struct Texts {
    pub language_name: &'static str,
    pub switch_to: &'static str,
    pub skip: &'static str,
    pub logo_alt: &'static str,
    pub support: &'static str,
    pub step_1: &'static str,
    pub step_2: &'static str,
    pub connect_title: &'static str,
    pub connect_intro: &'static str,
    pub shares_heading: &'static str,
    pub shares: [&'static str; 4],
    pub never_heading: &'static str,
    pub never: &'static str,
    pub accounts_heading: &'static str,
    pub no_accounts: &'static str,
    pub account_ending: &'static str,
    pub next: &'static str,
    pub setup_title: &'static str,
    pub setup_intro: &'static str,
    pub steps: [&'static str; 11],
    pub get_credentials: &'static str,
    pub get_credentials_hint: &'static str,
    pub credentials_title: &'static str,
    pub credentials_warning: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub code: &'static str,
    pub code_valid: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub back_to_steps: &'static str,
    pub revoke: &'static str,
    pub revoke_title: &'static str,
    pub revoke_explain: &'static str,
    pub revoke_confirm: &'static str,
    pub cancel: &'static str,
    pub revoked_title: &'static str,
    pub revoked_stopped: &'static str,
    pub revoked_none: &'static str,
    pub revoked_again: &'static str,
    pub start_title: &'static str,
    pub start_body: &'static str,
    pub expired_title: &'static str,
    pub expired_body: &'static str,
    pub forbidden_title: &'static str,
    pub forbidden_body: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub internal_title: &'static str,
    pub internal_body: &'static str,
    pub unavailable_title: &'static str,
    pub unavailable_body: &'static str,
    pub sign_in_ended_title: &'static str,
    pub sign_in_ended_body: &'static str,
    pub sign_in_refused_title: &'static str,
    pub sign_in_refused_body: &'static str,
}

static EN: Texts = Texts {
    language_name: "English",
    switch_to: "Français",
    skip: "Skip to content",
    logo_alt: "{institution} logo",
    support: "Need help? Contact {institution}:",
    step_1: "Step 1 of 2",
    step_2: "Step 2 of 2",
    connect_title: "Connect to QuickBooks Online Bank Feeds",
    connect_intro: "{institution} can send the activity of your accounts to QuickBooks Online as bank feeds.",
    shares_heading: "What the connection will share",
    shares: [
        "Account names",
        "Masked account numbers (last four digits only)",
        "Account balances",
        "Cleared transactions from the start date you pick in QuickBooks, at most seven days back",
    ],
    never_heading: "What it can never do",
    never: "It can never move money, make payments or change your accounts. QuickBooks can only read.",
    accounts_heading: "Accounts available to connect",
    no_accounts: "No account is available to connect yet. Contact {institution}.",
    account_ending: "ending in",
    next: "Next",
    setup_title: "Set up QuickBooks",
    setup_intro: "Keep this page open. In QuickBooks Online, follow these steps:",
    steps: [
        "Sign in to QuickBooks Online.",
        "Go to Banking, or Bookkeeping › Bank transactions.",
        "Select Link account.",
        "Search for {institution} and select it.",
        "Agree to the terms.",
        "Enter the username and password from “Get credentials” below.",
        "When QuickBooks asks for authentication, enter the confirmation code shown with them.",
        "Select the accounts to connect.",
        "Choose the account type for each account.",
        "Choose a start date. Dates older than seven days are ignored.",
        "Select Connect.",
    ],
    get_credentials: "Get credentials",
    get_credentials_hint: "Each click creates a new username and password. Earlier ones keep working until you revoke them.",
    credentials_title: "Your QuickBooks credentials",
    credentials_warning: "Copy these now: they will not be shown again.",
    username: "Username",
    password: "Password",
    code: "Confirmation code",
    code_valid: "Valid until {time} (10 minutes).",
    copy: "Copy",
    copied: "Copied",
    back_to_steps: "Back to the steps",
    revoke: "Revoke credentials",
    revoke_title: "Revoke all credentials?",
    revoke_explain: "Every username and password created for this connection will stop working, and QuickBooks will stop receiving feeds through them. You can get new credentials afterwards.",
    revoke_confirm: "Yes, revoke all credentials",
    cancel: "Cancel",
    revoked_title: "Credentials revoked",
    revoked_stopped: "These accounts stopped receiving feeds:",
    revoked_none: "No account was receiving feeds through them.",
    revoked_again: "Connect again",
    start_title: "Start from {institution}",
    start_body: "To connect your accounts to QuickBooks Online, sign in to {institution} online banking or its app and open bank feeds. You will be brought back here with a secure link.",
    expired_title: "This link has expired",
    expired_body: "For your security, links work for a limited time. Go back to {institution} and open bank feeds again.",
    forbidden_title: "Request refused",
    forbidden_body: "This request could not be verified, so nothing was changed. Go back and try again.",
    not_found_title: "Page not found",
    not_found_body: "There is nothing at this address. Go back to {institution} and open bank feeds again.",
    internal_title: "Something went wrong",
    internal_body: "We could not complete your request. Please try again in a few minutes.",
    unavailable_title: "Briefly unavailable",
    unavailable_body: "Nothing was changed. Please try again in a moment.",
    sign_in_ended_title: "This sign-in has ended",
    sign_in_ended_body: "For your security, a sign-in must be finished within 15 minutes and works once. Go back to the application that sent you here and start again.",
    sign_in_refused_title: "This sign-in request cannot be used",
    sign_in_refused_body: "It does not come from an application registered with {institution}, or it has expired. Go back to the application and start again.",
};

static FR: Texts = Texts {
    language_name: "Français",
    switch_to: "English",
    skip: "Aller au contenu",
    logo_alt: "Logo de {institution}",
    support: "Besoin d’aide? Communiquez avec {institution} :",
    step_1: "Étape 1 de 2",
    step_2: "Étape 2 de 2",
    connect_title: "Se connecter aux flux bancaires de QuickBooks en ligne",
    connect_intro: "{institution} peut transmettre l’activité de vos comptes à QuickBooks en ligne sous forme de flux bancaires.",
    shares_heading: "Ce que la connexion partagera",
    shares: [
        "Le nom des comptes",
        "Les numéros de compte masqués (quatre derniers chiffres seulement)",
        "Le solde des comptes",
        "Les opérations compensées depuis la date de début choisie dans QuickBooks, au plus sept jours en arrière",
    ],
    never_heading: "Ce qu’elle ne pourra jamais faire",
    never: "Elle ne pourra jamais déplacer d’argent, faire de paiement ni modifier vos comptes. QuickBooks peut seulement lire.",
    accounts_heading: "Comptes pouvant être connectés",
    no_accounts: "Aucun compte ne peut encore être connecté. Communiquez avec {institution}.",
    account_ending: "se terminant par",
    next: "Suivant",
    setup_title: "Configurer QuickBooks",
    setup_intro: "Gardez cette page ouverte. Dans QuickBooks en ligne, suivez ces étapes :",
    steps: [
        "Connectez-vous à QuickBooks en ligne.",
        "Allez dans Opérations bancaires, ou Tenue de livres › Opérations bancaires.",
        "Sélectionnez Lier un compte.",
        "Recherchez {institution} et sélectionnez-la.",
        "Acceptez les conditions.",
        "Entrez le nom d’utilisateur et le mot de passe obtenus avec « Obtenir les identifiants » ci-dessous.",
        "Quand QuickBooks demande une authentification, entrez le code de confirmation affiché avec eux.",
        "Sélectionnez les comptes à connecter.",
        "Choisissez le type de chaque compte.",
        "Choisissez une date de début. Les dates de plus de sept jours sont ignorées.",
        "Sélectionnez Connecter.",
    ],
    get_credentials: "Obtenir les identifiants",
    get_credentials_hint: "Chaque clic crée un nouveau nom d’utilisateur et un nouveau mot de passe. Les précédents restent valides jusqu’à leur révocation.",
    credentials_title: "Vos identifiants QuickBooks",
    credentials_warning: "Copiez-les maintenant : ils ne seront plus affichés.",
    username: "Nom d’utilisateur",
    password: "Mot de passe",
    code: "Code de confirmation",
    code_valid: "Valide jusqu’à {time} (10 minutes).",
    copy: "Copier",
    copied: "Copié",
    back_to_steps: "Retour aux étapes",
    revoke: "Révoquer les identifiants",
    revoke_title: "Révoquer tous les identifiants?",
    revoke_explain: "Tous les noms d’utilisateur et mots de passe créés pour cette connexion cesseront de fonctionner, et QuickBooks ne recevra plus de flux par leur intermédiaire. Vous pourrez ensuite obtenir de nouveaux identifiants.",
    revoke_confirm: "Oui, révoquer tous les identifiants",
    cancel: "Annuler",
    revoked_title: "Identifiants révoqués",
    revoked_stopped: "Ces comptes ne reçoivent plus de flux :",
    revoked_none: "Aucun compte ne recevait de flux par leur intermédiaire.",
    revoked_again: "Se connecter de nouveau",
    start_title: "Commencez depuis {institution}",
    start_body: "Pour connecter vos comptes à QuickBooks en ligne, ouvrez une session dans les services bancaires en ligne ou l’application de {institution} et ouvrez les flux bancaires. Vous serez ramené ici par un lien sécurisé.",
    expired_title: "Ce lien a expiré",
    expired_body: "Pour votre sécurité, les liens ne fonctionnent que pendant un temps limité. Retournez à {institution} et ouvrez de nouveau les flux bancaires.",
    forbidden_title: "Demande refusée",
    forbidden_body: "Cette demande n’a pas pu être vérifiée; rien n’a été modifié. Revenez en arrière et réessayez.",
    not_found_title: "Page introuvable",
    not_found_body: "Il n’y a rien à cette adresse. Retournez à {institution} et ouvrez de nouveau les flux bancaires.",
    internal_title: "Une erreur s’est produite",
    internal_body: "Nous n’avons pas pu traiter votre demande. Veuillez réessayer dans quelques minutes.",
    unavailable_title: "Momentanément indisponible",
    unavailable_body: "Rien n’a été modifié. Veuillez réessayer dans un instant.",
    sign_in_ended_title: "Cette connexion a pris fin",
    sign_in_ended_body: "Pour votre sécurité, une connexion doit être terminée en moins de 15 minutes et ne sert qu’une fois. Retournez à l’application qui vous a envoyé ici et recommencez.",
    sign_in_refused_title: "Cette demande de connexion ne peut pas être utilisée",
    sign_in_refused_body: "Elle ne provient pas d’une application inscrite auprès de {institution}, ou elle a expiré. Retournez à l’application et recommencez.",
};
