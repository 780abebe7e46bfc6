-- SQLite's full-text maintenance moved to a queue applied per write batch (see the SQLite
-- migration of this number); PostgreSQL's trigram indexes need nothing: kept so the two
-- migration sequences stay numbered alike.
SELECT 1;
