//! The accept loop: hyper's HTTP/1 connections under wkcrm's limits — how long a client
//! may take to send a request head, how long a keep-alive connection may sit idle, how many
//! connections may be open at once, and how long shutdown waits for requests in flight.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use hyper::body::{Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::Instant;
use tower::ServiceExt;

use super::App;

/// The connection limits of `wkcrm serve` (see docs/decisions.md, "Transport limits").
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// From a connection's accept, or the first byte of a later request, to the end of
    /// the request head.
    pub header_timeout: Duration,
    /// From the end of a response to the first byte of the next request.
    pub idle_timeout: Duration,
    /// Connections open at once; further ones are accepted and closed at once.
    pub max_connections: usize,
    /// How long shutdown lets requests in flight finish before closing them.
    pub shutdown_grace: Duration,
}

/// Where a connection is between requests; each waiting phase has its own deadline.
#[derive(Clone, Copy, Debug)]
enum Phase {
    /// Waiting, since then, for a request head to be complete.
    Head(Instant),
    /// A request is being handled or its response sent: no deadline.
    Busy,
    /// The last response was sent then and no new request has begun.
    Idle(Instant),
}

/// A connection's phase, shared by its socket, its requests and its watchdog.
type Tracker = Arc<watch::Sender<Phase>>;

/// Serves `app` on `listener` until `shutdown` resolves; then stops accepting, closes the
/// connections that are between requests, and gives requests in flight the grace period.
pub async fn serve(
    listener: TcpListener,
    app: App,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let (stop, stopping) = watch::channel(false);
    let mut open = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    pause_after(e).await;
                    continue;
                }
            },
        };
        while open.try_join_next().is_some() {}
        // Over the cap a connection is accepted and closed at once rather than left in the
        // kernel's backlog: the client learns right away to retry, and once idle
        // connections time out the next connection (a health check, say) is served at
        // once instead of queueing behind stale ones whose clients gave up long ago.
        if open.len() >= limits.max_connections {
            tracing::warn!(%remote, limit = limits.max_connections, "too many connections; closing a new one");
            continue;
        }
        open.spawn(connection(stream, remote, app.clone(), limits, stopping.clone()));
    }
    drop(listener);
    stop.send_replace(true);
    let finished = async { while open.join_next().await.is_some() {} };
    if tokio::time::timeout(limits.shutdown_grace, finished)
        .await
        .is_err()
    {
        tracing::warn!(
            connections = open.len(),
            "grace period over; closing requests still in flight"
        );
    }
    open.shutdown().await;
    Ok(())
}

/// After a failed accept: a connection that died in the backlog is no reason to wait, but
/// running out of file descriptors is, or the loop would spin.
async fn pause_after(e: io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if !matches!(e.kind(), ConnectionAborted | ConnectionRefused | ConnectionReset) {
        tracing::warn!(error = %e, "accept failed");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// One connection, until the client closes it, a deadline passes or shutdown comes.
async fn connection(
    stream: TcpStream,
    remote: SocketAddr,
    app: App,
    limits: Limits,
    mut stopping: watch::Receiver<bool>,
) {
    let phase: Tracker = Arc::new(watch::Sender::new(Phase::Head(Instant::now())));
    let io = TokioIo::new(Watched {
        stream,
        phase: phase.clone(),
    });
    let tracker = phase.clone();
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        // Login reads the client address from `ConnectInfo`, as under `axum::serve`.
        req.extensions_mut().insert(ConnectInfo(remote));
        let busy = Busy::start(tracker.clone());
        let app = app.clone();
        async move {
            let Ok(response) = app.oneshot(req.map(Body::new)).await;
            Ok::<_, Infallible>(response.map(|body| Tracked { body, _busy: busy }))
        }
    });
    // hyper's own header timeout restarts the moment a keep-alive connection goes idle, so
    // it would hold idle connections to the (short) header timeout and cut off a request
    // whose head began late in the idle time; the watchdog below keeps the two apart.
    let conn = http1::Builder::new()
        .header_read_timeout(None::<Duration>)
        .serve_connection(io, service);
    tokio::pin!(conn);
    tokio::select! {
        result = conn.as_mut() => {
            if let Err(e) = result {
                tracing::debug!(%remote, error = %e, "connection ended with an error");
            }
            return;
        }
        // Dropping the connection closes the socket.
        () = expired(&phase, &limits) => return,
        _ = stopping.wait_for(|stop| *stop) => {}
    }
    // Shutting down: a connection between requests closes now (no request is lost); one
    // with a request in flight finishes it and then closes, within the server's grace.
    if matches!(*phase.borrow(), Phase::Busy) {
        conn.as_mut().graceful_shutdown();
        let _ = conn.await;
    }
}

/// Resolves when the connection has waited too long for a request head, or sat idle too
/// long. `phase` is borrowed for as long as this runs, so its changes never end.
async fn expired(phase: &watch::Sender<Phase>, limits: &Limits) {
    let mut changes = phase.subscribe();
    loop {
        let deadline = match *changes.borrow_and_update() {
            Phase::Head(since) => Some(since + limits.header_timeout),
            Phase::Idle(since) => Some(since + limits.idle_timeout),
            Phase::Busy => None,
        };
        tokio::select! {
            () = sleep_until(deadline) => return,
            _ = changes.changed() => {}
        }
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Marks its connection busy from a request's head until hyper has sent the response
/// body (or given up on it) and drops it.
struct Busy(Tracker);

impl Busy {
    fn start(phase: Tracker) -> Busy {
        phase.send_replace(Phase::Busy);
        Busy(phase)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.send_replace(Phase::Idle(Instant::now()));
    }
}

/// A response body that keeps its connection busy while it is being sent.
struct Tracked {
    body: Body,
    _busy: Busy,
}

impl hyper::body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// The socket, noting when the first byte of a new request arrives on an idle connection:
/// from then on the header timeout applies instead of the idle timeout.
struct Watched {
    stream: TcpStream,
    phase: Tracker,
}

impl AsyncRead for Watched {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            this.phase.send_if_modified(|phase| match phase {
                Phase::Idle(_) => {
                    *phase = Phase::Head(Instant::now());
                    true
                }
                _ => false,
            });
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
