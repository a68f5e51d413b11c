//! What the unit tests share: feeds at an address where nothing listens, and sessions on them.

use std::net::SocketAddr;

use crate::feed::Session;
use crate::{fdx, ofx};

/// A local address nobody listens on (bound, then released).
pub fn dead_address() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

pub fn ofx_client() -> ofx::Client {
    ofx::Client::new(&format!("http://{}/ofx", dead_address())).unwrap()
}

/// The redirect URI the FDX test client is registered with.
pub const REDIRECT_URI: &str = "http://127.0.0.1:8090/fdx/callback";

/// An FDX client of an issuer nobody runs, registered as `client-1`.
pub fn fdx_client() -> fdx::Client {
    let recipient = fdx::Recipient {
        issuer: format!("http://{}", dead_address()),
        client_id: "client-1".into(),
        client_secret: "secret".into(),
    };
    fdx::Client::new(recipient, REDIRECT_URI.into()).unwrap()
}

/// A signed-on OFX session that offers nothing.
pub fn ofx_session() -> Session {
    let credentials = ofx::Credentials {
        userid: "u".into(),
        userpass: "p".into(),
        accesskey: Some("k".into()),
    };
    Session::Ofx(ofx::Session::new(ofx_client(), credentials, &[]).0)
}
