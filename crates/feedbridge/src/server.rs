//! The accept loop. axum's own `serve` has no header-read timeout, so connections are driven here
//! with hyper directly: a 10-second limit to send the request head, a cap on open connections,
//! duplicate slashes folded (clients configured with a trailing slash send `//companies`), and a
//! graceful stop that lets requests in flight finish.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::http::{Request, Uri};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// Time a client has to send the whole request head.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at once; further ones are closed straight away.
pub const MAX_CONNECTIONS: usize = 1024;
/// How long a graceful stop waits for requests in flight.
const DRAIN: Duration = Duration::from_secs(10);

/// Serves `app` on `listener` until `shutdown` completes.
pub async fn serve(listener: TcpListener, app: Router, shutdown: impl Future<Output = ()>) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::warn!("connection cap reached; closing a new connection");
            continue;
        };
        let app = app.clone();
        let service = hyper::service::service_fn(move |req: Request<Incoming>| {
            let app = app.clone();
            async move {
                Ok::<_, Infallible>(
                    app.oneshot(prepare(req, peer))
                        .await
                        .unwrap_or_else(|e| match e {}),
                )
            }
        });
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_READ_TIMEOUT)
            .keep_alive(true);
        let conn = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            let _ = conn.await;
            drop(slot);
        });
    }
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => tracing::warn!("stopping with requests still in flight"),
    }
}

fn prepare(req: Request<Incoming>, peer: SocketAddr) -> Request<axum::body::Body> {
    let mut req = req.map(axum::body::Body::new);
    if req.uri().path().contains("//") {
        if let Some(uri) = fold_slashes(req.uri()) {
            *req.uri_mut() = uri;
        }
    }
    req.extensions_mut().insert(ConnectInfo(peer));
    req
}

fn fold_slashes(uri: &Uri) -> Option<Uri> {
    let mut path = String::with_capacity(uri.path().len());
    for c in uri.path().chars() {
        if !(c == '/' && path.ends_with('/')) {
            path.push(c);
        }
    }
    let rebuilt = match uri.query() {
        Some(q) => format!("{path}?{q}"),
        None => path,
    };
    rebuilt.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_slashes_are_folded_and_the_query_kept() {
        let uri: Uri = "//companies//x?page=1".parse().unwrap();
        assert_eq!(
            fold_slashes(&uri).unwrap().to_string(),
            "/companies/x?page=1"
        );
    }
}
