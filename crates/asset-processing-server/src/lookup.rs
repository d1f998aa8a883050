//! Per-asset status look-ups (the published "API to track post processing status for a folder
//! or an asset"): which assets lie under some paths, and each one's latest outcome, whichever
//! job produced it. No HTTP in here.
//!
//! A look-up runs as a job of its own on a thread (the POST answers at once with its id) and
//! keeps its answer in memory: look-ups are cheap to repeat, so only the last
//! [`KEPT_LOOKUPS`] are kept and none survives a restart (a GET for a forgotten id is a 404,
//! as for an unknown one).
//!
//! Cost: one walk of the folders, then one index seek per asset (`asset_results_by_path`,
//! newest job first), and one read of the assets still pending in running jobs. That keeps a
//! 100,000-asset look-up around a second (`cargo xtask bench` measures it).

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};

use asset_processing_api::{AssetOutcome, AssetState, AssetStatusReport, Status};
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::repository::{RepoError, Repository, Selection};
use crate::store::{Store, StoreError};

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
    assets: Arc<Vec<AssetState>>,
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
            this.set(&job_id, Status::Running, Arc::default());
            let result = this
                .store
                .connect()
                .and_then(|conn| assets_status(&conn, &this.repo, &paths, &excluded));
            match result {
                Ok(assets) => this.set(&job_id, Status::Success, Arc::new(assets)),
                Err(e) => {
                    tracing::error!("per-asset status look-up {job_id} failed: {e}");
                    this.set(&job_id, Status::Failed, Arc::default());
                }
            }
        });
        id
    }

    /// The look-up as it is now; None when the id is unknown (or long forgotten).
    pub fn get(&self, id: &str) -> Option<AssetStatusReport> {
        let entry = self.lock().entries.get(id).cloned()?;
        Some(AssetStatusReport {
            job_id: id.to_string(),
            status: entry.status,
            assets: entry.assets.as_ref().clone(),
        })
    }

    fn set(&self, id: &str, status: Status, assets: Arc<Vec<AssetState>>) {
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

    fn lock(&self) -> std::sync::MutexGuard<'_, Table> {
        // The table is only ever replaced whole per entry: a panic elsewhere cannot leave
        // it half-written, so a poisoned lock is safe to take over.
        self.table.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Every asset at or below `paths` (a path that does not exist is reported once, with
/// `exists: false` and what the database last knew of it), in walk order, without repeats.
pub fn assets_status(
    conn: &Connection,
    repo: &Repository,
    paths: &[String],
    excluded: &[String],
) -> Result<Vec<AssetState>, StoreError> {
    let mut found: Vec<(String, bool)> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for path in paths {
        match repo.kind(path) {
            Ok(_) => {
                let walk = repo
                    .walk(path, excluded, &Selection::default(), &|| false)
                    .map_err(|e| StoreError(format!("cannot list {path}: {e}")))?
                    .unwrap_or_default();
                for asset in walk.assets {
                    if seen.insert(asset.clone()) {
                        found.push((asset, true));
                    }
                }
            }
            Err(RepoError::NotFound) => {
                if seen.insert(path.clone()) {
                    found.push((path.clone(), false));
                }
            }
            Err(e) => return Err(StoreError(format!("cannot read {path}: {e}"))),
        }
    }

    let in_progress = pending_in_running_jobs(conn)?;
    // The newest job's result first; `skipped` rows say "unchanged since it last
    // succeeded", so they never hide that success.
    let mut latest = conn.prepare(
        "SELECT r.outcome FROM asset_results r JOIN jobs j ON j.id = r.job_id
         WHERE r.path = ?1 AND r.outcome != 'skipped'
         ORDER BY j.seq DESC LIMIT 1",
    )?;
    let mut out = Vec::with_capacity(found.len());
    for (path, exists) in found {
        let status = if in_progress.contains(&path) {
            AssetOutcome::Processing
        } else {
            let outcome: Option<String> = latest.query_row([&path], |r| r.get(0)).optional()?;
            match outcome.as_deref() {
                Some("processed") => AssetOutcome::Success,
                Some("failed") => AssetOutcome::Failure,
                _ => AssetOutcome::Pending,
            }
        };
        out.push(AssetState {
            uuid: path_uuid(&path),
            path,
            status,
            exists,
        });
    }
    Ok(out)
}

/// Assets that a RUNNING job has counted and not handled yet.
fn pending_in_running_jobs(conn: &Connection) -> Result<HashSet<String>, StoreError> {
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
