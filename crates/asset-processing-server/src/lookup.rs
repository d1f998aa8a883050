//! Per-asset status look-ups (the published "API to track post processing status for a folder
//! or an asset"): which assets lie under some paths, and each one's latest outcome, whichever
//! job produced it. No HTTP in here.
//!
//! A look-up runs as a job of its own on a thread (the POST answers at once with its id) and
//! keeps its answer in memory, compactly (a path, an outcome and a flag per asset; the uuid
//! is derived from the path when the answer is written): look-ups are cheap to repeat, so
//! only the last [`KEPT_LOOKUPS`] are kept and none survives a restart (a GET for a forgotten
//! id is a 404, as for an unknown one). [`write_report`] writes the answer's JSON piece by
//! piece, so the HTTP side streams it and never holds the whole document.
//!
//! Cost: one walk of the folders and, alongside it, one range scan of the results under each
//! path (the index `asset_results_by_path_outcome` alone: a path and every path below it are
//! one contiguous range) and one read of the assets still pending in running jobs.
//! `cargo xtask bench` measures a look-up of 1,000,000 assets.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};

#[cfg(test)]
use asset_processing_api::AssetStatusReport;
use asset_processing_api::{AssetOutcome, AssetState, Status};
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use crate::repository::{RepoError, Repository, Selection};
use crate::store::{Store, StoreError};

/// Maps of a look-up's paths (up to millions): foldhash, quicker than std's SipHash; the
/// keys are the repository's own paths, not chosen by a client to collide.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;
type FastSet<K> = HashSet<K, foldhash::fast::RandomState>;

/// How many finished or running look-ups are remembered.
pub const KEPT_LOOKUPS: usize = 32;

/// The look-ups of this server; cheap to clone.
#[derive(Clone)]
pub struct Lookups {
    store: Store,
    repo: Repository,
    table: Arc<Mutex<Table>>,
}

#[derive(Default)]
struct Table {
    /// Ids, oldest first, to forget the oldest when full.
    order: VecDeque<String>,
    entries: HashMap<String, Entry>,
}

#[derive(Clone)]
struct Entry {
    status: Status,
    assets: Arc<Vec<AssetFound>>,
}

/// One asset of a look-up's answer, as kept: its [`AssetState`] without the uuid, which
/// [`path_uuid`] derives from the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetFound {
    pub path: String,
    pub status: AssetOutcome,
    pub exists: bool,
}

impl AssetFound {
    pub fn to_state(&self) -> AssetState {
        AssetState {
            path: self.path.clone(),
            uuid: path_uuid(&self.path),
            status: self.status.clone(),
            exists: self.exists,
        }
    }
}

/// A look-up as it is now: its state and, once SUCCESS, its assets (shared, not copied).
#[derive(Clone)]
pub struct LookupAnswer {
    pub job_id: String,
    pub status: Status,
    pub assets: Arc<Vec<AssetFound>>,
}

impl Lookups {
    pub fn new(store: Store, repo: Repository) -> Lookups {
        Lookups {
            store,
            repo,
            table: Arc::default(),
        }
    }

    /// Starts a look-up of the assets at or below `paths` (already validated and in normal
    /// form), less `excluded`; answers its id at once.
    pub fn start(&self, paths: Vec<String>, excluded: Vec<String>) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        self.set(&id, Status::Waiting, Arc::default());
        let this = self.clone();
        let job_id = id.clone();
        std::thread::spawn(move || {
            this.update(&job_id, Status::Running, Arc::default());
            // A look-up that panics (a bug) ends FAILED, never RUNNING for ever: a client polls
            // it until it ends.
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                this.store
                    .connect()
                    .and_then(|conn| assets_status(&conn, &this.repo, &paths, &excluded))
            }))
            .unwrap_or_else(|_| {
                Err(StoreError(
                    "the look-up stopped on an internal error".into(),
                ))
            });
            match result {
                Ok(assets) => this.update(&job_id, Status::Success, Arc::new(assets)),
                Err(e) => {
                    tracing::error!("per-asset status look-up {job_id} failed: {e}");
                    this.update(&job_id, Status::Failed, Arc::default());
                }
            }
        });
        id
    }

    /// The look-up as it is now; None when the id is unknown (or long forgotten).
    pub fn get(&self, id: &str) -> Option<LookupAnswer> {
        let entry = self.lock().entries.get(id).cloned()?;
        Some(LookupAnswer {
            job_id: id.to_string(),
            status: entry.status,
            assets: entry.assets,
        })
    }

    fn set(&self, id: &str, status: Status, assets: Arc<Vec<AssetFound>>) {
        let mut table = self.lock();
        if !table.entries.contains_key(id) {
            table.order.push_back(id.to_string());
            while table.order.len() > KEPT_LOOKUPS {
                if let Some(old) = table.order.pop_front() {
                    table.entries.remove(&old);
                }
            }
        }
        table
            .entries
            .insert(id.to_string(), Entry { status, assets });
    }

    /// A look-up's thread moving it on: only while it is remembered. One forgotten while it
    /// ran (more than KEPT_LOOKUPS started since) stays forgotten, and never pushes out a
    /// newer one by coming back.
    fn update(&self, id: &str, status: Status, assets: Arc<Vec<AssetFound>>) {
        if let Some(entry) = self.lock().entries.get_mut(id) {
            *entry = Entry { status, assets };
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Table> {
        // The table is only ever replaced whole per entry: a panic elsewhere cannot leave
        // it half-written, so a poisoned lock is safe to take over.
        self.table.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Every asset at or below `paths` (a path that does not exist is reported once, with
/// `exists: false` and what the database last knew of it), in walk order, without repeats.
/// The folders are walked while the database is read: neither needs the other.
pub fn assets_status(
    conn: &Connection,
    repo: &Repository,
    paths: &[String],
    excluded: &[String],
) -> Result<Vec<AssetFound>, StoreError> {
    let began = std::time::Instant::now();
    let (found, known, walked, read) = std::thread::scope(|scope| {
        let walk = scope.spawn(|| {
            let found = found_assets(repo, paths, excluded);
            (found, began.elapsed())
        });
        let known = pending_in_running_jobs(conn)
            .and_then(|pending| Ok((pending, latest_outcomes(conn, paths)?)));
        let read = began.elapsed();
        let (found, walked) = walk
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (found, known, walked, read)
    });
    let (in_progress, latest) = known?;
    let out = found?
        .into_iter()
        .map(|(path, exists)| {
            let status = if in_progress.contains(&path) {
                AssetOutcome::Processing
            } else {
                match latest.get(path.as_str()) {
                    Some((_, true)) => AssetOutcome::Success,
                    Some((_, false)) => AssetOutcome::Failure,
                    None => AssetOutcome::Pending,
                }
            };
            AssetFound {
                path,
                status,
                exists,
            }
        })
        .collect::<Vec<_>>();
    tracing::debug!(
        "look-up of {} assets in {:?}: walk {walked:?}, database {read:?}",
        out.len(),
        began.elapsed()
    );
    Ok(out)
}

/// The assets at or below `paths`, less `excluded`, in walk order without repeats, each
/// with whether it exists (a path that does not is listed itself, once).
fn found_assets(
    repo: &Repository,
    paths: &[String],
    excluded: &[String],
) -> Result<Vec<(String, bool)>, StoreError> {
    let mut found: Vec<(String, bool)> = Vec::new();
    // One walk never repeats an asset: only several paths (one inside another) can.
    let mut seen: Option<FastSet<String>> = (paths.len() > 1).then(FastSet::default);
    let mut is_new = |path: &String| seen.as_mut().is_none_or(|s| s.insert(path.clone()));
    for path in paths {
        match repo.kind(path) {
            Ok(_) => {
                let walk = repo
                    .walk(path, excluded, &Selection::default(), &|| false)
                    .map_err(|e| StoreError(format!("cannot list {path}: {e}")))?
                    .unwrap_or_default();
                found.reserve(walk.assets.len());
                for asset in walk.assets {
                    if is_new(&asset) {
                        found.push((asset, true));
                    }
                }
            }
            Err(RepoError::NotFound) => {
                if is_new(path) {
                    found.push((path.clone(), false));
                }
            }
            Err(e) => return Err(StoreError(format!("cannot read {path}: {e}"))),
        }
    }
    Ok(found)
}

/// The latest outcome of every asset at or below `paths` that has one: the newest job's
/// result (jobs.seq), true for processed, false for failed. `skipped` rows say "unchanged
/// since it last succeeded", so they never hide that success. One range scan of the
/// `asset_results_by_path_outcome` index per path (the index alone, never the table): the
/// path itself and every path below it (they sort from `path` to `path0`, `0` being the byte
/// after `/`).
fn latest_outcomes(
    conn: &Connection,
    paths: &[String],
) -> Result<FastMap<String, (i64, bool)>, StoreError> {
    let mut job_seq: FastMap<String, i64> = FastMap::default();
    let mut jobs = conn.prepare("SELECT id, seq FROM jobs")?;
    for row in jobs.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (id, seq) = row?;
        job_seq.insert(id, seq);
    }
    // `path0` bounds the range: every `path/...` sorts below it (the range also holds
    // siblings such as `path.dita`, never asked for by the look-up's assets).
    let mut below = conn.prepare_cached(
        "SELECT job_id, path, outcome FROM asset_results INDEXED BY asset_results_by_path_outcome
         WHERE path >= ?1 AND path < ?2 AND outcome != 'skipped'",
    )?;
    let mut latest: FastMap<String, (i64, bool)> = FastMap::default();
    let mut last_job: Option<(String, Option<i64>)> = None;
    for path in paths {
        let after = format!("{path}0");
        let mut rows = below.query(rusqlite::params![path, after])?;
        while let Some(row) = rows.next()? {
            let job = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            // Rows of one job come in runs (one run is most of a folder's results).
            let seq = match &last_job {
                Some((id, seq)) if id == job => *seq,
                _ => {
                    let seq = job_seq.get(job).copied();
                    last_job = Some((job.to_string(), seq));
                    seq
                }
            };
            let Some(seq) = seq else {
                continue; // a result of a job that is gone: the old query's join dropped it too
            };
            let processed = row.get_ref(2)?.as_str().map_err(rusqlite::Error::from)? == "processed";
            let asset = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            match latest.get_mut(asset) {
                Some(known) if known.0 >= seq => {}
                Some(known) => *known = (seq, processed),
                None => {
                    latest.insert(asset.to_string(), (seq, processed));
                }
            }
        }
    }
    Ok(latest)
}

/// Writes a look-up's answer as JSON, exactly as `serde_json` writes an
/// [`AssetStatusReport`], in pieces: `flush` hears each piece of about `piece` bytes (and the
/// last one) and may stop the writing by answering false (the reader went away).
pub fn write_report(
    answer: &LookupAnswer,
    piece: usize,
    mut flush: impl FnMut(Vec<u8>) -> bool,
) -> Result<(), serde_json::Error> {
    let mut out = Vec::with_capacity(piece + 1_024);
    out.extend_from_slice(b"{\"jobId\":");
    serde_json::to_writer(&mut out, &answer.job_id)?;
    out.extend_from_slice(b",\"status\":");
    serde_json::to_writer(&mut out, &answer.status)?;
    out.extend_from_slice(b",\"assets\":[");
    for (i, asset) in answer.assets.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, &asset.to_state())?;
        if out.len() >= piece
            && !flush(std::mem::replace(
                &mut out,
                Vec::with_capacity(piece + 1_024),
            ))
        {
            return Ok(());
        }
    }
    out.extend_from_slice(b"]}");
    flush(out);
    Ok(())
}

/// Assets that a RUNNING job has counted and not handled yet.
fn pending_in_running_jobs(conn: &Connection) -> Result<FastSet<String>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT a.path FROM jobs j JOIN job_assets a ON a.job_id = j.id
         WHERE j.status = 'RUNNING'
           AND NOT EXISTS (SELECT 1 FROM asset_results r WHERE r.job_id = j.id AND r.path = a.path)",
    )?;
    let rows = statement.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A stable UUID for a repository path: files in the reference repository have no
/// `jcr:uuid`, so the id is name-based (the first 16 bytes of the path's SHA-256, marked as
/// an RFC 9562 version 8 UUID). The same path always has the same id.
pub fn path_uuid(path: &str) -> String {
    let digest = Sha256::digest(path.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    uuid::Uuid::from_bytes(bytes).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::assets::{self, AssetResult, Outcome};
    use crate::store::{jobs, test_support};

    #[test]
    fn a_running_jobs_unhandled_assets_are_processing() {
        let (_d, store) = test_support::temp_store();
        let dam = tempfile::tempdir().unwrap();
        for name in ["a.dita", "b.dita", "c.dita"] {
            std::fs::write(dam.path().join(name), "<topic/>").unwrap();
        }
        let repo = Repository::open(dam.path()).unwrap();
        let conn = store.connect().unwrap();
        let paths: Vec<String> = ["a", "b", "c"]
            .iter()
            .map(|n| format!("/content/dam/{n}.dita"))
            .collect();
        // An earlier job failed b; a running job has handled a and still has b and c to do.
        jobs::insert(&conn, &test_support::new_job("old", "/content/dam")).unwrap();
        jobs::claim_next(&conn, 1).unwrap();
        assets::save_list(&conn, "old", &paths).unwrap();
        let result = |p: &str| AssetResult {
            path: p.into(),
            ..AssetResult::default()
        };
        assets::record(&conn, "old", Outcome::Failed, &result(&paths[1]), 2).unwrap();
        conn.execute("UPDATE jobs SET status = 'FAILED' WHERE id = 'old'", [])
            .unwrap();
        jobs::insert(&conn, &test_support::new_job("now", "/content/dam")).unwrap();
        jobs::claim_next(&conn, 3).unwrap();
        assets::save_list(&conn, "now", &paths).unwrap();
        assets::record(&conn, "now", Outcome::Processed, &result(&paths[0]), 4).unwrap();

        let report = assets_status(&conn, &repo, &["/content/dam".into()], &[]).unwrap();
        let outcomes: Vec<(&str, &AssetOutcome)> = report
            .iter()
            .map(|a| (a.path.as_str(), &a.status))
            .collect();
        assert_eq!(
            outcomes,
            [
                ("/content/dam/a.dita", &AssetOutcome::Success),
                ("/content/dam/b.dita", &AssetOutcome::Processing),
                ("/content/dam/c.dita", &AssetOutcome::Processing),
            ]
        );
        // Once the running job has ended, b's latest known outcome shows again.
        conn.execute("UPDATE jobs SET status = 'CANCELLED' WHERE id = 'now'", [])
            .unwrap();
        let report = assets_status(&conn, &repo, &["/content/dam".into()], &[]).unwrap();
        assert_eq!(report[1].status, AssetOutcome::Failure);
        assert_eq!(report[2].status, AssetOutcome::Pending);
    }

    #[test]
    fn the_answer_written_in_pieces_is_the_whole_report_as_serde_writes_it() {
        let assets: Vec<AssetFound> = (0..1_000)
            .map(|i| AssetFound {
                path: format!("/content/dam/d{}/\"quoted\" ü {i}.dita", i % 7),
                status: [
                    AssetOutcome::Success,
                    AssetOutcome::Failure,
                    AssetOutcome::Pending,
                ][i % 3]
                    .clone(),
                exists: i % 5 != 0,
            })
            .collect();
        let answer = LookupAnswer {
            job_id: "look-1".into(),
            status: Status::Success,
            assets: Arc::new(assets.clone()),
        };
        let whole = serde_json::to_vec(&AssetStatusReport {
            job_id: "look-1".into(),
            status: Status::Success,
            assets: assets.iter().map(AssetFound::to_state).collect(),
        })
        .unwrap();
        let mut pieces: Vec<Vec<u8>> = Vec::new();
        write_report(&answer, 4_096, |p| {
            pieces.push(p);
            true
        })
        .unwrap();
        assert!(pieces.len() > 10, "written in pieces, not whole");
        assert!(pieces.iter().all(|p| p.len() < 4_096 + 1_024));
        assert_eq!(pieces.concat(), whole);
        // An empty or unfinished look-up too.
        let empty = LookupAnswer {
            job_id: "x".into(),
            status: Status::Running,
            assets: Arc::default(),
        };
        let mut out = Vec::new();
        write_report(&empty, 4_096, |p| {
            out.extend(p);
            true
        })
        .unwrap();
        let expected = AssetStatusReport {
            job_id: "x".into(),
            status: Status::Running,
            assets: vec![],
        };
        assert_eq!(out, serde_json::to_vec(&expected).unwrap());
        // A reader that goes away stops the writing.
        let mut heard = 0;
        write_report(&answer, 4_096, |_| {
            heard += 1;
            false
        })
        .unwrap();
        assert_eq!(heard, 1);
    }

    #[test]
    fn the_newest_jobs_result_wins_and_a_sibling_prefix_is_not_below() {
        let (_d, store) = test_support::temp_store();
        let dam = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dam.path().join("a")).unwrap();
        for name in ["a/x.dita", "a.dita", "ab.dita"] {
            std::fs::write(dam.path().join(name), "<topic/>").unwrap();
        }
        let repo = Repository::open(dam.path()).unwrap();
        let conn = store.connect().unwrap();
        let paths: Vec<String> = ["a/x.dita", "a.dita", "ab.dita"]
            .iter()
            .map(|n| format!("/content/dam/{n}"))
            .collect();
        let result = |p: &str| AssetResult {
            path: p.into(),
            ..AssetResult::default()
        };
        // Job 1 processed everything; job 2 failed x and skipped a.dita; job 3 skipped x.
        for (job, outcomes) in [
            (
                "j1",
                [
                    Some(Outcome::Processed),
                    Some(Outcome::Processed),
                    Some(Outcome::Processed),
                ],
            ),
            ("j2", [Some(Outcome::Failed), Some(Outcome::Skipped), None]),
            ("j3", [Some(Outcome::Skipped), None, None]),
        ] {
            jobs::insert(&conn, &test_support::new_job(job, "/content/dam")).unwrap();
            for (p, o) in paths.iter().zip(outcomes) {
                if let Some(o) = o {
                    assets::record(&conn, job, o, &result(p), 1).unwrap();
                }
            }
        }
        let report = assets_status(&conn, &repo, &["/content/dam/a".into()], &[]).unwrap();
        assert_eq!(
            report,
            vec![AssetFound {
                path: paths[0].clone(),
                status: AssetOutcome::Failure,
                exists: true
            }]
        );
        let report = assets_status(&conn, &repo, &["/content/dam".into()], &[]).unwrap();
        let outcomes: Vec<(&str, &AssetOutcome)> = report
            .iter()
            .map(|a| (a.path.as_str(), &a.status))
            .collect();
        assert_eq!(
            outcomes,
            [
                ("/content/dam/a/x.dita", &AssetOutcome::Failure),
                ("/content/dam/a.dita", &AssetOutcome::Success),
                ("/content/dam/ab.dita", &AssetOutcome::Success),
            ]
        );
        let gone = assets_status(&conn, &repo, &["/content/dam/gone.dita".into()], &[]).unwrap();
        assert_eq!(
            gone,
            vec![AssetFound {
                path: "/content/dam/gone.dita".into(),
                status: AssetOutcome::Pending,
                exists: false
            }]
        );
    }

    #[test]
    fn lookups_answer_at_once_and_forget_the_oldest() {
        let (_d, store) = test_support::temp_store();
        let dam = tempfile::tempdir().unwrap();
        let lookups = Lookups::new(store, Repository::open(dam.path()).unwrap());
        let first = lookups.start(vec!["/content/dam".into()], vec![]);
        assert!(lookups.get(&first).is_some());
        for _ in 0..KEPT_LOOKUPS {
            lookups.start(vec!["/content/dam".into()], vec![]);
        }
        assert!(
            lookups.get(&first).is_none(),
            "the oldest is forgotten past {KEPT_LOOKUPS}"
        );
    }

    #[test]
    fn uuids_are_stable_and_well_formed() {
        let a = path_uuid("/content/dam/a.dita");
        assert_eq!(a, path_uuid("/content/dam/a.dita"));
        assert_ne!(a, path_uuid("/content/dam/b.dita"));
        let parsed = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(parsed.get_version_num(), 8);
    }
}
