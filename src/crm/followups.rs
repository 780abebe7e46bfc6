//! Follow-ups (跟进记录) of leads, customers, contacts and business: what was done, when the
//! next contact is due, which contacts and business it concerned. A follow-up updates its
//! record's 最后跟进时间/内容 and 下次联系时间 (the public pool's countdown starts again from
//! 最后跟进时间), and shows on the timelines of its record and, for a customer's follow-up,
//! of the contacts and business it names, as J9 shows them.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use serde::Serialize;

use super::access::{Reach, Right};
use super::error::{Error, Result};
use super::files::FileView;
use super::input::{Input, Parse, Unparsed};
use super::module::Module;
use super::modules::{self, BUSINESS, CONTACTS, USER_TABLE};
use super::rows::{by_id, column_in, id_filter, joined_rows, require_existing, rows};
use super::{Actor, Clock, Crm};
use crate::store::records::{self, Assign, Join, ListSpec, Select, Source};
use crate::store::tables::{CONFIG, FOLLOW_LINK, FOLLOW_RECORD};
use crate::store::{Cell, Filter, Kind, Order, Target, Tx};

/// The longest follow-up text and type name, and the most linked records.
const MAX_CONTENT: usize = 1000;
const MAX_CATEGORY: usize = 50;
const MAX_LINKED: usize = 100;
/// The most follow-up types, and the most follow-ups one timeline page shows.
const MAX_OPTIONS: usize = 50;
const MAX_PAGE: i64 = 1000;
/// The settings row holding the follow-up types.
const OPTION_NAME: &str = "followRecordOption";

/// A new follow-up of one record.
#[derive(Clone, Debug)]
pub struct FollowUp {
    pub module: &'static Module,
    pub target: i64,
    pub content: String,
    pub category: String,
    pub next_time: Option<NaiveDateTime>,
    pub business_ids: Vec<i64>,
    pub contacts_ids: Vec<i64>,
    pub batch_id: Option<String>,
}

impl FollowUp {
    /// `Crm<Module>/addRecord`: the record is `typesId` (or the module's id key).
    pub fn for_module(module: &'static Module, input: Input<'_>, clock: &Clock) -> Result<Self> {
        let missing = format!("{}id不能为空", module.title);
        let target = input
            .first_i64(&["typesId", module.id_key])?
            .ok_or_else(|| Error::bad(missing))?;
        Self::parse_rest(module, target, input, clock)
    }

    /// The document's `addOrUpdate` without `entity`, and `CrmActivity/addCrmActivityRecord`:
    /// the record is `activityType` (1 线索 2 客户 3 联系人 5 商机) and `activityTypeId`.
    pub fn for_activity(input: Input<'_>, clock: &Clock) -> Result<Self> {
        let (module, target) = activity_target(input)?;
        Self::parse_rest(module, target, input, clock)
    }

    /// Whether a request is the document's follow-up call rather than a record save.
    pub fn is_activity(input: Input<'_>) -> bool {
        input.raw("entity").is_none() && input.raw("activityType").is_some()
    }

    fn parse_rest(module: &'static Module, target: i64, input: Input<'_>, clock: &Clock) -> Result<Self> {
        let content = input
            .opt_text("content", "跟进内容", MAX_CONTENT)?
            .ok_or_else(|| Error::bad("内容不能为空"))?;
        let category = input
            .opt_text("category", "跟进类型", MAX_CATEGORY)?
            .ok_or_else(|| Error::bad("跟进类型不能为空"))?;
        let next_time = input
            .opt_str("nextTime")?
            .map(|t| clock.parse_field("下次联系时间", &t))
            .transpose()?;
        let linked = |key: &str| -> Result<Vec<i64>> {
            let ids = match input.raw(key) {
                None => Vec::new(),
                Some(_) => input.ids(key, "")?,
            };
            if ids.len() > MAX_LINKED {
                return Err(Error::bad(format!("一条跟进记录最多关联{MAX_LINKED}条数据")));
            }
            Ok(ids)
        };
        let batch_id = input.opt_text("batchId", "batchId", 64)?;
        if batch_id
            .as_deref()
            .is_some_and(|b| !b.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        {
            return Err(Error::bad("batchId只能包含字母、数字和-"));
        }
        Ok(FollowUp {
            module,
            target,
            content,
            category,
            next_time,
            business_ids: linked("businessIds")?,
            contacts_ids: linked("contactsIds")?,
            batch_id,
        })
    }
}

/// A timeline request: the record, and optionally a page of it (`page`, `limit` ≤ 1000;
/// without them the newest 1000).
#[derive(Clone, Copy, Debug)]
pub struct Timeline {
    pub module: &'static Module,
    pub target: i64,
    pub page: u64,
    pub limit: u64,
}

impl Timeline {
    /// `Crm<Module>/getRecord`: the record is the module's id key (or `typesId`, `id`).
    pub fn for_module(module: &'static Module, input: Input<'_>) -> Result<Self> {
        let target = input
            .first_i64(&[module.id_key, "typesId", "id"])?
            .ok_or_else(|| Error::bad(format!("{}id不能为空", module.title)))?;
        Self::paged(module, target, input)
    }

    /// `CrmActivity/getCrmActivityPageList`: `activityType`, `activityTypeId`.
    pub fn for_activity(input: Input<'_>) -> Result<Self> {
        let (module, target) = activity_target(input)?;
        Self::paged(module, target, input)
    }

    fn paged(module: &'static Module, target: i64, input: Input<'_>) -> Result<Self> {
        let page = input.opt_i64("page")?.unwrap_or(1);
        let limit = input.opt_i64("limit")?.unwrap_or(MAX_PAGE);
        if page < 1 || !(1..=MAX_PAGE).contains(&limit) {
            return Err(Error::bad(format!("页码应为正整数，每页条数应为1到{MAX_PAGE}")));
        }
        Ok(Timeline {
            module,
            target,
            page: page as u64,
            limit: limit as u64,
        })
    }
}

/// The record of a J11-style call: `activityType` (the module label) and `activityTypeId`.
fn activity_target(input: Input<'_>) -> Result<(&'static Module, i64)> {
    let label = input.i64("activityType", "类型不能为空")?;
    let module = modules::by_label(label)
        .filter(|m| m.follow_ups)
        .ok_or_else(|| Error::bad("activityType只能为1（线索）2（客户）3（联系人）5（商机）"))?;
    Ok((module, input.i64("activityTypeId", "类型id不能为空")?))
}

/// `CrmRecord/deleteFollowRecord`: the follow-up (`recordId`).
#[derive(Clone, Copy, Debug)]
pub struct FollowUpRef(pub i64);

impl Parse for FollowUpRef {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(FollowUpRef(
            input
                .first_i64(&["recordId", "activityId", "id"])?
                .ok_or_else(|| Error::bad("跟进记录id不能为空"))?,
        ))
    }
}

/// `CrmRecord/setRecordOptions`: the follow-up types in order (`value`).
#[derive(Clone, Debug)]
pub struct RecordOptions(pub Vec<String>);

impl Parse for RecordOptions {
    fn parse(input: Input<'_>) -> Result<Self> {
        let mut options = Vec::new();
        for item in input.array("value")? {
            let text = super::input::to_text(&item).unwrap_or_default().trim().to_owned();
            if text.is_empty() {
                return Err(Error::bad("跟进类型不能为空"));
            }
            if text.chars().count() > MAX_CATEGORY {
                return Err(Error::bad(format!("跟进类型长度不能超过{MAX_CATEGORY}个字符")));
            }
            if options.contains(&text) {
                return Err(Error::bad(format!("跟进类型重复：{text}")));
            }
            options.push(text);
        }
        if options.len() > MAX_OPTIONS {
            return Err(Error::bad(format!("跟进类型不能超过{MAX_OPTIONS}个")));
        }
        Ok(RecordOptions(options))
    }
}

/// A linked contact or business as a timeline row shows it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Linked {
    #[serde(skip_serializing_if = "Option::is_none")]
    contacts_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    business_id: Option<i64>,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    business_name: Option<String>,
}

/// One follow-up on a timeline, in J9's `getRecord` shape.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FollowUpView {
    record_id: i64,
    types: String,
    types_id: i64,
    user_img: Option<String>,
    realname: Option<String>,
    create_user_id: i64,
    create_time: String,
    content: String,
    category: String,
    next_time: Option<String>,
    batch_id: String,
    business_ids: Option<String>,
    contacts_ids: Option<String>,
    business_list: Vec<Linked>,
    contacts_list: Vec<Linked>,
    img: Vec<FileView>,
    file: Vec<FileView>,
}

/// A page of a timeline (J11's `getCrmActivityPageList`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimelinePage {
    list: Vec<FollowUpView>,
    total_row: i64,
}

/// J9's name for a module in `types`: `crm_` and its realm (`crm_customer`).
fn types_name(label: i64) -> String {
    modules::by_label(label).map_or_else(String::new, |m| ["crm", m.realm].join("_"))
}

const RECORD_COLUMNS: [(&str, Kind); 11] = [
    ("record_id", Kind::Int),
    ("label", Kind::Int),
    ("target_id", Kind::Int),
    ("content", Kind::Text),
    ("category", Kind::Text),
    ("next_time", Kind::DateTime),
    ("business_ids", Kind::Text),
    ("contacts_ids", Kind::Text),
    ("batch_id", Kind::Text),
    ("create_user_id", Kind::Int),
    ("create_time", Kind::DateTime),
];

const AUTHOR: Join = Join {
    alias: "author",
    table: USER_TABLE,
    on: "create_user_id",
};

fn joined_ids(ids: &[i64]) -> Option<String> {
    (!ids.is_empty()).then(|| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","))
}

fn split_ids(text: Option<&str>) -> Vec<i64> {
    text.unwrap_or_default()
        .split(',')
        .filter_map(|p| p.trim().parse().ok())
        .collect()
}

impl Crm {
    /// Adds a follow-up to a record the caller can read; answers its id.
    pub async fn add_follow_up(&self, actor: &Actor, follow_up: FollowUp) -> Result<i64> {
        let module = follow_up.module;
        if !module.follow_ups {
            return Err(Error::bad(format!("{}没有跟进记录", module.title)));
        }
        let mut tx = self.db.begin().await?;
        require_existing(&mut tx, module, &[follow_up.target]).await?;
        self.require_record(
            &mut tx,
            actor,
            module,
            &[follow_up.target],
            Right::Read,
            Reach::Read,
        )
        .await?;
        for (linked, ids) in [
            (&CONTACTS, &follow_up.contacts_ids),
            (&BUSINESS, &follow_up.business_ids),
        ] {
            for id in ids {
                self.require_readable(&mut tx, actor, linked.table, linked.title, *id)
                    .await?;
            }
        }
        let id = self.insert_follow_up(&mut tx, actor, &follow_up).await?;
        self.mark_followed_up(&mut tx, &follow_up).await?;
        let sentence = format!("新建了跟进记录：{}", follow_up.category);
        self.log(&mut tx, actor, module, &[follow_up.target], &[sentence])
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn insert_follow_up(&self, tx: &mut Tx, actor: &Actor, f: &FollowUp) -> Result<i64> {
        let text = |v: Option<String>| v.map_or(Cell::Null, Cell::Text);
        // Files uploaded for it come with it, under the same rule as a new record's.
        let named = f.batch_id.clone().map(serde_json::Value::String);
        let batch = self.claim_batch(tx, actor, named.as_ref()).await?;
        let values = [
            (Cell::Int(f.module.label), "label", Kind::Int),
            (Cell::Int(f.target), "target_id", Kind::Int),
            (Cell::Text(f.content.clone()), "content", Kind::Text),
            (Cell::Text(f.category.clone()), "category", Kind::Text),
            (
                f.next_time.map_or(Cell::Null, Cell::DateTime),
                "next_time",
                Kind::DateTime,
            ),
            (text(joined_ids(&f.business_ids)), "business_ids", Kind::Text),
            (text(joined_ids(&f.contacts_ids)), "contacts_ids", Kind::Text),
            (Cell::Text(batch), "batch_id", Kind::Text),
            (Cell::Int(actor.id()), "create_user_id", Kind::Int),
            (Cell::DateTime(self.clock.now()), "create_time", Kind::DateTime),
        ];
        let assigns: Vec<Assign> = values
            .into_iter()
            .map(|(value, column, kind)| Assign { column, kind, value })
            .collect();
        let id = records::insert(&mut *tx, FOLLOW_RECORD, &assigns).await?;
        let mut timelines = vec![(f.module.label, f.target)];
        if f.module.shares_follow_ups {
            timelines.extend(f.contacts_ids.iter().map(|c| (CONTACTS.label, *c)));
            timelines.extend(f.business_ids.iter().map(|b| (BUSINESS.label, *b)));
        }
        let links: Vec<Vec<Cell>> = timelines
            .into_iter()
            .map(|(label, target)| vec![Cell::Int(label), Cell::Int(target), Cell::Int(id)])
            .collect();
        records::insert_many(&mut *tx, FOLLOW_LINK, &LINK_COLUMNS, &links).await?;
        Ok(id)
    }

    /// The record's 最后跟进时间/内容, 下次联系时间 and follow-up state; a customer's next
    /// contact time also goes to the contacts and business the follow-up names (J9).
    async fn mark_followed_up(&self, tx: &mut Tx, f: &FollowUp) -> Result<()> {
        let mut assigns = vec![
            Assign {
                column: "last_time",
                kind: Kind::DateTime,
                value: Cell::DateTime(self.clock.now()),
            },
            Assign {
                column: "last_content",
                kind: Kind::Text,
                value: Cell::Text(f.content.clone()),
            },
        ];
        assigns.extend(f.module.on_follow_up.iter().map(|(column, value)| Assign {
            column,
            kind: Kind::Int,
            value: Cell::Int(*value),
        }));
        let Some(next) = f.next_time else {
            records::update(&mut *tx, f.module.table, &[f.target], &assigns).await?;
            return Ok(());
        };
        let next_time = Assign {
            column: "next_time",
            kind: Kind::DateTime,
            value: Cell::DateTime(next),
        };
        assigns.push(next_time.clone());
        records::update(&mut *tx, f.module.table, &[f.target], &assigns).await?;
        if f.module.shares_follow_ups {
            for (linked, ids) in [(&CONTACTS, &f.contacts_ids), (&BUSINESS, &f.business_ids)] {
                records::update(&mut *tx, linked.table, ids, std::slice::from_ref(&next_time)).await?;
            }
        }
        Ok(())
    }

    /// A record's timeline, newest first (J9's `getRecord`: a plain array).
    pub async fn timeline(&self, actor: &Actor, timeline: Timeline) -> Result<Vec<FollowUpView>> {
        let on_timeline = self.readable_timeline(actor, &timeline).await?;
        self.timeline_rows(&timeline, &on_timeline).await
    }

    /// A page of a record's timeline with its size (`getCrmActivityPageList`).
    pub async fn timeline_page(&self, actor: &Actor, timeline: Timeline) -> Result<TimelinePage> {
        let on_timeline = self.readable_timeline(actor, &timeline).await?;
        let (list, total_row) = tokio::try_join!(self.timeline_rows(&timeline, &on_timeline), async {
            Ok(records::count(&self.db, FOLLOW_LINK, &on_timeline).await?)
        })?;
        Ok(TimelinePage { list, total_row })
    }

    /// The page `timeline` asks for of the follow-ups on `on_timeline`.
    async fn timeline_rows(&self, timeline: &Timeline, on_timeline: &Filter) -> Result<Vec<FollowUpView>> {
        let link_columns = [Select {
            source: Source::Own("record_id"),
            kind: Kind::Int,
        }];
        let spec = ListSpec {
            table: FOLLOW_LINK,
            joins: &[],
            columns: &link_columns,
            filter: on_timeline,
            order: &[(Target::Column("record_id".into()), Kind::Int, Order::Desc)],
            limit: timeline.limit,
            offset: (timeline.page - 1) * timeline.limit,
        };
        let ids: Vec<i64> = records::list(&self.db, &spec)
            .await?
            .iter()
            .filter_map(|r| r[0].as_i64())
            .collect();
        self.follow_up_views(&ids).await
    }

    /// The filter of a timeline the caller may read.
    async fn readable_timeline(&self, actor: &Actor, timeline: &Timeline) -> Result<Filter> {
        let Timeline { module, target, .. } = *timeline;
        super::rows::require_present(&self.db, module, &[target]).await?;
        self.require_record(&self.db, actor, module, &[target], Right::Read, Reach::Read)
            .await?;
        Ok(column_in("label", &[module.label]).and(column_in("target_id", &[target])))
    }

    /// The follow-ups `ids` in that order, with their authors and linked records: three
    /// queries whatever the page size.
    pub(crate) async fn follow_up_views(&self, ids: &[i64]) -> Result<Vec<FollowUpView>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut columns: Vec<Select> = RECORD_COLUMNS
            .iter()
            .map(|(c, k)| Select {
                source: Source::Own(c),
                kind: *k,
            })
            .collect();
        for column in ["realname", "img"] {
            columns.push(Select {
                source: Source::Joined {
                    alias: AUTHOR.alias,
                    column,
                },
                kind: Kind::Text,
            });
        }
        let found = by_id(
            joined_rows(
                &self.db,
                FOLLOW_RECORD,
                &[AUTHOR],
                &columns,
                &column_in("record_id", ids),
            )
            .await?,
        );
        let linked_ids = |at: usize| -> Vec<i64> {
            let mut all: Vec<i64> = found.values().flat_map(|r| split_ids(r[at].as_str())).collect();
            all.sort_unstable();
            all.dedup();
            all
        };
        let (business_ids, contacts_ids) = (linked_ids(6), linked_ids(7));
        let batches: Vec<String> = found
            .values()
            .filter_map(|r| r[8].as_str().map(str::to_owned))
            .collect();
        let (business, contacts, mut files) = tokio::try_join!(
            self.linked(&BUSINESS, true, &business_ids),
            self.linked(&CONTACTS, false, &contacts_ids),
            self.files_of_batches(&batches),
        )?;
        let pick = |names: &HashMap<i64, Linked>, text: Option<&str>| -> Vec<Linked> {
            split_ids(text)
                .iter()
                .filter_map(|id| names.get(id).cloned())
                .collect()
        };
        let time = |cell: &Cell| match cell {
            Cell::DateTime(t) => Some(self.clock.render(*t)),
            _ => None,
        };
        Ok(ids
            .iter()
            .filter_map(|id| found.get(id))
            .map(|r| {
                let (img, file) = r[8].as_str().and_then(|b| files.remove(b)).unwrap_or_default();
                (r, img, file)
            })
            .map(|(r, img, file)| FollowUpView {
                img,
                file,
                record_id: r[0].as_i64().unwrap_or_default(),
                types: types_name(r[1].as_i64().unwrap_or_default()),
                types_id: r[2].as_i64().unwrap_or_default(),
                content: r[3].as_str().unwrap_or_default().to_owned(),
                category: r[4].as_str().unwrap_or_default().to_owned(),
                next_time: time(&r[5]),
                business_ids: r[6].as_str().map(str::to_owned),
                contacts_ids: r[7].as_str().map(str::to_owned),
                business_list: pick(&business, r[6].as_str()),
                contacts_list: pick(&contacts, r[7].as_str()),
                batch_id: r[8].as_str().unwrap_or_default().to_owned(),
                create_user_id: r[9].as_i64().unwrap_or_default(),
                create_time: time(&r[10]).unwrap_or_default(),
                realname: r[11].as_str().map(str::to_owned),
                user_img: r[12].as_str().map(str::to_owned),
            })
            .collect())
    }

    /// Names of linked contacts or business that still exist.
    async fn linked(&self, module: &Module, is_business: bool, ids: &[i64]) -> Result<HashMap<i64, Linked>> {
        let Some(name) = module.name_field().filter(|_| !ids.is_empty()) else {
            return Ok(HashMap::new());
        };
        let found = rows(
            &self.db,
            module.table,
            &[(module.id_column(), Kind::Int), (name.column, Kind::Text)],
            &id_filter(module, ids),
        )
        .await?;
        Ok(found
            .into_iter()
            .filter_map(|r| {
                let id = r[0].as_i64()?;
                let text = r[1].as_str().unwrap_or_default().to_owned();
                Some((
                    id,
                    Linked {
                        contacts_id: (!is_business).then_some(id),
                        business_id: is_business.then_some(id),
                        business_name: is_business.then(|| text.clone()),
                        name: text,
                    },
                ))
            })
            .collect())
    }

    /// Copies the follow-ups of one record to another (a lead's to its customer), oldest
    /// first, each on the new record's timeline; they keep their author, time and batch.
    pub(crate) async fn copy_follow_ups(
        &self,
        tx: &mut Tx,
        from: (&Module, i64),
        to: (&Module, i64),
    ) -> Result<()> {
        let of_source = column_in("label", &[from.0.label]).and(column_in("target_id", &[from.1]));
        let kept = &RECORD_COLUMNS[3..];
        let mut follow_ups = rows(&mut *tx, FOLLOW_RECORD, kept, &of_source).await?;
        let created = kept.len() - 1;
        follow_ups.sort_by_key(|r| match &r[created] {
            Cell::DateTime(t) => Some(*t),
            _ => None,
        });
        for follow_up in follow_ups {
            let mut assigns: Vec<Assign> = kept
                .iter()
                .zip(follow_up)
                .map(|((column, kind), value)| Assign {
                    column,
                    kind: *kind,
                    value,
                })
                .collect();
            for (column, value) in [("label", to.0.label), ("target_id", to.1)] {
                assigns.push(Assign {
                    column,
                    kind: Kind::Int,
                    value: Cell::Int(value),
                });
            }
            let copy = records::insert(&mut *tx, FOLLOW_RECORD, &assigns).await?;
            let link = vec![Cell::Int(to.0.label), Cell::Int(to.1), Cell::Int(copy)];
            records::insert_many(&mut *tx, FOLLOW_LINK, &LINK_COLUMNS, &[link]).await?;
        }
        Ok(())
    }

    /// `deleteFollowRecord`: by its author or the administrator.
    pub async fn delete_follow_up(&self, actor: &Actor, request: FollowUpRef) -> Result<()> {
        let FollowUpRef(id) = request;
        let mut tx = self.db.begin().await?;
        if records::lock_existing(&mut tx, FOLLOW_RECORD, &[id])
            .await?
            .is_empty()
        {
            return Err(Error::business("跟进记录不存在或已删除"));
        }
        let columns = [
            ("create_user_id", Kind::Int),
            ("label", Kind::Int),
            ("target_id", Kind::Int),
        ];
        let found = rows(&mut tx, FOLLOW_RECORD, &columns, &column_in("record_id", &[id])).await?;
        let [author, label, target] = [0, 1, 2].map(|i| found.first().and_then(|r| r[i].as_i64()));
        if author != Some(actor.id()) && !actor.is_admin() {
            return Err(Error::NoPermission);
        }
        records::delete_where(&mut tx, FOLLOW_LINK, &column_in("record_id", &[id])).await?;
        records::delete(&mut tx, FOLLOW_RECORD, &[id]).await?;
        if let (Some(module), Some(target)) = (label.and_then(modules::by_label), target) {
            self.log(&mut tx, actor, module, &[target], &["删除了跟进记录".to_owned()])
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// `queryRecordOptions`: the follow-up types, in order.
    pub async fn record_options(&self) -> Result<Vec<String>> {
        let found = rows(
            &self.db,
            CONFIG,
            &[("sort", Kind::Int), ("value", Kind::Text)],
            &option_rows(),
        )
        .await?;
        let mut options: Vec<(i64, String)> = found
            .into_iter()
            .map(|r| {
                (
                    r[0].as_i64().unwrap_or_default(),
                    r[1].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        options.sort();
        Ok(options.into_iter().map(|(_, v)| v).collect())
    }

    /// `setRecordOptions`: replaces the follow-up types (the administrator's).
    pub async fn set_record_options(
        &self,
        actor: &Actor,
        request: Unparsed<'_, RecordOptions>,
    ) -> Result<()> {
        actor.require_admin()?;
        let RecordOptions(options) = request.parse()?;
        let mut tx = self.db.begin().await?;
        crate::store::serialize_on(&mut tx, &[OPTION_NAME.to_owned()]).await?;
        records::delete_where(&mut tx, CONFIG, &option_rows()).await?;
        let rows: Vec<Vec<Cell>> = options
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                vec![
                    Cell::Text(OPTION_NAME.into()),
                    Cell::Text(v),
                    Cell::Int(i as i64 + 1),
                ]
            })
            .collect();
        let columns = [("name", Kind::Text), ("value", Kind::Text), ("sort", Kind::Int)];
        records::insert_many(&mut tx, CONFIG, &columns, &rows).await?;
        tx.commit().await?;
        Ok(())
    }
}

const LINK_COLUMNS: [(&str, Kind); 3] = [
    ("label", Kind::Int),
    ("target_id", Kind::Int),
    ("record_id", Kind::Int),
];

fn option_rows() -> Filter {
    super::rows::text_is("name", OPTION_NAME)
}
