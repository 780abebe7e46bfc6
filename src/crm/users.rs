//! Users: the administrator's user management, and the first-start admin account.

use serde::Serialize;

use super::access::SUPER_ROLE;
use super::auth::{MAX_USERNAME, hash_password};
use super::error::{Error, Result};
use super::input::parse_ids;
use super::input::{Input, Parse, Unparsed};
use super::{Actor, Clock, Crm};
use crate::store::users::{NewUser, UserRow};
use crate::store::{StoreError, org, sessions, users};

/// The department every user belongs to unless told otherwise (seeded as 全公司).
const ROOT_DEPT: i64 = 1;

/// A user as the API shows it (never with its password hash).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserView {
    user_id: i64,
    username: String,
    realname: String,
    mobile: String,
    email: Option<String>,
    sex: Option<i64>,
    img: Option<String>,
    num: Option<String>,
    post: Option<String>,
    dept_id: Option<i64>,
    dept_name: Option<String>,
    parent_id: Option<i64>,
    parent_name: Option<String>,
    status: i64,
    create_time: String,
    last_login_time: Option<String>,
    last_login_ip: Option<String>,
    company_id: &'static str,
    company_name: &'static str,
    old_user_id: Option<i64>,
}

impl UserView {
    pub fn new(clock: &Clock, u: &UserRow) -> Self {
        UserView {
            user_id: u.user_id,
            username: u.username.clone(),
            realname: u.realname.clone(),
            mobile: u.mobile.clone(),
            email: u.email.clone(),
            sex: u.sex,
            img: u.img.clone(),
            num: u.num.clone(),
            post: u.post.clone(),
            dept_id: u.dept_id,
            dept_name: u.dept_name.clone(),
            parent_id: u.parent_id,
            parent_name: u.parent_name.clone(),
            status: u.status,
            create_time: clock.render(u.create_time),
            last_login_time: u.last_login_time.map(|t| clock.render(t)),
            last_login_ip: u.last_login_ip.clone(),
            company_id: super::extras::COMPANY_ID,
            company_name: super::extras::COMPANY_NAME,
            old_user_id: None,
        }
    }
}

/// A page of users: `{totalRow, list}`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserPage {
    total_row: i64,
    list: Vec<UserView>,
}

/// A validated new user, before its password is hashed.
pub struct UserForm {
    pub username: String,
    pub password: String,
    pub realname: String,
    pub mobile: String,
    pub email: Option<String>,
    pub dept_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub post: Option<String>,
    pub role_ids: Vec<i64>,
}

fn bounded(value: Option<String>, name: &str, max: usize) -> Result<Option<String>> {
    match value {
        Some(v) if v.chars().count() > max => Err(Error::bad(format!("{name}长度不能超过{max}个字符"))),
        other => Ok(other.map(|v| v.trim().to_owned())),
    }
}

fn password(value: Option<String>) -> Result<String> {
    let value = value.ok_or_else(|| Error::bad("密码不能为空"))?;
    let len = value.chars().count();
    if !(6..=64).contains(&len) {
        return Err(Error::bad("密码长度应为6到64个字符"));
    }
    Ok(value)
}

impl Parse for UserForm {
    fn parse(input: Input<'_>) -> Result<Self> {
        let username = bounded(input.opt_str("username")?, "用户名", MAX_USERNAME)?
            .ok_or_else(|| Error::bad("用户名不能为空"))?;
        let realname =
            bounded(input.opt_str("realname")?, "姓名", 100)?.ok_or_else(|| Error::bad("姓名不能为空"))?;
        Ok(UserForm {
            username,
            password: password(input.opt_str("password")?)?,
            realname,
            mobile: bounded(input.opt_str("mobile")?, "手机号", 20)?.unwrap_or_default(),
            email: bounded(input.opt_str("email")?, "邮箱", 50)?,
            dept_id: input.opt_i64("deptId")?,
            parent_id: input.opt_i64("parentId")?,
            post: bounded(input.opt_str("post")?, "岗位", 50)?,
            role_ids: match input.raw("roleIds") {
                None => Vec::new(),
                Some(v) => parse_ids(v).ok_or_else(|| Error::bad("参数roleIds应为以英文逗号分隔的数字id"))?,
            },
        })
    }
}

impl Crm {
    /// Creates a user; answers its id.
    pub async fn add_user(&self, actor: &Actor, form: UserForm, is_admin: bool) -> Result<i64> {
        actor.require_admin()?;
        let mut role_ids = form.role_ids.clone();
        if is_admin {
            role_ids.push(SUPER_ROLE);
        }
        self.check_roles(&role_ids).await?;
        let hash = hash_password(form.password).await?;
        let mut tx = self.org_change().await?;
        let dept_id = form.dept_id.unwrap_or(ROOT_DEPT);
        if !users::dept_exists(&mut tx, dept_id).await? {
            return Err(Error::business("部门不存在"));
        }
        if let Some(parent) = form.parent_id {
            self.check_superior(&mut tx, None, parent).await?;
        }
        let new = NewUser {
            username: &form.username,
            password_hash: &hash,
            realname: &form.realname,
            mobile: &form.mobile,
            email: form.email.as_deref(),
            dept_id: Some(dept_id),
            parent_id: form.parent_id,
            post: form.post.as_deref(),
            is_admin,
            now: self.clock.now(),
        };
        let id = users::insert(&mut tx, &new).await.map_err(username_taken)?;
        for role in role_ids {
            org::bind_role(&mut tx, id, role).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// `{totalRow, list}` of users whose username or realname contains the keyword.
    pub async fn user_page(&self, query: UserQuery) -> Result<UserPage> {
        let UserQuery { paging, search } = query;
        let search = super::filter::keyword_text(&search)?;
        let (rows, total) =
            users::page(&self.db, search, paging.limit as i64, paging.offset() as i64).await?;
        let list = rows.iter().map(|u| UserView::new(&self.clock, u)).collect();
        Ok(UserPage {
            total_row: total,
            list,
        })
    }

    /// `queryUserByDeptId`: the users of one department.
    pub async fn dept_users(&self, dept_id: i64) -> Result<Vec<UserView>> {
        let rows = users::in_dept(&self.db, dept_id).await?;
        Ok(rows.iter().map(|u| UserView::new(&self.clock, u)).collect())
    }

    /// Enables (1) or disables (0) users; a disabled user's tokens die at once.
    pub async fn set_user_status(&self, actor: &Actor, request: Unparsed<'_, StatusChange>) -> Result<()> {
        actor.require_admin()?;
        let StatusChange { ids, status } = request.parse()?;
        if status == 0 && ids.contains(&actor.id()) {
            return Err(Error::business("不能禁用自己"));
        }
        let mut tx = self.db.begin().await?;
        for id in &ids {
            if users::set_status(&mut tx, *id, status).await? == 0 {
                return Err(Error::business(format!("用户不存在：{id}")));
            }
            if status == 0 {
                sessions::delete_for_user(&mut tx, *id).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password; the users' open sessions end.
    pub async fn reset_password(&self, actor: &Actor, request: Unparsed<'_, PasswordReset>) -> Result<()> {
        actor.require_admin()?;
        let PasswordReset { ids, password } = request.parse()?;
        let hash = hash_password(password).await?;
        let mut tx = self.db.begin().await?;
        for id in &ids {
            if users::set_password(&mut tx, *id, &hash).await? == 0 {
                return Err(Error::business(format!("用户不存在：{id}")));
            }
            sessions::delete_for_user(&mut tx, *id).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// `usernameEdit`: a user's new username and password (administrator); its sessions end.
    pub async fn edit_username(&self, actor: &Actor, request: Unparsed<'_, UsernameEdit>) -> Result<()> {
        actor.require_admin()?;
        let UsernameEdit {
            id,
            username,
            password,
        } = request.parse()?;
        let hash = hash_password(password).await?;
        let mut tx = self.db.begin().await?;
        let renamed = users::set_username(&mut tx, id, &username)
            .await
            .map_err(username_taken)?;
        if renamed == 0 {
            return Err(Error::business(format!("用户不存在：{id}")));
        }
        users::set_password(&mut tx, id, &hash).await?;
        sessions::delete_for_user(&mut tx, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `updatePassword`: the caller's own password, given the current one (`oldPwd`,
    /// `newPwd`); every session of the caller ends, this one too.
    pub async fn change_own_password(&self, actor: &Actor, request: Unparsed<'_, OwnPassword>) -> Result<()> {
        let OwnPassword { old, new } = request.parse()?;
        let user = users::by_id(&self.db, actor.id())
            .await?
            .ok_or(Error::NotLoggedIn)?;
        if !self.password_checks.verify(old, user.password).await? {
            return Err(Error::business("密码输入错误"));
        }
        let hash = hash_password(new).await?;
        let mut tx = self.db.begin().await?;
        users::set_password(&mut tx, actor.id(), &hash).await?;
        sessions::delete_for_user(&mut tx, actor.id()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `updateUser` (个人中心): the caller's own name, mobile, e-mail, sex and post; what is
    /// not sent stays.
    pub async fn update_profile(&self, actor: &Actor, edit: ProfileEdit) -> Result<()> {
        let img = actor.user.img.as_deref();
        users::update_profile(&self.db, actor.id(), &profile(&actor.user, &edit, img)).await?;
        Ok(())
    }

    /// `updateImg` (个人中心): the caller's picture, stored as an image attachment; answers
    /// its address.
    pub async fn update_avatar(&self, actor: &Actor, file: Option<super::files::Incoming>) -> Result<String> {
        let request = super::files::UploadRequest {
            file,
            batch_id: None,
            kind: super::files::FileKind::Img,
        };
        let url = self.upload_file(actor, request).await?.url;
        let unchanged = ProfileEdit::default();
        let change = profile(&actor.user, &unchanged, Some(&url));
        users::update_profile(&self.db, actor.id(), &change).await?;
        Ok(url)
    }

    /// When no administrator exists (a fresh database), creates the super administrator
    /// `admin`. Answers the generated password when none was given, so that it can be
    /// shown once.
    pub async fn ensure_admin(&self, password: Option<String>) -> Result<Option<String>> {
        if users::count_admins(&self.db).await? > 0 {
            return Ok(None);
        }
        let generated = password.is_none().then(|| {
            let mut bytes = [0u8; 9];
            rand::fill(&mut bytes);
            hex::encode(bytes)
        });
        let form = UserForm {
            username: "admin".into(),
            password: password.or_else(|| generated.clone()).unwrap_or_default(),
            realname: "admin".into(),
            mobile: String::new(),
            email: None,
            dept_id: Some(ROOT_DEPT),
            parent_id: None,
            post: None,
            role_ids: Vec::new(),
        };
        match self.add_user(&Actor::system(), form, true).await {
            Ok(_) => Ok(generated),
            // Another instance created it first.
            Err(Error::Business(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// `queryUserList`: a page, and a keyword (`search`, or `realname`).
#[derive(Clone, Debug)]
pub struct UserQuery {
    pub paging: super::records::Paging,
    pub search: String,
}

impl Parse for UserQuery {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(UserQuery {
            paging: super::records::Paging::parse(input)?,
            search: input
                .opt_str("search")?
                .or(input.opt_str("realname")?)
                .unwrap_or_default(),
        })
    }
}

/// `setUserStatus`: users (`userIds` or `id`) to enable (1) or disable (0).
#[derive(Clone, Debug)]
pub struct StatusChange {
    pub ids: Vec<i64>,
    pub status: i64,
}

impl Parse for StatusChange {
    fn parse(input: Input<'_>) -> Result<Self> {
        let ids = user_ids(input)?;
        let status = input.i64("status", "状态不能为空")?;
        if !matches!(status, 0 | 1) {
            return Err(Error::bad("状态只能为0（禁用）或1（启用）"));
        }
        Ok(StatusChange { ids, status })
    }
}

/// `resetPassword`: users (`userIds` or `id`) and their new password (`password` or `pwd`).
#[derive(Clone, Debug)]
pub struct PasswordReset {
    pub ids: Vec<i64>,
    pub password: String,
}

impl Parse for PasswordReset {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(PasswordReset {
            ids: user_ids(input)?,
            password: password(input.opt_str("password")?.or(input.opt_str("pwd")?))?,
        })
    }
}

/// `updatePassword`: the caller's current password and its new one.
#[derive(Clone, Debug)]
pub struct OwnPassword {
    pub old: String,
    pub new: String,
}

impl Parse for OwnPassword {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(OwnPassword {
            old: input
                .opt_str("oldPwd")?
                .ok_or_else(|| Error::bad("原密码不能为空"))?,
            new: password(input.opt_str("newPwd")?)?,
        })
    }
}

/// A user's profile with `edit` over it and the picture `img`.
fn profile<'a>(
    user: &'a users::UserRow,
    edit: &'a ProfileEdit,
    img: Option<&'a str>,
) -> users::ProfileChange<'a> {
    users::ProfileChange {
        realname: edit.realname.as_deref().unwrap_or(&user.realname),
        mobile: edit.mobile.as_deref().unwrap_or(&user.mobile),
        email: edit.email.as_deref().or(user.email.as_deref()),
        sex: edit.sex.or(user.sex),
        post: edit.post.as_deref().or(user.post.as_deref()),
        img,
    }
}

/// `updateUser`: the caller's own profile fields, each optional.
#[derive(Clone, Debug, Default)]
pub struct ProfileEdit {
    pub realname: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub sex: Option<i64>,
    pub post: Option<String>,
}

impl Parse for ProfileEdit {
    fn parse(input: Input<'_>) -> Result<Self> {
        // Blank values count as not sent: the name stays.
        let realname = input.opt_text("realname", "姓名", 50)?;
        let email = input.opt_text("email", "邮箱", 100)?;
        if email
            .as_deref()
            .is_some_and(|e| !e.is_empty() && !e.contains('@'))
        {
            return Err(Error::bad("邮箱格式错误"));
        }
        let sex = input.opt_i64("sex")?;
        if sex.is_some_and(|s| !(0..=2).contains(&s)) {
            return Err(Error::bad("sex只能为1（男）或2（女）"));
        }
        Ok(ProfileEdit {
            realname,
            mobile: input.opt_text("mobile", "手机号", 20)?,
            email,
            sex,
            post: input.opt_text("post", "岗位", 50)?,
        })
    }
}

/// `usernameEdit`: the user (`id`), its new `username` and `password`.
#[derive(Clone, Debug)]
pub struct UsernameEdit {
    pub id: i64,
    pub username: String,
    pub password: String,
}

impl Parse for UsernameEdit {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(UsernameEdit {
            id: input.i64("id", "用户id不能为空")?,
            username: bounded(input.opt_str("username")?, "用户名", MAX_USERNAME)?
                .ok_or_else(|| Error::bad("用户名不能为空"))?,
            password: password(input.opt_str("password")?)?,
        })
    }
}

fn username_taken(e: StoreError) -> Error {
    match e {
        StoreError::Unique(_) => Error::business("用户名已存在"),
        other => other.into(),
    }
}

fn user_ids(input: Input<'_>) -> Result<Vec<i64>> {
    let key = if input.raw("userIds").is_some() {
        "userIds"
    } else {
        "id"
    };
    input.ids(key, "用户id不能为空")
}
