#!/usr/bin/env python3
"""Creates per second on a copy of a generated SQLite database, one transaction per create
against several creates to a transaction (each in a savepoint, as wkcrm's group commit
runs them): the measurement behind docs/decisions.md, "SQLite writes commit in groups".

    python3 bench/sqlite_batches.py COPY.db [BATCH ...]     (default: 1 16 1 16)

COPY.db is written to: pass a copy of a `wkcrm demo-data` database. Each batch size runs
1,600 creates of the three statements a lead create makes (the lead, its history row, the
data version); sizes alternate so the machine's noise falls on both.
"""
import random
import sqlite3
import sys
import time

path, sizes = sys.argv[1], [int(a) for a in sys.argv[2:]] or [1, 16, 1, 16]
db = sqlite3.connect(path, isolation_level=None)
for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "cache_size=-65536", "mmap_size=0"):
    db.execute("PRAGMA " + pragma)


def create(n):
    db.execute(
        "INSERT INTO crm_leads (leads_name, mobile, owner_user_id, create_user_id, create_time,"
        " update_time, batch_id, custom) VALUES (?, ?, 1, 1, datetime('now'), datetime('now'), ?, '{}')"
        " RETURNING leads_id",
        ("压测线索%d" % random.randint(1, 10**9), "13800000000", "bench%032x" % random.getrandbits(128)),
    ).fetchall()
    db.execute(
        "INSERT INTO crm_action_record (label, action_id, create_user_id, create_time, content)"
        " VALUES (1, 1, 1, datetime('now'), '新建了线索')"
    )
    db.execute("UPDATE crm_data_version SET version = version + 1 WHERE id = 1")


def apply_search_queue():
    # Migration 0024's queue, where the database has it (the full-text triggers fill it).
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'crm_search_queue'").fetchone():
        db.execute(
            "INSERT INTO crm_search_apply SELECT search_table, command, rid, c1, c2, c3"
            " FROM crm_search_queue ORDER BY seq"
        )
        db.execute("DELETE FROM crm_search_queue")


for size in sizes:
    start, n = time.time(), 0
    while n < 1600:
        db.execute("BEGIN IMMEDIATE")
        for _ in range(size):
            db.execute("SAVEPOINT wkcrm_tx")
            create(n)
            db.execute("RELEASE wkcrm_tx")
            n += 1
        apply_search_queue()
        db.execute("COMMIT")
    print("%2d to a transaction: %5.0f creates/s" % (size, n / (time.time() - start)))
