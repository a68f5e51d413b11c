//! The one webhook receiver of the tests, on 127.0.0.1:0: it answers each delivery with the next
//! scripted reply (status and optional `Retry-After`), then 200 once the script is used up, and
//! keeps the `webhook-id` of every delivery it saw.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;

/// A scripted answer: status and optional `Retry-After`.
pub type Reply = (u16, Option<&'static str>);

#[derive(Clone, Default)]
pub struct Receiver {
    /// Where to send deliveries.
    pub url: String,
    replies: Arc<Mutex<VecDeque<Reply>>>,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Receiver {
    /// Starts a receiver that answers with `replies`, then 200.
    pub async fn start(replies: Vec<Reply>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let receiver = Receiver {
            url: format!("http://{}/hook", listener.local_addr().unwrap()),
            replies: Arc::new(Mutex::new(replies.into())),
            seen: Arc::default(),
        };
        let app = Router::new()
            .route("/hook", post(receive))
            .with_state(receiver.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        receiver
    }

    /// How many deliveries arrived.
    pub fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    /// The `webhook-id` of each delivery, in order of arrival.
    pub fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }

    /// Drops the replies not used yet, so every later delivery is answered 200.
    pub fn accept_all(&self) {
        self.replies.lock().unwrap().clear();
    }
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap) -> (StatusCode, HeaderMap) {
    let id = headers["webhook-id"].to_str().unwrap().to_owned();
    r.seen.lock().unwrap().push(id);
    let (code, retry_after) = r.replies.lock().unwrap().pop_front().unwrap_or((200, None));
    let mut out = HeaderMap::new();
    if let Some(value) = retry_after {
        out.insert("retry-after", value.parse().unwrap());
    }
    (StatusCode::from_u16(code).unwrap(), out)
}
