//! Reads what a handler left unread of its request body before the answer goes out.
//!
//! A request refused before its body is read (no token: `请先登录！`; a missing right) would
//! leave the client's bytes unread. hyper then closes the connection after the answer, and a
//! client still sending gets a reset that can cut the answer off. So the unread rest is read
//! into the void here: at most the body limit, for at most a few seconds; a body declared
//! larger than the limit is not waited for.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http_body::{Frame, SizeHint};

/// How long an unread rest is waited for.
const DRAIN_FOR: Duration = Duration::from_secs(5);

type Slot = Arc<Mutex<Option<Body>>>;

/// A request body that hands itself back to `slot` when dropped before its end.
struct ReturnedOnDrop {
    inner: Option<Body>,
    slot: Slot,
}

impl HttpBody for ReturnedOnDrop {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.inner.as_mut() {
            Some(body) => Pin::new(body).poll_frame(cx),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.as_ref().is_none_or(Body::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.inner
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), Body::size_hint)
    }
}

impl Drop for ReturnedOnDrop {
    fn drop(&mut self) {
        if let Some(rest) = self.inner.take().filter(|b| !b.is_end_stream()) {
            *self.slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(rest);
        }
    }
}

/// The middleware: runs the request, then drains what its handler left of the body.
pub async fn drain_unread(limit: usize, req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return next.run(req).await;
    }
    let slot = Slot::default();
    let req = req.map(|body| {
        Body::new(ReturnedOnDrop {
            inner: Some(body),
            slot: slot.clone(),
        })
    });
    let response = next.run(req).await;
    let rest = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(rest) = rest {
        let _ = tokio::time::timeout(DRAIN_FOR, discard(rest, limit)).await;
    }
    response
}

/// Reads and drops frames until the end, an error, or `limit` bytes.
async fn discard(mut body: Body, limit: usize) {
    let mut read = 0;
    while read <= limit {
        match std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
            Some(Ok(frame)) => read += frame.data_ref().map_or(0, Bytes::len),
            _ => return,
        }
    }
}
