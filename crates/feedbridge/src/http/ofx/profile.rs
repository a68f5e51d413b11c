//! The service profile (`PROFRS`) Feedbridge publishes to OFX clients.

use jiff::Timestamp;

use feedbridge_ofx::{MsgSetCore, MsgSets, ProfRq, ProfRs, SignonInfo, Status, TrnRq, TrnRs};

use crate::domain::Services;

/// When the profile last changed; clients holding a newer copy are told they are up to date.
const PROFILE_UPDATED: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

pub fn answer(services: &Services, rq: &TrnRq<ProfRq>) -> TrnRs<ProfRs> {
    let updated = Timestamp::from_second(PROFILE_UPDATED).unwrap_or(Timestamp::UNIX_EPOCH);
    if rq.rq.dtprofup >= updated {
        return rq.respond(Status::info(1, "The profile has not changed."), None);
    }
    rq.respond(Status::ok(), Some(profile(services, updated)))
}

fn profile(services: &Services, updated: Timestamp) -> ProfRs {
    let settings = &services.settings;
    let url = format!("{}/ofx", settings.public_url);
    ProfRs {
        core: MsgSetCore {
            ver: 1,
            transpsec: url.starts_with("https://"),
            url,
            ofxsec: "NONE".into(),
            signonrealm: "FEEDBRIDGE".into(),
            language: "ENG".into(),
            syncmode: "LITE".into(),
            respfileer: false,
        },
        msgsets: MsgSets {
            signup: true,
            bank: true,
            creditcard: true,
        },
        signoninfo: SignonInfo {
            signonrealm: "FEEDBRIDGE".into(),
            min: 1,
            max: 32,
            chartype: "ALPHAORNUMERIC".into(),
            casesen: true,
            special: true,
            spaces: false,
            pinch: false,
            chgpinfirst: None,
            clientuidreq: None,
            mfachallengesupt: Some(settings.feed.authentication_prompt),
            mfachallengefirst: Some(false),
        },
        dtprofup: updated,
        finame: settings.institution.name.chars().take(32).collect(),
        addr1: "Not published".into(),
        city: "Not published".into(),
        state: "NA".into(),
        postalcode: "00000".into(),
        country: "USA".into(),
        csphone: None,
        url: None,
        email: None,
    }
}
