//! One server per data folder: an exclusive lock on `<data>/asset-processing.lock`, held for
//! the life of the process (the OS releases it when the process ends, however it ends).
//!
//! Why: a second server on the same folder would take the first one's running job for a
//! crashed one (FAILED, "interrupted", resumable) while the first keeps processing it, and a
//! resume would then put two workers on one job. The lock is taken before the database is
//! opened, so a refused server changes nothing. The file holds the holder's process id, for
//! the message; the lock itself (`flock`, through std's `File::try_lock`) is what counts, so a
//! file left behind by a dead process never blocks anyone.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::Path;

/// The lock file's name inside the data folder.
pub const LOCK_FILE: &str = "asset-processing.lock";

/// The held lock; dropping it (or the process ending) releases it.
#[derive(Debug)]
pub struct DataLock {
    _file: File,
}

/// Takes the data folder's lock, or says who holds it.
pub fn lock(data: &Path) -> Result<DataLock, String> {
    let path = data.join(LOCK_FILE);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| format!("cannot open the lock file {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = match holder.trim() {
                "" => "another process".to_string(),
                pid => format!("process {pid}"),
            };
            return Err(format!(
                "the data folder {} is in use by another asset-processing-server ({holder}); \
                 stop that one first, or give --data another folder (nothing was changed)",
                data.display()
            ));
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(format!("cannot lock {}: {e}", path.display()));
        }
    }
    // Ours now: say who holds it.
    let write = file
        .set_len(0)
        .and_then(|_| file.rewind())
        .and_then(|_| write!(file, "{}", std::process::id()))
        .and_then(|_| file.flush());
    if let Err(e) = write {
        tracing::warn!(
            "could not write the process id into {}: {e}",
            path.display()
        );
    }
    Ok(DataLock { _file: file })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_with_the_holders_pid_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock(dir.path()).unwrap();
        // flock belongs to the open file, so a second open in this process is refused too.
        let refused = lock(dir.path()).unwrap_err();
        assert!(
            refused.contains(&format!("process {}", std::process::id())),
            "{refused}"
        );
        assert!(
            refused.contains(&dir.path().display().to_string()),
            "{refused}"
        );
        drop(first);
        let again = lock(dir.path());
        assert!(again.is_ok(), "released on drop: {again:?}");
    }
}
