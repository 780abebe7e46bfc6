//! `wkcrm migrate-from-wukong`: a WukongCRM 9 database copied into this one, table by table
//! in dependency order. Each source table is read in id batches; each batch is mapped,
//! checked (references to rows that are gone, malformed values) and written in one
//! transaction together with the table's progress, so a killed run resumes after the last
//! committed batch and a second run reads nothing it already did. Ids are kept; a row whose
//! id is already taken here is skipped, never overwritten.

mod cells;
mod file_map;
mod map;
mod scene_map;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use serde_json::{Value, json};

use super::error::Result;
use super::{Crm, fields};
use crate::store::explicit_ids::{self, Dest, Progress};
use crate::store::fields::FieldRow;
use crate::store::tables::Table;
use crate::store::wukong::{FieldValue, Source, SourceRow, SourceTable};
use crate::store::{Cell, Tx};

use map::STEPS;

/// What a run does.
#[derive(Clone, Debug)]
pub struct Options {
    /// Read, map and check everything; write nothing (progress neither).
    pub dry_run: bool,
    /// Source rows per batch (and per transaction).
    pub batch: i64,
    /// A copy of WukongCRM's upload directory: attachments (`admin_file`) are migrated only
    /// with it, so that a run without it leaves them for a later run with it.
    pub files: Option<PathBuf>,
    /// The largest attachment copied, in bytes; larger ones are reported.
    pub file_limit: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            dry_run: false,
            batch: 1000,
            files: None,
            file_limit: 100 * 1024 * 1024,
        }
    }
}

/// Attachment rows per batch at most: each file is read and written whole, one after the
/// other, and a batch's files share one transaction.
const FILE_BATCH: i64 = 50;

const ALREADY_HERE: &str = "已存在：wkcrm 中已有同一编号或同一唯一值的记录，未覆盖";

/// One source row left out, and why.
#[derive(Clone, Debug)]
pub struct Skip {
    pub source: &'static str,
    pub id: i64,
    pub reason: String,
    pub row: Value,
}

/// The totals of one source table.
#[derive(Clone, Debug, Default)]
pub struct TableReport {
    pub source: &'static str,
    pub read: i64,
    pub written: i64,
    pub skipped: i64,
    /// Skips by reason (the reason's text without the row's own ids).
    pub reasons: BTreeMap<String, i64>,
}

/// What the command line shows while a run goes on.
pub trait Observer: Sync {
    /// A table starts with `remaining` rows to read.
    fn start(&self, table: &'static str, remaining: u64);
    fn advance(&self, table: &'static str, rows: u64);
    fn finish(&self, report: &TableReport);
    fn skipped(&self, skip: &Skip);
}

/// One mapped row: its cells, and the rows of other tables that belong to it (team
/// members, follow-up timelines, the departments of a business group), written only if the
/// row itself is.
pub(crate) struct Mapped {
    pub id: i64,
    pub row: Vec<Cell>,
    pub extras: Vec<(&'static Dest, Vec<Cell>)>,
    /// The file whose bytes go with the row (attachments).
    pub content: Option<PathBuf>,
}

/// A reference a row cannot do without: the id in `column` must name a row of `table`.
pub(crate) struct Needs {
    pub column: &'static str,
    pub table: Table,
    pub what: &'static str,
}

/// One source table's import.
pub(crate) struct Step {
    pub source: &'static SourceTable,
    pub dest: &'static Dest,
    /// The module whose custom-field values (`admin_fieldv`, by `batch_id`) go into `custom`.
    pub custom_label: Option<i64>,
    pub needs: &'static [Needs],
    /// The column naming the record of any module a row is about (follow-ups, history).
    pub subject_column: Option<&'static str>,
    pub map: fn(&Context<'_>, &Row<'_>) -> std::result::Result<Mapped, String>,
}

/// A source row with its columns by name.
pub(crate) struct Row<'a> {
    pub table: &'static SourceTable,
    pub cells: &'a SourceRow,
}

impl Row<'_> {
    pub fn text(&self, column: &str) -> Option<&str> {
        let at = self.table.position(column);
        debug_assert!(at.is_some(), "{} has no column {column}", self.table.name);
        at.and_then(|i| self.cells[i].as_deref())
    }

    pub fn id(&self) -> i64 {
        self.int(self.table.id()).unwrap_or_default()
    }

    /// The column as an integer; blank or not a number is `None`.
    pub fn int(&self, column: &str) -> Option<i64> {
        self.text(column)?.trim().parse().ok()
    }

    /// The whole row as JSON, for the file of skipped rows.
    fn to_json(&self) -> Value {
        let map = self
            .table
            .columns
            .iter()
            .zip(self.cells)
            .map(|(c, v)| ((*c).to_owned(), json!(v)));
        Value::Object(map.collect())
    }
}

/// What the mapping of one batch may consult.
pub(crate) struct Context<'a> {
    pub crm: &'a Crm,
    pub options: &'a Options,
    /// Each module's field catalogue as the list language checks scenes against it.
    pub defs: &'a HashMap<i64, Vec<FieldRow>>,
    /// Ids known to exist in the target (written here or found there), by table.
    present: &'a HashMap<&'static str, HashSet<i64>>,
    /// Custom values of the batch's records by `batch_id`, already typed, with the skips.
    custom: HashMap<String, Value>,
    /// The default public pool, for customers without an owner.
    pub pool_id: Option<i64>,
}

impl Context<'_> {
    pub fn has(&self, table: Table, id: i64) -> bool {
        self.present.get(table.name).is_some_and(|s| s.contains(&id))
    }

    /// The `custom` JSON of the record of `batch_id`.
    pub fn custom(&self, batch_id: Option<&str>) -> Value {
        batch_id
            .and_then(|b| self.custom.get(b).cloned())
            .unwrap_or_else(|| json!({}))
    }
}

/// A run in progress: the source, the options, what exists so far and the reports.
struct Run<'a> {
    crm: &'a Crm,
    source: &'a Source,
    options: &'a Options,
    observer: &'a dyn Observer,
    present: HashMap<&'static str, HashSet<i64>>,
    /// Custom fields of this database by module and name, as values are matched to them.
    catalogue: HashMap<i64, HashMap<String, FieldRow>>,
    /// Each module's visible fields, fixed and custom, for checking scenes.
    defs: HashMap<i64, Vec<FieldRow>>,
    /// Custom fields a dry run would have added, for matching the values to them.
    unwritten_fields: Vec<FieldRow>,
    pool_id: Option<i64>,
    values: TableReport,
}

impl Crm {
    /// Copies the WukongCRM 9 database behind `source` into this one (see the module
    /// documentation); answers a report per source table, the custom-field values last.
    pub async fn migrate_from_wukong(
        &self,
        source: &Source,
        options: &Options,
        observer: &dyn Observer,
    ) -> Result<Vec<TableReport>> {
        let mut run = Run {
            crm: self,
            source,
            options,
            observer,
            present: HashMap::new(),
            catalogue: HashMap::new(),
            defs: HashMap::new(),
            unwritten_fields: Vec::new(),
            pool_id: explicit_ids::lowest_id(&self.db, crate::store::tables::CUSTOMER_POOL).await?,
            values: TableReport {
                source: crate::store::wukong::FIELD_VALUES,
                ..TableReport::default()
            },
        };
        if !options.dry_run {
            let saved = explicit_ids::progress(&self.db, run.values.source).await?;
            (run.values.read, run.values.written, run.values.skipped) =
                (saved.read_rows, saved.written, saved.skipped);
        }
        let mut reports = Vec::new();
        for step in STEPS {
            if step.dest.table == explicit_ids::FILE.table && options.files.is_none() {
                continue;
            }
            reports.push(run.step(step).await?);
            if step.dest.table == explicit_ids::FIELD.table {
                run.load_catalogue().await?;
            }
            if step.dest.keeps_ids && !options.dry_run {
                explicit_ids::move_sequence(&self.db, step.dest.table).await?;
            }
        }
        if !options.dry_run {
            self.ensure_custom_indexes().await?;
            self.db.optimize().await?;
        }
        reports.push(run.values.clone());
        Ok(reports)
    }
}

impl Run<'_> {
    /// The custom fields values are matched to, and the fields scenes are checked against
    /// (with those a dry run would have added).
    async fn load_catalogue(&mut self) -> Result<()> {
        for label in [1, 2, 3, 4, 5] {
            let defs = crate::store::fields::of_label(&self.crm.db, label, true).await?;
            let visible = defs.iter().filter(|d| d.is_hidden == 0).cloned().collect();
            self.defs.insert(label, visible);
            let by_name = defs
                .into_iter()
                .filter(|d| !d.is_column())
                .map(|d| (d.name.clone(), d));
            self.catalogue.insert(label, by_name.collect());
        }
        for def in self.unwritten_fields.drain(..) {
            self.defs.entry(def.label).or_default().push(def.clone());
            let fields = self.catalogue.entry(def.label).or_default();
            fields.entry(def.name.clone()).or_insert(def);
        }
        Ok(())
    }

    async fn step(&mut self, step: &'static Step) -> Result<TableReport> {
        let name = step.source.name;
        let saved = if self.options.dry_run {
            Progress::default()
        } else {
            explicit_ids::progress(&self.crm.db, name).await?
        };
        let mut report = TableReport {
            source: name,
            read: saved.read_rows,
            written: saved.written,
            skipped: saved.skipped,
            ..TableReport::default()
        };
        let remaining = self.source.count_after(step.source, saved.last_id).await?;
        self.observer.start(name, remaining.max(0) as u64);
        let mut last_id = saved.last_id;
        let size = if step.dest.table == explicit_ids::FILE.table {
            self.options.batch.min(FILE_BATCH)
        } else {
            self.options.batch
        };
        loop {
            let rows = self.source.batch(step.source, last_id, size).await?;
            let Some(last) = rows.last() else { break };
            last_id = Row {
                table: step.source,
                cells: last,
            }
            .id();
            self.batch(step, &rows, last_id, &mut report).await?;
            self.observer.advance(name, rows.len() as u64);
        }
        self.observer.finish(&report);
        Ok(report)
    }

    /// Maps, checks and writes one batch, with the table's progress, in one transaction.
    async fn batch(
        &mut self,
        step: &'static Step,
        rows: &[SourceRow],
        last_id: i64,
        report: &mut TableReport,
    ) -> Result<()> {
        let rows: Vec<Row<'_>> = rows
            .iter()
            .map(|cells| Row {
                table: step.source,
                cells,
            })
            .collect();
        self.note_present(step, &rows).await?;
        let custom = match step.custom_label {
            Some(label) => self.custom_values(label, &rows).await?,
            None => HashMap::new(),
        };
        let context = Context {
            crm: self.crm,
            options: self.options,
            defs: &self.defs,
            present: &self.present,
            custom,
            pool_id: self.pool_id,
        };
        let mut mapped = Vec::new();
        let mut skips = Vec::new();
        for row in &rows {
            match check_needs(step, &context, row).and_then(|()| (step.map)(&context, row)) {
                Ok(m) => mapped.push(m),
                Err(reason) => skips.push(skip(step.source.name, row, reason)),
            }
        }
        if self.options.dry_run && step.dest.table == explicit_ids::FIELD.table {
            self.unwritten_fields
                .extend(mapped.iter().filter_map(|m| map::field_row(&m.row)));
        }
        report.read += rows.len() as i64;
        let inserted = self.write(step, &mapped, &mut skips, last_id, report).await?;
        let present = self.present.entry(step.dest.table.name).or_default();
        present.extend(mapped.iter().map(|m| m.id));
        report.written += inserted as i64;
        for s in &skips {
            report.skipped += 1;
            *report.reasons.entry(reason_kind(&s.reason)).or_default() += 1;
            self.observer.skipped(s);
        }
        Ok(())
    }

    /// Writes the mapped rows (none in a dry run) and the progress; rows already here are
    /// added to `skips`. Answers how many rows were written.
    async fn write(
        &self,
        step: &'static Step,
        mapped: &[Mapped],
        skips: &mut Vec<Skip>,
        last_id: i64,
        report: &TableReport,
    ) -> Result<usize> {
        if self.options.dry_run {
            return Ok(mapped.len());
        }
        let mut tx = self.crm.db.begin().await?;
        let unread = skips.len();
        let inserted = if step.dest.table == explicit_ids::FILE.table {
            self.insert_files(&mut tx, mapped, skips).await?
        } else {
            let cells: Vec<Vec<Cell>> = mapped.iter().map(|m| m.row.clone()).collect();
            explicit_ids::insert_new(
                &mut tx,
                step.dest.table.name,
                step.dest.columns,
                &cells,
                step.dest.table.id,
            )
            .await?
        };
        // Rows with new ids here (field definitions, role links) are told apart only by count.
        let taken = mapped.len() - inserted.len() - (skips.len() - unread);
        let inserted: HashSet<i64> = inserted.into_iter().collect();
        let unreadable: HashSet<i64> = skips[unread..].iter().map(|s| s.id).collect();
        if step.dest.keeps_ids {
            let here = mapped
                .iter()
                .filter(|m| !inserted.contains(&m.id) && !unreadable.contains(&m.id));
            for m in here {
                skips.push(Skip {
                    source: step.source.name,
                    id: m.id,
                    reason: ALREADY_HERE.into(),
                    row: Value::Null,
                });
            }
        } else {
            skips.extend((0..taken).map(|_| Skip {
                source: step.source.name,
                id: 0,
                reason: ALREADY_HERE.into(),
                row: Value::Null,
            }));
        }
        write_extras(&mut tx, mapped, &inserted).await?;
        let skipped_now = skips.len() as i64;
        let progress = Progress {
            last_id,
            read_rows: report.read,
            written: report.written + inserted.len() as i64,
            skipped: report.skipped + skipped_now,
        };
        let now = self.crm.clock.now();
        explicit_ids::save_progress(&mut tx, step.source.name, &progress, now).await?;
        if step.custom_label.is_some() {
            let values = Progress {
                last_id: 0,
                read_rows: self.values.read,
                written: self.values.written,
                skipped: self.values.skipped,
            };
            explicit_ids::save_progress(&mut tx, self.values.source, &values, now).await?;
        }
        tx.commit().await?;
        Ok(inserted.len())
    }

    /// Writes attachments one by one, each with its file's bytes (read now, so that one
    /// file at a time is in memory); a file that cannot be read is added to `skips`.
    /// Answers the ids written.
    async fn insert_files(&self, tx: &mut Tx, mapped: &[Mapped], skips: &mut Vec<Skip>) -> Result<Vec<i64>> {
        let mime_at = explicit_ids::FILE
            .columns
            .iter()
            .position(|(c, _)| *c == "mime_type");
        let mut inserted = Vec::new();
        for m in mapped {
            let Some(path) = &m.content else { continue };
            let mut row = m.row.clone();
            let current = mime_at
                .and_then(|i| row[i].as_str())
                .unwrap_or_default()
                .to_owned();
            match file_map::read(path, self.options.file_limit, &current).await {
                Ok((bytes, mime)) => {
                    if let Some(i) = mime_at {
                        row[i] = Cell::Text(mime);
                    }
                    if explicit_ids::insert_file(&mut *tx, &row, bytes).await? {
                        inserted.push(m.id);
                    }
                }
                Err(reason) => skips.push(Skip {
                    source: crate::store::wukong::FILE.name,
                    id: m.id,
                    reason,
                    row: json!({"path": path}),
                }),
            }
        }
        Ok(inserted)
    }

    /// Finds which ids the batch's needed references name exist here, so that the mapping
    /// can tell an orphan from a row whose parent came in an earlier batch or run.
    async fn note_present(&mut self, step: &Step, rows: &[Row<'_>]) -> Result<()> {
        let subjects = step
            .subject_column
            .map(|column| map::RECORD_TABLES.map(|(_, table)| (column, table)));
        let lookups = step
            .needs
            .iter()
            .map(|n| (n.column, n.table))
            .chain(subjects.into_iter().flatten());
        for (column, table) in lookups {
            let known = self.present.entry(table.name).or_default();
            let missing: Vec<i64> = rows
                .iter()
                .filter_map(|r| r.int(column))
                .filter(|id| !known.contains(id))
                .collect::<HashSet<_>>()
                .into_iter()
                .collect();
            if !missing.is_empty() {
                let found = explicit_ids::existing_ids(&self.crm.db, table, &missing).await?;
                known.extend(found);
            }
        }
        Ok(())
    }

    /// The typed custom values of a batch's records, by `batch_id`; values that fit no
    /// field or fail the field's checks are reported.
    async fn custom_values(&mut self, label: i64, rows: &[Row<'_>]) -> Result<HashMap<String, Value>> {
        let batch_ids: Vec<String> = rows
            .iter()
            .filter_map(|r| r.text("batch_id").map(str::to_owned))
            .collect();
        let values = self.source.field_values(&batch_ids).await?;
        let mut out: HashMap<String, Value> = HashMap::new();
        let defs = self.catalogue.get(&label);
        for v in values {
            self.values.read += 1;
            let def = defs.and_then(|d| d.get(&v.name));
            match def.map(|d| (d, typed(self.crm, d, &v))) {
                Some((d, Ok(Some(value)))) => {
                    self.values.written += 1;
                    let custom = out.entry(v.batch_id.clone()).or_insert_with(|| json!({}));
                    custom[d.field_name.as_str()] = value;
                }
                Some((_, Ok(None))) => self.values.written += 1,
                Some((_, Err(reason))) => value_skipped(&mut self.values, self.observer, &v, reason),
                None => {
                    let reason = format!("字段“{}”在 wkcrm 中不存在（未迁移的字段类型）", v.name);
                    value_skipped(&mut self.values, self.observer, &v, reason)
                }
            }
        }
        Ok(out)
    }
}

fn value_skipped(values: &mut TableReport, observer: &dyn Observer, v: &FieldValue, reason: String) {
    values.skipped += 1;
    *values.reasons.entry(reason_kind(&reason)).or_default() += 1;
    observer.skipped(&Skip {
        source: values.source,
        id: v.id,
        reason,
        row: json!({"id": v.id, "batch_id": v.batch_id, "name": v.name, "value": v.value}),
    });
}

/// A custom value checked and typed as wkcrm stores it (`fields::normalize`); `None`
/// for a blank one.
fn typed(crm: &Crm, def: &FieldRow, v: &FieldValue) -> std::result::Result<Option<Value>, String> {
    let raw = Value::String(v.value.clone().unwrap_or_default());
    match fields::normalize(def, &raw, &crm.clock) {
        Ok(Value::Null) => Ok(None),
        Ok(value) => Ok(Some(value)),
        Err(e) => Err(format!("格式错误：{e}")),
    }
}

fn check_needs(step: &Step, context: &Context<'_>, row: &Row<'_>) -> std::result::Result<(), String> {
    for needs in step.needs {
        match row.int(needs.column) {
            Some(id) if context.has(needs.table, id) => {}
            Some(id) => return Err(format!("孤立记录：{}（{id}）不存在", needs.what)),
            None => return Err(format!("孤立记录：缺少{}", needs.what)),
        }
    }
    Ok(())
}

fn skip(source: &'static str, row: &Row<'_>, reason: String) -> Skip {
    Skip {
        source,
        id: row.id(),
        reason,
        row: row.to_json(),
    }
}

/// The reason without the names and ids quoted in it (“…”, （…）), so that the report
/// counts like reasons together.
fn reason_kind(reason: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in reason.chars() {
        match c {
            '“' | '（' => {
                if depth == 0 {
                    out.push('…');
                }
                depth += 1;
            }
            '”' | '）' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The rows that belong to the rows just written, grouped by table.
async fn write_extras(tx: &mut Tx, mapped: &[Mapped], inserted: &HashSet<i64>) -> Result<()> {
    let mut by_dest: Vec<(&'static Dest, Vec<Vec<Cell>>)> = Vec::new();
    for (dest, row) in mapped
        .iter()
        .filter(|m| inserted.contains(&m.id))
        .flat_map(|m| m.extras.iter())
    {
        match by_dest.iter_mut().find(|(d, _)| d.table == dest.table) {
            Some((_, rows)) => rows.push(row.clone()),
            None => by_dest.push((dest, vec![row.clone()])),
        }
    }
    for (dest, rows) in by_dest {
        explicit_ids::insert_new(&mut *tx, dest.table.name, dest.columns, &rows, dest.table.id).await?;
    }
    Ok(())
}
