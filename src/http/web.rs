//! A built web client served at `/` (`serve --web-root DIR`), so a team runs the WukongCRM
//! 9 client from the same process as the API: its files as they are, `index.html` for any
//! other path (the client routes in the browser), `/api/…` untouched.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::{Params, absent};
use crate::crm::Error;

/// The folder of a built client (the one holding `index.html`).
#[derive(Clone, Debug)]
pub struct WebRoot(Arc<PathBuf>);

impl WebRoot {
    /// Refuses a folder without `index.html`, so a wrong path is told at start.
    pub fn new(dir: PathBuf) -> std::io::Result<Self> {
        let dir = dir.canonicalize()?;
        if !dir.join("index.html").is_file() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("no index.html in {}", dir.display()),
            ));
        }
        Ok(WebRoot(Arc::new(dir)))
    }
}

/// Build output under `static/` carries a content hash in its name: it never changes.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else (`index.html` above all) is checked again on each load.
const REVALIDATE: &str = "no-cache";

/// The content type of a file by its extension.
fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" => "application/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "eot" => "application/vnd.ms-fontobject",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The file a request path names inside the root, if it is a plain relative path.
fn resolve(root: &Path, path: &str) -> Option<PathBuf> {
    let relative = Path::new(path.trim_start_matches('/'));
    let plain = relative.components().all(|c| matches!(c, Component::Normal(_)));
    plain.then(|| root.join(relative))
}

async fn read(path: PathBuf) -> Option<Vec<u8>> {
    tokio::task::spawn_blocking(move || {
        if path.is_file() {
            std::fs::read(path).ok()
        } else {
            None
        }
    })
    .await
    .ok()
    .flatten()
}

fn file_response(path: &Path, bytes: Vec<u8>, cache: &'static str) -> Response {
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(path)));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

impl WebRoot {
    /// A GET outside `/api/`: the file, or `index.html` for a path without an extension
    /// (a client route); a missing asset is a plain 404.
    async fn answer(&self, path: &str) -> Response {
        let root = self.0.as_path();
        if let Some(file) = resolve(root, path).filter(|f| f != root) {
            if let Some(bytes) = read(file.clone()).await {
                let cache = if path.starts_with("/static/") {
                    IMMUTABLE
                } else {
                    REVALIDATE
                };
                return file_response(&file, bytes, cache);
            }
            if file.extension().is_some() {
                return StatusCode::NOT_FOUND.into_response();
            }
        }
        let index = root.join("index.html");
        match read(index.clone()).await {
            Some(bytes) => file_response(&index, bytes, REVALIDATE),
            None => StatusCode::NOT_FOUND.into_response(),
        }
    }
}

/// The router's fallback: `/api/…` as `absent::fallback`; with a web root, GET and HEAD
/// of any other path serve the client.
pub async fn fallback(
    web: Option<WebRoot>,
    method: Method,
    uri: Uri,
    params: Result<Params, Error>,
) -> Response {
    let path = uri.path();
    let api = path == "/api" || path.starts_with("/api/");
    match web {
        Some(web) if !api && (method == Method::GET || method == Method::HEAD) => web.answer(path).await,
        _ => absent::fallback(uri, params).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_resolve_inside_the_root() {
        let root = Path::new("/srv/web");
        assert_eq!(
            resolve(root, "/static/js/app.js"),
            Some(root.join("static/js/app.js"))
        );
        assert_eq!(resolve(root, "/../etc/passwd"), None);
        assert_eq!(resolve(root, "/static/../../x"), None);
        assert_eq!(
            content_type(Path::new("a/b.JS")),
            "application/javascript; charset=utf-8"
        );
    }
}
