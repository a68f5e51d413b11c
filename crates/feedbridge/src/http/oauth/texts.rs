//! Every string of the hosted sign-in and consent pages, in English and French (Canada). The
//! frame around them (branding, language switch, support line) is the Link UI's.
//!
//! `{recipient}`, `{institution}` and `{date}` in a text are filled in by the page.

use crate::http::link::i18n::Lang;

/// The strings of one language.
pub struct SignInTexts {
    pub sign_in_title: &'static str,
    pub sign_in_intro: &'static str,
    pub sign_in_where: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub refused: &'static str,
    pub blocked: &'static str,
    pub confirm_title: &'static str,
    pub confirm_intro: &'static str,
    pub code: &'static str,
    pub continue_: &'static str,
    pub wrong_code: &'static str,
    pub consent_title: &'static str,
    pub consent_intro: &'static str,
    pub consent_sees: &'static str,
    pub account_basic: &'static str,
    pub account_detailed: &'static str,
    pub transactions: &'static str,
    pub consent_until: &'static str,
    pub never: &'static str,
    pub consent_accounts: &'static str,
    pub no_accounts: &'static str,
    pub choose_one: &'static str,
    pub allow: &'static str,
    pub deny: &'static str,
}

impl SignInTexts {
    pub fn of(lang: Lang) -> &'static Self {
        match lang {
            Lang::En => &EN,
            Lang::Fr => &FR,
        }
    }
}

static EN: SignInTexts = SignInTexts {
    sign_in_title: "Sign in to {institution}",
    sign_in_intro: "{recipient} asks to connect to your {institution} accounts.",
    sign_in_where: "Use the username and password shown by “Get credentials” on {institution}'s bank feeds page.",
    username: "Username",
    password: "Password",
    sign_in: "Sign in",
    refused: "The username or password is not right, or these credentials can no longer be used. Check them, or get new credentials from {institution}.",
    blocked: "Too many sign-in attempts. Wait a few minutes and try again.",
    confirm_title: "Confirm it is you",
    confirm_intro: "Enter the confirmation code shown next to your credentials on {institution}'s bank feeds page.",
    code: "Confirmation code",
    continue_: "Continue",
    wrong_code: "That code is not right, or it has expired. Check it, or show a new code on {institution}'s bank feeds page.",
    consent_title: "Allow {recipient} to see your accounts?",
    consent_intro: "{recipient} will be able to see, for the accounts you choose:",
    consent_sees: "What it will see",
    account_basic: "Account names, types and masked numbers",
    account_detailed: "Account balances",
    transactions: "Posted transactions, at most seven days before you connect and every one after",
    consent_until: "Until {date}, unless you revoke it sooner from {institution}'s bank feeds page.",
    never: "It can never move money, make payments or change your accounts.",
    consent_accounts: "Accounts to share",
    no_accounts: "No account is available to share yet. Contact {institution}.",
    choose_one: "Choose at least one account to share, or select Deny.",
    allow: "Allow",
    deny: "Deny",
};

static FR: SignInTexts = SignInTexts {
    sign_in_title: "Connexion à {institution}",
    sign_in_intro: "{recipient} demande à se connecter à vos comptes de {institution}.",
    sign_in_where: "Utilisez le nom d’utilisateur et le mot de passe affichés par « Obtenir des identifiants » sur la page des flux bancaires de {institution}.",
    username: "Nom d’utilisateur",
    password: "Mot de passe",
    sign_in: "Se connecter",
    refused: "Le nom d’utilisateur ou le mot de passe n’est pas bon, ou ces identifiants ne peuvent plus servir. Vérifiez-les, ou obtenez de nouveaux identifiants auprès de {institution}.",
    blocked: "Trop de tentatives de connexion. Attendez quelques minutes et réessayez.",
    confirm_title: "Confirmez votre identité",
    confirm_intro: "Entrez le code de confirmation affiché à côté de vos identifiants sur la page des flux bancaires de {institution}.",
    code: "Code de confirmation",
    continue_: "Continuer",
    wrong_code: "Ce code n’est pas bon ou il a expiré. Vérifiez-le, ou affichez un nouveau code sur la page des flux bancaires de {institution}.",
    consent_title: "Autoriser {recipient} à voir vos comptes?",
    consent_intro: "{recipient} pourra voir, pour les comptes que vous choisissez :",
    consent_sees: "Ce qu’il verra",
    account_basic: "Le nom, le type et le numéro masqué des comptes",
    account_detailed: "Le solde des comptes",
    transactions: "Les opérations comptabilisées, au plus sept jours avant la connexion et toutes celles qui suivent",
    consent_until: "Jusqu’au {date}, à moins que vous ne révoquiez l’accès plus tôt depuis la page des flux bancaires de {institution}.",
    never: "Il ne pourra jamais déplacer d’argent, faire de paiements ni modifier vos comptes.",
    consent_accounts: "Comptes à partager",
    no_accounts: "Aucun compte n’est encore disponible. Communiquez avec {institution}.",
    choose_one: "Choisissez au moins un compte à partager, ou sélectionnez Refuser.",
    allow: "Autoriser",
    deny: "Refuser",
};
