//! Versioned schema migrations, tracked in `PRAGMA user_version`.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::Result;

/// Each entry moves the schema one version up. Never edit a released entry; add a new one.
const MIGRATIONS: &[&str] = &[
    // 1: task definitions, scoped by registry. `body` is the task's JSON, secrets included.
    "CREATE TABLE tasks (
        registry   TEXT NOT NULL,
        name       TEXT NOT NULL COLLATE NOCASE,
        body       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (registry, name)
    );",
    // 2: runs, their IDs, the base images each task was last built on, and push events.
    "CREATE TABLE run_ids (
        registry TEXT PRIMARY KEY,
        prefix   TEXT NOT NULL UNIQUE,
        counter  INTEGER NOT NULL
    );
    CREATE TABLE runs (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        registry     TEXT NOT NULL,
        run_id       TEXT NOT NULL,
        task         TEXT COLLATE NOCASE,
        status       TEXT NOT NULL,
        create_time  TEXT NOT NULL,
        archived     INTEGER NOT NULL DEFAULT 0,
        runner_pid   INTEGER,
        runner_start INTEGER,
        build_pgid   INTEGER,
        build_start  INTEGER,
        spec         TEXT,
        body         TEXT NOT NULL,
        UNIQUE (registry, run_id)
    );
    CREATE INDEX runs_by_registry ON runs (registry, seq);
    CREATE INDEX runs_by_task ON runs (registry, task, seq);
    CREATE INDEX runs_by_time ON runs (create_time);
    CREATE INDEX runs_unfinished ON runs (status) WHERE status IN ('Queued', 'Started', 'Running');
    CREATE TABLE base_images (
        registry        TEXT NOT NULL,
        task            TEXT NOT NULL COLLATE NOCASE,
        run_id          TEXT NOT NULL,
        dependency_type TEXT NOT NULL,
        base_registry   TEXT NOT NULL,
        repository      TEXT NOT NULL,
        tag             TEXT,
        index_digest    TEXT,
        platform_digest TEXT,
        platform        TEXT NOT NULL
    );
    CREATE INDEX base_images_by_task ON base_images (registry, task);
    CREATE INDEX base_images_by_image ON base_images (base_registry, repository, tag);
    CREATE TABLE events (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        kind       TEXT NOT NULL,
        registry   TEXT NOT NULL,
        repository TEXT NOT NULL,
        tag        TEXT,
        digest     TEXT NOT NULL,
        run_id     TEXT,
        created_at TEXT NOT NULL
    );",
    // 3: what acrt watch remembers between cycles (events seen, timer checks, branch heads,
    // registry back-off).
    "CREATE TABLE watch_state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );",
    // 4: a task id that a new task of the same name never reuses (AUTOINCREMENT), on tasks
    // and their runs, so that a run that ends after its task was deleted (and the name taken
    // again) writes nothing for the new task. Base rows of deleted tasks go.
    "CREATE TABLE task_ids (
        id       INTEGER PRIMARY KEY AUTOINCREMENT,
        registry TEXT NOT NULL,
        name     TEXT NOT NULL
    );
    ALTER TABLE tasks ADD COLUMN task_id INTEGER;
    INSERT INTO task_ids (registry, name) SELECT registry, name FROM tasks ORDER BY rowid;
    UPDATE tasks SET task_id = (SELECT max(i.id) FROM task_ids i
                                WHERE i.registry = tasks.registry AND i.name = tasks.name);
    CREATE UNIQUE INDEX tasks_by_id ON tasks (task_id);
    ALTER TABLE runs ADD COLUMN task_id INTEGER;
    UPDATE runs SET task_id = (SELECT t.task_id FROM tasks t
                               WHERE t.registry = runs.registry AND t.name = runs.task);
    DELETE FROM base_images WHERE NOT EXISTS (SELECT 1 FROM tasks t
        WHERE t.registry = base_images.registry AND t.name = base_images.task);",
    // 5: every process group a run has running (a multi-step run has one per running step),
    // so that any process can stop them; runs.build_pgid/build_start are no longer used.
    "CREATE TABLE run_groups (
        registry TEXT NOT NULL,
        run_id   TEXT NOT NULL,
        pgid     INTEGER NOT NULL,
        start    INTEGER,
        PRIMARY KEY (registry, run_id, pgid)
    );
    INSERT INTO run_groups (registry, run_id, pgid, start)
        SELECT registry, run_id, build_pgid, build_start FROM runs WHERE build_pgid IS NOT NULL;",
    // 6: a base named by digest in the Dockerfile (`name@sha256:...`, `name:tag@sha256:...`)
    // is pinned: its tag moving makes nothing due.
    "ALTER TABLE base_images ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
    UPDATE base_images SET pinned = 1 WHERE tag IS NULL;",
    // 7: a version that moves with every change to tasks and recorded bases, so that watch
    // reads them again only then (not for every push event or run another process writes).
    "CREATE TABLE changes (what TEXT PRIMARY KEY, version INTEGER NOT NULL);
    INSERT INTO changes (what, version) VALUES ('tasks', 0);
    CREATE TRIGGER tasks_inserted AFTER INSERT ON tasks
        BEGIN UPDATE changes SET version = version + 1 WHERE what = 'tasks'; END;
    CREATE TRIGGER tasks_updated AFTER UPDATE ON tasks
        BEGIN UPDATE changes SET version = version + 1 WHERE what = 'tasks'; END;
    CREATE TRIGGER tasks_deleted AFTER DELETE ON tasks
        BEGIN UPDATE changes SET version = version + 1 WHERE what = 'tasks'; END;
    CREATE TRIGGER bases_inserted AFTER INSERT ON base_images
        BEGIN UPDATE changes SET version = version + 1 WHERE what = 'tasks'; END;
    CREATE TRIGGER bases_updated AFTER UPDATE ON base_images
        BEGIN UPDATE changes SET version = version + 1 WHERE what = 'tasks'; END;
    CREATE TRIGGER bases_deleted AFTER DELETE ON base_images
        BEGIN UPDATE changes SET version = version + 1 WHERE what = 'tasks'; END;",
    // 8: what watch decided to run for which base change, written before the run starts and
    // given its run once queued: a watcher started again after being killed finds the runs
    // already going and does not start them a second time.
    "CREATE TABLE watch_starts (
        task_registry   TEXT NOT NULL,
        task            TEXT NOT NULL COLLATE NOCASE,
        base_registry   TEXT NOT NULL,
        repository      TEXT NOT NULL,
        tag             TEXT NOT NULL,
        previous_digest TEXT,
        digest          TEXT NOT NULL,
        run_id          TEXT,
        PRIMARY KEY (task_registry, task, base_registry, repository, tag, digest)
    );",
    // 9: watch's cursor in the push events and each registry's back-off as typed rows, out
    // of watch_state's strings. A cursor or back-off that does not read as one is dropped: a
    // watcher then starts from the newest event (replaying none), and the registry is
    // checked at once.
    "CREATE TABLE watch_cursor (
        stream  TEXT PRIMARY KEY,
        last_id INTEGER NOT NULL
    );
    INSERT INTO watch_cursor (stream, last_id)
        SELECT 'events', CAST(value AS INTEGER) FROM watch_state
        WHERE key = 'events.last_id' AND value <> '' AND value NOT GLOB '*[^0-9]*';
    CREATE TABLE watch_backoff (
        registry TEXT PRIMARY KEY,
        until_ms INTEGER NOT NULL,
        failures INTEGER NOT NULL
    );
    INSERT INTO watch_backoff (registry, until_ms, failures)
        SELECT substr(key, 9),
               CAST(unixepoch(substr(value, 1, instr(value, ' ') - 1), 'subsec') * 1000 AS INTEGER),
               CAST(substr(value, instr(value, ' ') + 1) AS INTEGER)
        FROM watch_state
        WHERE key GLOB 'backoff:*' AND instr(value, ' ') > 0
          AND unixepoch(substr(value, 1, instr(value, ' ') - 1)) IS NOT NULL;
    DELETE FROM watch_state WHERE key = 'events.last_id' OR key GLOB 'backoff:*';",
    // 10: the rest of watch_state as typed rows: each timer's next occurrence (and the
    // schedule it was computed from; none for a state that kept only the last check, whose
    // time is then the lower bound of what fires), each commit trigger's branch head, the
    // bases said missing and the tasks' logins said refused. A string that does not read as
    // its row is dropped (a timer then starts afresh; a warning may be said once more).
    "CREATE TABLE watch_timers (
        task_registry TEXT NOT NULL,
        task          TEXT NOT NULL COLLATE NOCASE,
        timer         TEXT NOT NULL,
        next_ms       INTEGER NOT NULL,
        schedule      TEXT,
        PRIMARY KEY (task_registry, task, timer)
    );
    WITH s AS (SELECT substr(key, 7) AS k, value FROM watch_state WHERE key GLOB 'timer:*'),
         named AS (SELECT substr(k, 1, instr(k, '/') - 1) AS task_registry,
                          substr(k, instr(k, '/') + 1) AS rest, value
                   FROM s WHERE instr(k, '/') > 0),
         keyed AS (SELECT task_registry, substr(rest, 1, instr(rest, '/') - 1) AS task,
                          substr(rest, instr(rest, '/') + 1) AS timer, value
                   FROM named WHERE instr(rest, '/') > 0),
         valued AS (SELECT task_registry, task, timer,
                           CASE WHEN value GLOB 'next *'
                                THEN substr(value, 6, instr(substr(value, 6), ' ') - 1)
                                ELSE value END AS at,
                           CASE WHEN value GLOB 'next *'
                                THEN substr(value, 6 + instr(substr(value, 6), ' ')) END AS schedule
                    FROM keyed WHERE value NOT GLOB 'next *' OR instr(substr(value, 6), ' ') > 0)
    INSERT INTO watch_timers (task_registry, task, timer, next_ms, schedule)
        SELECT task_registry, task, timer,
               CAST(unixepoch(at, 'subsec') * 1000 AS INTEGER)
                   + CASE WHEN schedule IS NULL THEN 1000 ELSE 0 END,
               schedule
        FROM valued WHERE unixepoch(at) IS NOT NULL;
    CREATE TABLE watch_commits (
        task_registry TEXT NOT NULL,
        task          TEXT NOT NULL COLLATE NOCASE,
        head          TEXT NOT NULL,
        PRIMARY KEY (task_registry, task)
    );
    INSERT INTO watch_commits (task_registry, task, head)
        SELECT substr(key, 8, instr(substr(key, 8), '/') - 1),
               substr(key, 8 + instr(substr(key, 8), '/')), value
        FROM watch_state WHERE key GLOB 'commit:*' AND instr(substr(key, 8), '/') > 0;
    CREATE TABLE watch_missing (
        registry   TEXT NOT NULL,
        repository TEXT NOT NULL,
        tag        TEXT NOT NULL,
        platform   TEXT NOT NULL,
        PRIMARY KEY (registry, repository, tag, platform)
    );
    WITH s AS (SELECT substr(key, 9) AS k FROM watch_state WHERE key GLOB 'missing:*'),
         a AS (SELECT substr(k, 1, instr(k, '/') - 1) AS registry,
                      substr(k, instr(k, '/') + 1) AS rest
               FROM s WHERE instr(k, '/') > 0),
         b AS (SELECT registry, substr(rest, 1, instr(rest, ':') - 1) AS repository,
                      substr(rest, instr(rest, ':') + 1) AS rest
               FROM a WHERE instr(rest, ':') > 0)
    INSERT OR IGNORE INTO watch_missing (registry, repository, tag, platform)
        SELECT registry, repository, substr(rest, 1, instr(rest, '/') - 1),
               substr(rest, instr(rest, '/') + 1)
        FROM b WHERE instr(rest, '/') > 0;
    CREATE TABLE watch_refused_logins (
        task_registry TEXT NOT NULL,
        task          TEXT NOT NULL COLLATE NOCASE,
        server        TEXT NOT NULL,
        PRIMARY KEY (task_registry, task, server)
    );
    WITH s AS (SELECT substr(key, 10) AS k FROM watch_state WHERE key GLOB 'authfail:*'),
         a AS (SELECT substr(k, 1, instr(k, '/') - 1) AS task_registry,
                      substr(k, instr(k, '/') + 1) AS rest
               FROM s WHERE instr(k, '/') > 0)
    INSERT OR IGNORE INTO watch_refused_logins (task_registry, task, server)
        SELECT task_registry, substr(rest, 1, instr(rest, '/') - 1),
               substr(rest, instr(rest, '/') + 1)
        FROM a WHERE instr(rest, '/') > 0;
    DROP TABLE watch_state;",
    // 11: each changed base index in its settle window: the digest its tag points to and
    // since when (a new digest starts the window again).
    "CREATE TABLE watch_settling (
        registry   TEXT NOT NULL,
        repository TEXT NOT NULL,
        tag        TEXT NOT NULL,
        digest     TEXT NOT NULL,
        since_ms   INTEGER NOT NULL,
        PRIMARY KEY (registry, repository, tag)
    );",
    // 12: what watch kept for tasks deleted before a task's deletion took it along: a task
    // created later under such a name would inherit it.
    "DELETE FROM watch_timers WHERE NOT EXISTS
        (SELECT 1 FROM tasks t WHERE t.registry = task_registry AND t.name = task);
    DELETE FROM watch_commits WHERE NOT EXISTS
        (SELECT 1 FROM tasks t WHERE t.registry = task_registry AND t.name = task);
    DELETE FROM watch_starts WHERE NOT EXISTS
        (SELECT 1 FROM tasks t WHERE t.registry = task_registry AND t.name = task);
    DELETE FROM watch_refused_logins WHERE NOT EXISTS
        (SELECT 1 FROM tasks t WHERE t.registry = task_registry AND t.name = task);",
];

pub fn migrate(conn: &Connection) -> Result<()> {
    migrate_to(conn, MIGRATIONS.len())
}

/// Moves the schema up to version `target` (a test stops at an older one).
fn migrate_to(conn: &Connection, target: usize) -> Result<()> {
    let target = target as i64;
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current == target {
        return Ok(());
    }
    // Re-read the version under the write lock: another process may have migrated meanwhile.
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > target {
        anyhow::bail!(
            "the state file has schema version {current}, newer than this acrt knows ({target}); \
             upgrade acrt"
        );
    }
    let upto = MIGRATIONS.iter().enumerate().take(target as usize);
    for (index, sql) in upto.skip(current as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store of schema 8 with watch state as strings: the cursor and back-offs that read
    /// become rows, those that do not are dropped, and no string of theirs is left.
    #[test]
    fn watch_state_strings_become_typed_rows() {
        let conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..8] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 8).unwrap();
        conn.execute_batch(
            "INSERT INTO watch_state (key, value) VALUES
                ('events.last_id', '42'),
                ('backoff:good.example', '2026-01-02T03:04:05.678+00:00 3'),
                ('backoff:bad.example', 'soon 2'),
                ('timer:r/t/t1', 'next 2026-01-02T03:04:05+00:00 0 * * * *');",
        )
        .unwrap();
        migrate_to(&conn, 9).unwrap();
        let cursor: i64 = conn
            .query_row(
                "SELECT last_id FROM watch_cursor WHERE stream = 'events'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(cursor, 42);
        let backoffs: Vec<(String, i64, i64)> = conn
            .prepare("SELECT registry, until_ms, failures FROM watch_backoff")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let until = chrono::DateTime::parse_from_rfc3339("2026-01-02T03:04:05.678+00:00")
            .unwrap()
            .timestamp_millis();
        assert_eq!(backoffs, vec![("good.example".to_string(), until, 3)]);
        let left: Vec<String> = conn
            .prepare("SELECT key FROM watch_state")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(left, vec!["timer:r/t/t1".to_string()]);
    }

    #[test]
    fn an_unreadable_cursor_is_not_carried_over() {
        let conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..8] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 8).unwrap();
        conn.execute_batch(
            "INSERT INTO watch_state (key, value) VALUES ('events.last_id', '4x2');",
        )
        .unwrap();
        migrate_to(&conn, 9).unwrap();
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM watch_cursor", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 0);
    }

    fn rows<T: rusqlite::types::FromSql>(conn: &Connection, sql: &str) -> Vec<Vec<T>> {
        let mut stmt = conn.prepare(sql).unwrap();
        let width = stmt.column_count();
        stmt.query_map([], |r| (0..width).map(|i| r.get(i)).collect())
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// A store of schema 9 with timers, branch heads, missing bases and refused logins as
    /// strings: those that read become typed rows, the rest are dropped, and the strings'
    /// table goes.
    #[test]
    fn the_last_watch_state_strings_become_typed_rows() {
        let conn = Connection::open_in_memory().unwrap();
        migrate_to(&conn, 9).unwrap();
        conn.execute_batch(
            "INSERT INTO watch_state (key, value) VALUES
                ('timer:r:5000/t/t1', 'next 2026-01-02T03:04:00+00:00 */5 * * * *'),
                ('timer:r:5000/t/old', '2026-01-02T03:04:05+00:00'),
                ('timer:r:5000/t/bad', 'next never'),
                ('timer:r:5000/t/worse', 'yesterday'),
                ('commit:r:5000/t', 'abc123'),
                ('missing:r:5000/library/base:1.0/linux/arm/v7', '2026-01-02T03:04:05+00:00'),
                ('missing:garbled', 'x'),
                ('authfail:r:5000/t/other.example:443', '2026-01-02T03:04:05+00:00'),
                ('authfail:nothing', 'x');",
        )
        .unwrap();
        migrate_to(&conn, 10).unwrap();
        let at = |t: &str| {
            chrono::DateTime::parse_from_rfc3339(t)
                .unwrap()
                .timestamp_millis()
                .to_string()
        };
        let timers: Vec<Vec<Option<String>>> = rows(
            &conn,
            "SELECT task_registry, task, timer, CAST(next_ms AS TEXT), schedule
             FROM watch_timers ORDER BY timer",
        );
        let some = |v: &str| Some(v.to_string());
        assert_eq!(
            timers,
            vec![
                // Only the last check was kept: a second past it is the lower bound.
                vec![
                    some("r:5000"),
                    some("t"),
                    some("old"),
                    Some(
                        (at("2026-01-02T03:04:05+00:00").parse::<i64>().unwrap() + 1000)
                            .to_string()
                    ),
                    None
                ],
                vec![
                    some("r:5000"),
                    some("t"),
                    some("t1"),
                    Some(at("2026-01-02T03:04:00+00:00")),
                    some("*/5 * * * *")
                ],
            ]
        );
        let commits: Vec<Vec<String>> = rows(&conn, "SELECT * FROM watch_commits");
        assert_eq!(commits, vec![vec!["r:5000", "t", "abc123"]]);
        let missing: Vec<Vec<String>> = rows(&conn, "SELECT * FROM watch_missing");
        assert_eq!(
            missing,
            vec![vec!["r:5000", "library/base", "1.0", "linux/arm/v7"]]
        );
        let refused: Vec<Vec<String>> = rows(&conn, "SELECT * FROM watch_refused_logins");
        assert_eq!(refused, vec![vec!["r:5000", "t", "other.example:443"]]);
        let tables: Vec<Vec<String>> = rows(
            &conn,
            "SELECT name FROM sqlite_master WHERE name = 'watch_state'",
        );
        assert!(tables.is_empty(), "{tables:?}");
    }
}
