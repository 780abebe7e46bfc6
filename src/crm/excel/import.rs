//! Imports (`uploadExcel`) as jobs in the database. The upload is checked (right, owner,
//! file kind, header) and stored as a job at once; a task then reads the file row by row
//! on a blocking thread and saves the rows a batch to a transaction, in bulk through the
//! checks of `addOrUpdate` (`import_bulk`; a refused row is kept, as uploaded, with its
//! reason), or row by row under savepoints when a write refuses what the checks passed. The job's progress is written in the batch's transaction by
//! the instance holding the job's claim, so a job resumed after a crash (any instance picks
//! up a job whose claim went stale) neither loses nor repeats a row.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use chrono::Duration;
use serde::Serialize;
use serde_json::{Map, Value};

use super::read::{self, Kind, Raw, excel_serial, number_text};
use super::write::{Out, SheetWriter};
use super::{Column, FileOut, Shape, Target, columns, header_name};
use crate::crm::access::{Owners, Right};
use crate::crm::error::{Error, Result};
use crate::crm::fields::{UniqueValue, holder, holders as holder_map};
use crate::crm::files::Incoming;
use crate::crm::input::{Input, Parse};
use crate::crm::module::Module;
use crate::crm::modules::{self, CUSTOMER};
use crate::crm::records::{SaveRequest, refusal};
use crate::crm::rows::{require_active_user, rows};
use crate::crm::{Actor, Crm};
use crate::store::fields::FieldRow;
use crate::store::imports::{self, ErrorRow, JobRow, NewJob, Progress};
use crate::store::records::OWNER_COLUMN;
use crate::store::{Cell, Filter, Kind as StoreKind, Op, Tx, users};

/// Rows saved per transaction.
const BATCH: usize = 2000;
/// A claim not renewed for this long is taken over (the instance is presumed dead).
const STALE_SECS: i64 = 60;
/// How many leading rows may come before the header (the template's title row).
const HEADER_SEARCH: usize = 3;

/// What to do with a row whose unique fields match an existing record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repeat {
    /// `repeatHandling=1`: update the existing record.
    Overwrite,
    /// `repeatHandling=2`: leave it, skip the row.
    Skip,
}

impl Repeat {
    fn code(self) -> i64 {
        match self {
            Repeat::Overwrite => 1,
            Repeat::Skip => 2,
        }
    }
}

/// An upload: the file, duplicate handling, the owner of the new records.
#[derive(Debug)]
pub struct ImportRequest {
    pub file: Incoming,
    pub repeat: Repeat,
    pub owner: Option<i64>,
    /// The pool new customers without an owner go into (the default pool when none).
    pub pool: Option<i64>,
}

impl ImportRequest {
    pub fn parse(input: Input<'_>, file: Option<Incoming>) -> Result<Self> {
        let file = file.ok_or_else(|| Error::bad("请选择要导入的文件"))?;
        let repeat = match input.opt_i64("repeatHandling")? {
            None | Some(1) => Repeat::Overwrite,
            Some(2) => Repeat::Skip,
            Some(_) => return Err(Error::bad("repeatHandling应为1（覆盖）或2（跳过）")),
        };
        let owner = match input.raw("ownerUserId") {
            Some(v) if !crate::crm::input::is_blank(v) => Some(input.i64("ownerUserId", "负责人不能为空")?),
            _ => None,
        };
        Ok(ImportRequest {
            file,
            repeat,
            owner,
            pool: input.opt_i64("poolId")?,
        })
    }
}

/// An import job named by a request (`messageId` as J9's client sends it, or `importId`).
#[derive(Clone, Copy, Debug)]
pub struct JobRef(pub i64);

impl Parse for JobRef {
    fn parse(input: Input<'_>) -> Result<Self> {
        let key = if input.raw("importId").is_some() {
            "importId"
        } else {
            "messageId"
        };
        Ok(JobRef(input.i64(key, "导入id不能为空")?))
    }
}

/// `queryImportInfo`: J9's `totalSize` and `errSize` at the top level, the rest in `data`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub total_size: i64,
    pub err_size: i64,
    pub data: ImportState,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportState {
    pub import_id: i64,
    /// `running`, `finished`, `failed` or `cancelled`.
    pub status: &'static str,
    pub message: String,
    /// Data rows in the file (known once it has been read through).
    pub total: Option<i64>,
    /// Rows handled so far: imported, updated, skipped or refused.
    pub done: i64,
    pub errors: i64,
    pub updated: i64,
    pub skipped: i64,
    pub imported: i64,
}

/// The header of a file: its row number and cells as uploaded.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
struct Header {
    row: u32,
    cells: Vec<String>,
}

/// This process's name on the jobs it works on.
fn worker() -> &'static str {
    static WORKER: OnceLock<String> = OnceLock::new();
    WORKER.get_or_init(crate::crm::files::new_batch_id)
}

/// Finds the header among the first rows (the template's title row comes before it):
/// the first row with a cell naming a column. A file with no row after it is refused.
fn find_header(kind: Kind, bytes: &[u8], columns: &[Column]) -> Result<Header> {
    let (mut header, mut leading, mut any, mut data_after) = (None, 0, false, false);
    read::read_rows(kind, bytes, &mut |row, cells| {
        any = true;
        if header.is_some() {
            data_after = true;
            return false;
        }
        let cells: Vec<String> = cells.iter().map(Raw::text).collect();
        if matched(&cells, columns) > 0 {
            header = Some(Header { row, cells });
            return true;
        }
        leading += 1;
        leading < HEADER_SEARCH
    })?;
    if !any {
        return Err(Error::bad("文件中没有数据"));
    }
    let header = header.ok_or_else(|| Error::bad("未找到表头：前几行应有字段名称，请使用导入模板"))?;
    if !data_after {
        return Err(Error::bad("文件中只有表头，没有数据行"));
    }
    Ok(header)
}

/// The non-empty rows of a file, its header included (the command line's progress bar).
pub fn count_rows(name: &str, bytes: &[u8]) -> Result<u64> {
    let kind = read::detect(name, bytes)?;
    let mut n = 0;
    read::read_rows(kind, bytes, &mut |_, _| {
        n += 1;
        true
    })?;
    Ok(n)
}

/// About how many rows a file has, for a progress bar: what an `.xlsx` sheet declares,
/// else `count_rows` (which reads the file through).
pub fn estimate_rows(name: &str, bytes: &[u8]) -> Result<u64> {
    let declared = match read::detect(name, bytes)? {
        read::Kind::Xlsx => read::declared_xlsx_rows(bytes),
        _ => None,
    };
    declared.map_or_else(|| count_rows(name, bytes), Ok)
}

/// How many header cells name an importable column.
fn matched(cells: &[String], columns: &[Column]) -> usize {
    cells
        .iter()
        .filter(|c| column_named(c, columns).is_some())
        .count()
}

fn column_named<'a>(cell: &str, columns: &'a [Column]) -> Option<&'a Column> {
    let name = header_name(cell);
    if name.is_empty() {
        return None;
    }
    columns
        .iter()
        .find(|c| c.typed() && header_name(&c.title) == name)
}

/// The entity value of a cell for a column (references are resolved by the caller).
fn cell_value(column: &Column, raw: &Raw) -> Value {
    let datetime = |t: chrono::NaiveDateTime| match column.shape {
        Shape::Date => t.format("%Y-%m-%d").to_string(),
        _ => t.format("%Y-%m-%d %H:%M:%S").to_string(),
    };
    match (column.shape, raw) {
        (Shape::Date | Shape::DateTime, Raw::Number(n)) => {
            Value::String(excel_serial(*n).map_or_else(|| number_text(*n), datetime))
        }
        (_, Raw::DateTime(t)) => Value::String(datetime(*t)),
        (Shape::Date | Shape::DateTime, Raw::Text(t)) => Value::String(t.trim().replace('/', "-")),
        (Shape::Money, Raw::Number(n)) => Value::String(money_text(*n)),
        (Shape::Number, Raw::Number(n)) if n.fract() == 0.0 => Value::from(*n as i64),
        (Shape::Number, Raw::Number(n)) => Value::from(*n),
        (Shape::Number | Shape::Money, Raw::Text(t)) => Value::String(
            t.chars()
                .filter(|c| !matches!(c, ',' | '，' | ' ' | '¥' | '￥'))
                .collect(),
        ),
        _ => Value::String(raw.text()),
    }
}

/// A money cell read as Excel stores it (a double): two decimals when it is that close.
fn money_text(n: f64) -> String {
    let cents = (n * 100.0).round();
    if (n * 100.0 - cents).abs() < 1e-6 {
        format!("{:.2}", cents / 100.0)
    } else {
        number_text(n)
    }
}

/// A refused row as uploaded, with its reason.
fn error_row(row: u32, cells: &[Raw], reason: String) -> ErrorRow {
    ErrorRow {
        row_no: i64::from(row),
        reason,
        cells: serde_json::to_string(&cells.iter().map(Raw::text).collect::<Vec<_>>()).unwrap_or_default(),
    }
}

fn state_name(status: i64) -> &'static str {
    match status {
        imports::RUNNING => "running",
        imports::FINISHED => "finished",
        imports::FAILED => "failed",
        _ => "cancelled",
    }
}

/// A row's entity and the unique values its duplicate is found by.
type Entity<'r> = (Map<String, Value>, Vec<UniqueValue<'r>>);

/// What one row came to.
enum Outcome {
    Imported,
    Updated,
    Skipped,
}

/// What became of a batch.
enum Batch {
    Saved,
    /// A write of the bulk path refused a row its checks let through: nothing was written.
    Refused,
    /// The job is no longer this worker's: nothing was written.
    Lost,
}

/// A job as it runs: its module, columns and who runs it.
struct Run {
    job: JobRow,
    module: &'static Module,
    actor: Actor,
    customs: Vec<FieldRow>,
    /// (sheet column, column) of each header cell naming a column.
    mapped: Vec<(usize, Column)>,
}

impl Crm {
    /// `uploadExcel`: checks the request and the file's header, stores the job and starts
    /// it; answers the job's id at once.
    pub async fn start_import(
        &self,
        module: &'static Module,
        actor: &Actor,
        request: ImportRequest,
    ) -> Result<i64> {
        let owners = self.authorize(actor, module, Right::ExcelImport).await?;
        if let Some(pool) = request.pool {
            if module.route != CUSTOMER.route {
                return Err(Error::bad("只有客户有公海"));
            }
            self.usable_pool(actor, pool).await?;
        }
        if let Some(owner) = request.owner {
            require_active_user(&self.db, owner, "负责人").await?;
            if let Owners::Only(ids) = &owners
                && !ids.contains(&owner)
            {
                return Err(Error::business("负责人不在您的数据权限范围内"));
            }
        }
        let customs = self.field_defs(module).await?;
        let columns = columns(module, &customs);
        let bytes = request.file.bytes;
        let kind = read::detect(&request.file.name, &bytes)?;
        let header = {
            let columns = columns.clone();
            let bytes = bytes.clone();
            tokio::task::spawn_blocking(move || find_header(kind, &bytes, &columns))
                .await
                .map_err(|e| Error::Internal(e.to_string()))??
        };
        let now = self.clock.now();
        let id = imports::insert(
            &self.db,
            NewJob {
                label: module.label,
                create_user_id: actor.id(),
                owner_user_id: request.owner,
                pool_id: request.pool,
                repeat_handling: request.repeat.code(),
                file_name: &request.file.name,
                content: bytes,
                header: serde_json::to_string(&header).map_err(|e| Error::Internal(e.to_string()))?,
                worker: worker(),
                now,
            },
        )
        .await?;
        let crm = self.clone();
        tokio::spawn(async move { crm.run_import(id).await });
        Ok(id)
    }

    /// Starts every job whose worker has gone quiet (at start, and now and then: another
    /// instance may have died holding one).
    pub async fn resume_imports(&self) -> Result<usize> {
        let stale = self.clock.now() - Duration::seconds(STALE_SECS);
        let ids = imports::abandoned(&self.db, stale).await?;
        for &id in &ids {
            let crm = self.clone();
            tokio::spawn(async move { crm.run_import(id).await });
        }
        Ok(ids.len())
    }

    /// Works a job to its end, if this process can claim it; failures end it as failed.
    pub async fn run_import(&self, id: i64) {
        let result = self.work_import(id).await;
        let ended = match result {
            Ok(Some(total)) => imports::finish(&self.db, id, imports::FINISHED, "", Some(total)).await,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(import = id, error = %e, "import failed");
                imports::finish(&self.db, id, imports::FAILED, &e.to_string(), None).await
            }
        };
        if let Err(e) = ended {
            tracing::error!(import = id, error = %e, "could not end an import");
        }
    }

    /// Answers the job's total once done, `None` when another worker has it or it was
    /// cancelled.
    async fn work_import(&self, id: i64) -> Result<Option<i64>> {
        let now = self.clock.now();
        if !imports::claim(&self.db, id, worker(), now, now - Duration::seconds(STALE_SECS)).await? {
            return Ok(None);
        }
        let job = imports::by_id(&self.db, id)
            .await?
            .ok_or_else(|| Error::Internal("import job vanished".into()))?;
        let bytes = imports::content(&self.db, id).await?.unwrap_or_default();
        let run = self.prepare(job).await?;
        let kind = read::detect(&run.job.file_name, &bytes)?;
        let header: Header =
            serde_json::from_str(&run.job.header).map_err(|e| Error::Internal(e.to_string()))?;
        let skip = run.job.next_row as usize;
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<Result<Vec<(u32, Vec<Raw>)>>>(2);
        let reader = tokio::task::spawn_blocking(move || {
            let mut seen = 0usize;
            let mut batch = Vec::with_capacity(BATCH);
            let outcome = read::read_rows(kind, &bytes, &mut |row, cells| {
                if row <= header.row {
                    return true;
                }
                seen += 1;
                if seen <= skip {
                    return true;
                }
                batch.push((row, cells));
                if batch.len() == BATCH {
                    return sender.blocking_send(Ok(std::mem::take(&mut batch))).is_ok();
                }
                true
            });
            let last = match outcome {
                Ok(()) => Ok(batch),
                Err(e) => Err(e),
            };
            let _ = sender.blocking_send(last);
            seen
        });
        while let Some(batch) = receiver.recv().await {
            let batch = batch?;
            // A batch goes in bulk (its rows checked together, a query per unique field,
            // multi-row inserts); should a write refuse what the checks let through (a
            // module hook, an overwrite), again a row at a time with savepoints.
            let done = match self.import_bulk(&run, &batch).await? {
                Batch::Refused => self.import_batch(&run, &batch).await?,
                other => other,
            };
            if matches!(done, Batch::Lost) {
                return Ok(None);
            }
        }
        let total = reader.await.map_err(|e| Error::Internal(e.to_string()))?;
        Ok(Some(total as i64))
    }

    /// The job's module, runner, catalogue and header mapping.
    async fn prepare(&self, job: JobRow) -> Result<Run> {
        let module =
            modules::by_label(job.label).ok_or_else(|| Error::Internal("import of no module".into()))?;
        let user = users::by_id(&self.db, job.create_user_id)
            .await?
            .ok_or_else(|| Error::business("导入的用户已不存在"))?;
        let actor = self.actor_of(user).await?;
        let customs = self.field_defs(module).await?;
        let all = columns(module, &customs);
        let header: Header = serde_json::from_str(&job.header).map_err(|e| Error::Internal(e.to_string()))?;
        let mut mapped = Vec::new();
        for (i, cell) in header.cells.iter().enumerate() {
            if let Some(c) = column_named(cell, &all)
                && !mapped.iter().any(|(_, m): &(usize, Column)| m.title == c.title)
            {
                mapped.push((i, c.clone()));
            }
        }
        Ok(Run {
            job,
            module,
            actor,
            customs,
            mapped,
        })
    }

    /// Saves one batch in one transaction with the job's progress, a row at a time, each
    /// row undone to its savepoint when refused; answers `Lost` when the job is no longer
    /// this worker's (taken over or cancelled): nothing of the batch stays.
    async fn import_batch(&self, run: &Run, batch: &[(u32, Vec<Raw>)]) -> Result<Batch> {
        let mut tx = self.db.begin().await?;
        let mut progress = Progress {
            rows: batch.len() as i64,
            done: batch.len() as i64,
            ..Progress::default()
        };
        let mut refused = Vec::new();
        for (row, cells) in batch {
            tx.savepoint().await?;
            match self.import_row(&mut tx, run, cells).await {
                Ok(outcome) => {
                    tx.release_savepoint().await?;
                    match outcome {
                        Outcome::Imported => {}
                        Outcome::Updated => progress.updated += 1,
                        Outcome::Skipped => progress.skipped += 1,
                    }
                }
                Err(Error::Internal(detail)) => return Err(Error::Internal(detail)),
                Err(e) => {
                    tx.rollback_to_savepoint().await?;
                    progress.errors += 1;
                    refused.push(error_row(*row, cells, e.to_string()));
                }
            }
        }
        self.end_batch(tx, run, progress, &refused).await
    }

    /// The batch's refused rows and progress, then its commit (unless the job was lost).
    async fn end_batch(
        &self,
        mut tx: Tx,
        run: &Run,
        progress: Progress,
        refused: &[ErrorRow],
    ) -> Result<Batch> {
        imports::insert_errors(&mut tx, run.job.import_id, refused).await?;
        if !imports::advance(&mut tx, run.job.import_id, worker(), progress, self.clock.now()).await? {
            return Ok(Batch::Lost);
        }
        tx.commit().await?;
        Ok(Batch::Saved)
    }

    /// Saves one batch in one transaction, in bulk, to the same outcome as `import_batch`
    /// row by row: every row's entity and checks first (`check_creates`: the checks of
    /// `save_in`'s create, each distinct reference once), then the locks of all its unique
    /// values (`require_unique`'s) and one query per unique field for their holders; then,
    /// in file order, each row is refused, skipped, an update of its duplicate or a create
    /// (a duplicate of a row created earlier in the batch too). The creates go in multi-row
    /// inserts, the updates through `save_in`. `Refused` (nothing written) when a write
    /// refuses a row, or a row's outcome hangs on one before it being written (an
    /// overwrite of a record made or updated earlier in the batch): `import_batch` then
    /// redoes the batch.
    async fn import_bulk(&self, run: &Run, batch: &[(u32, Vec<Raw>)]) -> Result<Batch> {
        let mut tx = self.db.begin().await?;
        let module = run.module;
        let mut progress = Progress {
            rows: batch.len() as i64,
            done: batch.len() as i64,
            ..Progress::default()
        };
        // The entity of each row and the values its duplicate is found by (`duplicate_of`).
        let mut names = HashMap::new();
        let mut entities: Vec<Result<Entity<'_>, String>> = Vec::with_capacity(batch.len());
        for (_, cells) in batch {
            let entity = match refusal(self.entity_of(&mut tx, run, cells, &mut names).await)? {
                Ok(entity) => entity,
                Err(reason) => {
                    entities.push(Err(reason));
                    continue;
                }
            };
            entities.push(refusal(self.duplicate_values(run, &entity))?.map(|values| (entity, values)));
        }
        // Each row as the create it would be (with the job's owner).
        let creates: Vec<Map<String, Value>> = entities
            .iter()
            .filter_map(|e| e.as_ref().ok())
            .map(|(entity, _)| {
                let mut entity = entity.clone();
                if let Some(owner) = run.job.owner_user_id {
                    entity.insert(OWNER_COLUMN.into(), owner.into());
                }
                entity
            })
            .collect();
        let mut checked = self
            .check_creates(&mut tx, module, &run.actor, &run.customs, creates)
            .await?
            .into_iter();
        let mut rows = Vec::with_capacity(batch.len());
        for entity in entities {
            rows.push(match entity {
                Ok((entity, dups)) => {
                    Ok((entity, dups, checked.next().unwrap_or_else(|| Err(String::new()))))
                }
                Err(reason) => Err(reason),
            });
        }
        let mut keys = Vec::new();
        let mut wanted = Vec::new();
        for (_, dups, create) in rows.iter().filter_map(|r| r.as_ref().ok()) {
            wanted.extend(dups.iter());
            if let Ok(create) = create {
                wanted.extend(create.uniques.iter());
            }
        }
        for value in &wanted {
            keys.push(value.key(module));
        }
        let held = if wanted.is_empty() {
            HashMap::new()
        } else {
            crate::store::serialize_on(&mut tx, &keys).await?;
            holder_map(&mut tx, module, &wanted).await?
        };
        // In file order: a value a create of this batch takes is held by that row.
        let mut taken: HashMap<String, ()> = HashMap::new();
        let mut touched: HashSet<i64> = HashSet::new();
        let mut refused = Vec::new();
        let mut made = Vec::new();
        let mut updates = Vec::new();
        for ((row, cells), outcome) in batch.iter().zip(rows) {
            let (entity, dups, create) = match outcome {
                Ok(parts) => parts,
                Err(reason) => {
                    refused.push(error_row(*row, cells, reason));
                    continue;
                }
            };
            let duplicate = dups.iter().find_map(|v| {
                let key = v.key(module);
                match (held.get(&key), taken.contains_key(&key)) {
                    (Some(id), _) => Some(Some(*id)),
                    (None, true) => Some(None),
                    (None, false) => None,
                }
            });
            match (duplicate, run.job.repeat_handling) {
                (Some(_), 2) => progress.skipped += 1,
                // Its duplicate is a record this batch makes or changes: row by row.
                (Some(None), _) => return Ok(Batch::Refused),
                (Some(Some(id)), _) if touched.contains(&id) => return Ok(Batch::Refused),
                (Some(Some(id)), _) => {
                    touched.insert(id);
                    progress.updated += 1;
                    updates.push((entity, id));
                }
                (None, _) => {
                    let create = match create {
                        Ok(create) => create,
                        Err(reason) => {
                            refused.push(error_row(*row, cells, reason));
                            continue;
                        }
                    };
                    let conflict = create.uniques.iter().find(|v| {
                        let key = v.key(module);
                        held.contains_key(&key) || taken.contains_key(&key)
                    });
                    if let Some(value) = conflict {
                        if held
                            .get(&value.key(module))
                            .is_some_and(|id| touched.contains(id))
                        {
                            return Ok(Batch::Refused);
                        }
                        refused.push(error_row(*row, cells, value.taken().to_string()));
                        continue;
                    }
                    if let Some(reason) = &create.incomplete {
                        refused.push(error_row(*row, cells, reason.clone()));
                        continue;
                    }
                    for value in &create.uniques {
                        taken.insert(value.key(module), ());
                    }
                    made.push(create);
                }
            }
        }
        progress.errors = refused.len() as i64;
        let ids = match refusal(self.create_checked(&mut tx, module, &run.actor, made).await)? {
            Ok(ids) => ids,
            Err(_) => return Ok(Batch::Refused),
        };
        if run.job.owner_user_id.is_none() && module.route == CUSTOMER.route && !ids.is_empty() {
            // Customers imported without an owner go to the public pool, as in J9.
            if refusal(self.place_in_pool(&mut tx, &ids, run.job.pool_id).await)?.is_err() {
                return Ok(Batch::Refused);
            }
        }
        for (mut entity, id) in updates {
            entity.insert(module.id_key.into(), id.into());
            let params = Map::from_iter([("entity".to_owned(), Value::Object(entity))]);
            let saved = match SaveRequest::parse(module, Input(&params)) {
                Ok(request) => {
                    self.save_in(&mut tx, module, &run.actor, &run.customs, request)
                        .await
                }
                Err(e) => Err(e),
            };
            if refusal(saved)?.is_err() {
                return Ok(Batch::Refused);
            }
        }
        self.end_batch(tx, run, progress, &refused).await
    }

    /// One row: its entity, then a create, an update of the duplicate, or a skip.
    async fn import_row(&self, tx: &mut Tx, run: &Run, cells: &[Raw]) -> Result<Outcome> {
        let mut entity = self.entity_of(tx, run, cells, &mut HashMap::new()).await?;
        let duplicate = {
            let values = self.duplicate_values(run, &entity)?;
            if values.is_empty() {
                None
            } else {
                holder(&mut *tx, run.module, &values).await?
            }
        };
        let outcome = match (duplicate, run.job.repeat_handling) {
            (Some(_), 2) => return Ok(Outcome::Skipped),
            (Some(id), _) => {
                entity.insert(run.module.id_key.into(), id.into());
                Outcome::Updated
            }
            (None, _) => {
                if let Some(owner) = run.job.owner_user_id {
                    entity.insert(OWNER_COLUMN.into(), owner.into());
                }
                Outcome::Imported
            }
        };
        let params = Map::from_iter([("entity".to_owned(), Value::Object(entity))]);
        let request = SaveRequest::parse(run.module, Input(&params))?;
        let id = self
            .save_in(tx, run.module, &run.actor, &run.customs, request)
            .await?;
        if matches!(outcome, Outcome::Imported)
            && run.job.owner_user_id.is_none()
            && run.module.route == CUSTOMER.route
        {
            // Customers imported without an owner go to the public pool, as in J9.
            self.place_in_pool(tx, &[id], run.job.pool_id).await?;
        }
        Ok(outcome)
    }

    /// A row's entity: its cells by column, references resolved to ids (`names` keeps
    /// those a batch has resolved).
    async fn entity_of(
        &self,
        tx: &mut Tx,
        run: &Run,
        cells: &[Raw],
        names: &mut HashMap<(&'static str, String), i64>,
    ) -> Result<Map<String, Value>> {
        let mut entity = Map::new();
        for (i, column) in &run.mapped {
            let Some(raw) = cells.get(*i).filter(|r| !r.is_empty()) else {
                continue;
            };
            match &column.target {
                Target::Column(f) => {
                    entity.insert(f.column.into(), cell_value(column, raw));
                }
                Target::Reference(f, lookup) => {
                    let name = raw.text();
                    let id = match names.get(&(f.column, name.clone())) {
                        Some(id) => *id,
                        None => {
                            let id = self.referenced(tx, f.name, lookup, &name).await?;
                            names.insert((f.column, name), id);
                            id
                        }
                    };
                    entity.insert(f.column.into(), id.into());
                }
                Target::Custom => {
                    entity.insert(column.title.clone(), cell_value(column, raw));
                }
                Target::Shown => {}
            }
        }
        Ok(entity)
    }

    /// The record a reference cell names by the name its look-up shows.
    async fn referenced(
        &self,
        tx: &mut Tx,
        what: &str,
        lookup: &crate::crm::module::Lookup,
        name: &str,
    ) -> Result<i64> {
        let same = Filter::Compare {
            target: crate::store::Target::Column(lookup.column.into()),
            op: Op::Eq,
            kind: StoreKind::Text,
            value: Cell::Text(name.to_owned()),
        };
        let table = lookup.join.table;
        let found = rows(&mut *tx, table, &[(table.id, StoreKind::Int)], &same).await?;
        match found.as_slice() {
            [] => Err(Error::business(format!("{what}不存在：{name}"))),
            [one] => one[0]
                .as_i64()
                .ok_or_else(|| Error::Internal("reference without id".into())),
            _ => Err(Error::business(format!("{what}“{name}”有多个，无法确定是哪一个"))),
        }
    }

    /// The row's unique values its duplicate is found by, in catalogue order (the record
    /// holding the first found is the duplicate; the file's earlier rows count too).
    fn duplicate_values<'r>(
        &self,
        run: &'r Run,
        entity: &Map<String, Value>,
    ) -> Result<Vec<UniqueValue<'r>>> {
        let mut values = Vec::new();
        for def in run.customs.iter().filter(|d| d.is_unique == 1) {
            let key = if def.is_column() {
                &def.field_name
            } else {
                &def.name
            };
            if let Some(v) = entity.get(key) {
                values.push(UniqueValue::new(def, v, &self.clock)?);
            }
        }
        Ok(values)
    }

    async fn actor_of(&self, user: crate::store::users::UserRow) -> Result<Actor> {
        let access = self.load_access(user.user_id, user.is_admin == 1).await?;
        Ok(Actor {
            user,
            access,
            settings_version: None,
        })
    }

    /// The user named `username` as an actor, with its rights (the command line's).
    pub async fn actor_named(&self, username: &str) -> Result<Actor> {
        let user = users::by_username(&self.db, username)
            .await?
            .ok_or_else(|| Error::business(format!("用户不存在：{username}")))?;
        self.actor_of(user).await
    }

    /// A job the caller may see: its own, or any for the administrator.
    async fn own_job(&self, actor: &Actor, job: JobRef) -> Result<JobRow> {
        let row = imports::by_id(&self.db, job.0)
            .await?
            .ok_or_else(|| Error::business("导入记录不存在"))?;
        if row.create_user_id != actor.id() && !actor.is_admin() {
            return Err(Error::NoPermission);
        }
        Ok(row)
    }

    /// `queryImportNum`: rows handled so far while it runs; null once it has ended (the
    /// J9 client polls until then).
    pub async fn import_progress(&self, actor: &Actor, job: JobRef) -> Result<Option<i64>> {
        let row = self.own_job(actor, job).await?;
        Ok((row.status == imports::RUNNING).then_some(row.done))
    }

    /// `queryImportInfo`.
    pub async fn import_report(&self, actor: &Actor, job: JobRef) -> Result<ImportReport> {
        let r = self.own_job(actor, job).await?;
        Ok(ImportReport {
            total_size: r.total.unwrap_or(r.done),
            err_size: r.errors,
            data: ImportState {
                import_id: r.import_id,
                status: state_name(r.status),
                message: r.message,
                total: r.total,
                done: r.done,
                errors: r.errors,
                updated: r.updated,
                skipped: r.skipped,
                imported: r.done - r.errors - r.updated - r.skipped,
            },
        })
    }

    /// `stopImport`: the rows of committed batches stay; the rest are not read.
    pub async fn cancel_import(&self, actor: &Actor, job: JobRef) -> Result<()> {
        let row = self.own_job(actor, job).await?;
        imports::finish(&self.db, row.import_id, imports::CANCELLED, "已取消", None).await?;
        Ok(())
    }

    /// `downImportError`: the refused rows as uploaded, the reason first (`错误原因`).
    pub async fn import_errors(&self, actor: &Actor, job: JobRef) -> Result<FileOut> {
        let row = self.own_job(actor, job).await?;
        let header: Header = serde_json::from_str(&row.header).map_err(|e| Error::Internal(e.to_string()))?;
        let mut sheet = SheetWriter::new(super::Format::Xlsx)?;
        let mut first = vec![Out::Text("错误原因".into())];
        first.extend(header.cells.into_iter().map(Out::Text));
        sheet.row(&first)?;
        let mut after = 0;
        loop {
            let page = imports::errors(&self.db, row.import_id, after, 1000).await?;
            let Some(&(last, _, _)) = page.last() else {
                break;
            };
            for (_, reason, cells) in page {
                let cells: Vec<String> = serde_json::from_str(&cells).unwrap_or_default();
                let mut line = vec![Out::Text(reason)];
                line.extend(cells.into_iter().map(Out::Text));
                sheet.row(&line)?;
            }
            after = last;
        }
        let mut file = sheet.finish()?;
        file.name = "import_error.xlsx".into();
        Ok(file)
    }

    /// `downloadExcel`: the import template — a title row, then the importable columns
    /// (`(*)` on required ones), with drop-down lists on select fields.
    pub async fn import_template(&self, module: &'static Module, actor: &Actor) -> Result<FileOut> {
        self.authorize(actor, module, Right::Index).await?;
        let customs = self.field_defs(module).await?;
        let columns: Vec<Column> = columns(module, &customs)
            .into_iter()
            .filter(Column::typed)
            .collect();
        let headers: Vec<String> = columns.iter().map(Column::template_title).collect();
        let lists: Vec<(u16, Vec<String>)> = columns
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.options.is_empty())
            .map(|(i, c)| (i as u16, c.options.clone()))
            .collect();
        let title = format!("{}导入模板（标(*)的为必填项）", module.title);
        let mut file = SheetWriter::template(&title, &headers, &lists)?;
        file.name = format!("{}_template.xlsx", module.realm);
        Ok(file)
    }
}
