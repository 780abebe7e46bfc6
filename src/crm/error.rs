//! The one error type of the service layer. The HTTP layer maps each variant onto the
//! `{code, msg}` envelope; nothing here knows about HTTP.

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No token, or an expired one: `302 请先登录！`.
    #[error("请先登录！")]
    NotLoggedIn,
    /// The request itself is malformed (bad JSON, wrong types, junk in an id list).
    #[error("{0}")]
    BadRequest(String),
    /// A business rule refused the operation; the message is shown to the user.
    #[error("{0}")]
    Business(String),
    /// The caller may not do this: `401 无权操作`.
    #[error("无权操作")]
    NoPermission,
    /// The caller lacks the operation right (menu) itself: `401 无权访问`.
    #[error("无权访问")]
    Forbidden,
    /// A request authenticated by the login cookie alone that does not come from this
    /// server's own pages (cross-site request forgery): `401 跨站请求已拒绝`.
    #[error("跨站请求已拒绝，请从本系统页面操作或使用Admin-Token请求头")]
    CrossSite,
    /// Something broke inside the server; details go to the log, not to the client.
    #[error("服务器响应异常")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn bad(msg: impl Into<String>) -> Self {
        Error::BadRequest(msg.into())
    }

    pub fn business(msg: impl Into<String>) -> Self {
        Error::Business(msg.into())
    }
}

impl From<StoreError> for Error {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Unique(_) => Error::business("数据已存在"),
            other => Error::Internal(other.to_string()),
        }
    }
}
