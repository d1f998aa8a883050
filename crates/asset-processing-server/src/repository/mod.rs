//! The asset repository: a folder on disk mapped to `/content/dam`.
//!
//! Every repository path goes through `Repository::resolve`, which accepts only normalised
//! paths (no `..`, no encoded traversal, see `asset_processing_api::normalize_path`) and then
//! checks that the file the OS would open, symlinks followed, is still inside the folder. No
//! request can read or name anything outside it.
//!
//! Here: the checks and a folder's children. `walk.rs` lists the assets a job handles,
//! `selection.rs` which of them its filter keeps, `names.rs` what a path's text says
//! (percent-decoding, extension).

mod names;
mod selection;
mod walk;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use asset_processing_api::{normalize_path, DAM_ROOT};

pub use names::{extension, percent_decode};
pub use selection::{created_ms, Selection};
pub use walk::Walk;

/// What a repository path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    Folder,
    Asset,
}

/// Why a repository path could not be used.
#[derive(Debug, PartialEq, Eq)]
pub enum RepoError {
    /// Not a valid repository path (the reason, as a phrase after the path).
    Invalid(String),
    /// Nothing is there (also: a symlink that leads outside the repository).
    NotFound,
    Io(String),
}

impl std::fmt::Display for RepoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RepoError::Invalid(why) => write!(f, "{why}"),
            RepoError::NotFound => f.write_str("does not exist"),
            RepoError::Io(e) => write!(f, "could not be read ({e})"),
        }
    }
}

/// A child of a folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Child {
    pub name: String,
    pub kind: NodeKind,
}

/// Real paths of repository folders already checked (see `Repository::resolve_with`).
pub type DirCache = std::collections::HashMap<String, PathBuf>;

#[derive(Clone, Debug)]
pub struct Repository {
    root: PathBuf,
}

impl Repository {
    pub fn open(root: &Path) -> io::Result<Repository> {
        Ok(Repository {
            root: root.canonicalize()?,
        })
    }

    /// The folder on disk.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file or folder on disk for a repository path, after every check.
    pub fn resolve(&self, repo_path: &str) -> Result<PathBuf, RepoError> {
        let normal = normalize_path(repo_path).map_err(|e| RepoError::Invalid(e.to_string()))?;
        let rel = normal
            .strip_prefix(DAM_ROOT)
            .unwrap_or("")
            .trim_start_matches('/');
        let candidate = if rel.is_empty() {
            self.root.clone()
        } else {
            self.root.join(rel)
        };
        let real = candidate.canonicalize().map_err(missing_or_io)?;
        if !real.starts_with(&self.root) {
            return Err(RepoError::NotFound);
        }
        if file_name_hidden(rel) {
            return Err(RepoError::NotFound);
        }
        Ok(real)
    }

    /// Like `resolve`, for many paths in a few folders: each folder is resolved (every
    /// component checked, links followed) once, then only the last component is looked at,
    /// and resolved fully when it is a link. Also returns the file's metadata. On a sandboxed
    /// kernel every component of a full resolution is a costly system call.
    pub fn resolve_with(
        &self,
        repo_path: &str,
        dirs: &mut DirCache,
    ) -> Result<(PathBuf, fs::Metadata), RepoError> {
        let io = missing_or_io;
        let normal = normalize_path(repo_path).map_err(|e| RepoError::Invalid(e.to_string()))?;
        let rel = normal
            .strip_prefix(DAM_ROOT)
            .unwrap_or("")
            .trim_start_matches('/');
        let Some((parent, name)) = normal
            .rsplit_once('/')
            .filter(|_| !rel.is_empty() && !file_name_hidden(rel))
        else {
            let real = self.resolve(&normal)?;
            let meta = fs::metadata(&real).map_err(io)?;
            return Ok((real, meta));
        };
        let parent_real = match dirs.get(parent) {
            Some(p) => p.clone(),
            None => {
                let p = self.resolve(parent)?;
                dirs.insert(parent.to_string(), p.clone());
                p
            }
        };
        let candidate = parent_real.join(name);
        let own = fs::symlink_metadata(&candidate).map_err(io)?;
        if own.file_type().is_symlink() {
            let real = self.resolve(&normal)?;
            let meta = fs::metadata(&real).map_err(io)?;
            return Ok((real, meta));
        }
        Ok((candidate, own))
    }

    pub fn kind(&self, repo_path: &str) -> Result<NodeKind, RepoError> {
        let path = self.resolve(repo_path)?;
        let meta = fs::metadata(&path).map_err(|e| RepoError::Io(e.to_string()))?;
        Ok(if meta.is_dir() {
            NodeKind::Folder
        } else {
            NodeKind::Asset
        })
    }

    pub fn exists(&self, repo_path: &str) -> bool {
        self.resolve(repo_path).is_ok()
    }

    /// The children of a folder, names in byte order; hidden entries and symlinks that lead
    /// outside the repository are left out.
    pub fn children(&self, repo_path: &str) -> Result<Vec<Child>, RepoError> {
        let dir = self.resolve(repo_path)?;
        let mut out = Vec::new();
        for (name, path) in sorted_entries(&dir).map_err(|e| RepoError::Io(e.to_string()))? {
            match self.classify(&path) {
                Some(kind) => out.push(Child { name, kind }),
                None => continue,
            }
        }
        Ok(out)
    }

    /// Folder or asset, following symlinks only when they stay inside the repository.
    fn classify(&self, path: &Path) -> Option<NodeKind> {
        let real = path.canonicalize().ok()?;
        if !real.starts_with(&self.root) {
            return None;
        }
        let meta = fs::metadata(&real).ok()?;
        Some(if meta.is_dir() {
            NodeKind::Folder
        } else {
            NodeKind::Asset
        })
    }
}

/// Nothing is there: not found, a file where a folder was expected, or a name longer than
/// the file system allows (ENAMETOOLONG: no such file can exist, so it is not a failure of
/// the server). Anything else is an I/O failure.
fn missing_or_io(e: io::Error) -> RepoError {
    match e.kind() {
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory | io::ErrorKind::InvalidFilename => {
            RepoError::NotFound
        }
        _ => RepoError::Io(e.to_string()),
    }
}

fn file_name_hidden(rel: &str) -> bool {
    rel.split('/').any(|s| s.starts_with('.'))
}

/// Visible entries of a folder (names not starting with "."), in byte order of their names.
/// Names that are not valid UTF-8 cannot be repository paths and are left out.
fn sorted_entries(dir: &Path) -> io::Result<Vec<(String, PathBuf)>> {
    let mut entries: Vec<(String, PathBuf)> = fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            (!name.starts_with('.')).then(|| (name, e.path()))
        })
        .collect();
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    Ok(entries)
}

/// Like [`sorted_entries`], with each entry's own type (a link is a link) as the listing
/// gives it. An entry whose type cannot be read (vanished meanwhile) is left out.
fn sorted_typed_entries(dir: &Path) -> io::Result<Vec<(String, PathBuf, fs::FileType)>> {
    let mut entries: Vec<(String, PathBuf, fs::FileType)> = fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            if name.starts_with('.') {
                return None;
            }
            let file_type = e.file_type().ok()?;
            Some((name, e.path(), file_type))
        })
        .collect();
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    Ok(entries)
}

/// A repository for tests: a few assets in folders, a hidden folder and, on Unix, links that
/// lead outside it and one that stays inside.
#[cfg(test)]
fn test_repository() -> (tempfile::TempDir, Repository) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("dam");
    for f in [
        "a/x.dita",
        "a/b/y.png",
        "a/b/z.dita",
        "a/old/q.dita",
        "c.txt",
        ".hidden/s.dita",
    ] {
        let p = root.join(f);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, f).unwrap();
    }
    fs::write(dir.path().join("secret.txt"), "outside").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("a/escape.txt"))
            .unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("a/escape-dir")).unwrap();
        std::os::unix::fs::symlink(root.join("c.txt"), root.join("a/inside-link.txt")).unwrap();
    }
    let repo = Repository::open(&root).unwrap();
    (dir, repo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_inside_and_refuses_outside() {
        let (_d, r) = test_repository();
        assert!(r.resolve("/content/dam/a/x.dita").is_ok());
        assert!(r.resolve("/content/dam").is_ok());
        assert_eq!(r.resolve("/content/dam/nope"), Err(RepoError::NotFound));
        assert!(matches!(
            r.resolve("/content/dam/../secret.txt"),
            Err(RepoError::Invalid(_))
        ));
        assert!(matches!(
            r.resolve("/content/dam/%2e%2e/secret.txt"),
            Err(RepoError::Invalid(_))
        ));
        assert!(matches!(
            r.resolve("/etc/passwd"),
            Err(RepoError::Invalid(_))
        ));
        assert_eq!(
            r.resolve("/content/dam/.hidden/s.dita"),
            Err(RepoError::NotFound)
        );
        #[cfg(unix)]
        {
            assert_eq!(
                r.resolve("/content/dam/a/escape.txt"),
                Err(RepoError::NotFound)
            );
            assert_eq!(
                r.resolve("/content/dam/a/escape-dir/secret.txt"),
                Err(RepoError::NotFound)
            );
            assert!(r.resolve("/content/dam/a/inside-link.txt").is_ok());
        }
    }

    #[test]
    fn resolving_with_a_folder_cache_keeps_every_check() {
        let (_d, r) = test_repository();
        let mut dirs = DirCache::new();
        let (p, meta) = r.resolve_with("/content/dam/a/x.dita", &mut dirs).unwrap();
        assert!(p.ends_with("a/x.dita") && meta.is_file());
        assert!(dirs.contains_key("/content/dam/a"));
        assert!(r.resolve_with("/content/dam/a/b/y.png", &mut dirs).is_ok());
        assert!(matches!(
            r.resolve_with("/content/dam/a/missing", &mut dirs),
            Err(RepoError::NotFound)
        ));
        assert!(matches!(
            r.resolve_with("/content/dam/../x", &mut dirs),
            Err(RepoError::Invalid(_))
        ));
        assert!(matches!(
            r.resolve_with("/content/dam/.hidden/s.dita", &mut dirs),
            Err(RepoError::NotFound)
        ));
        assert!(r.resolve_with("/content/dam", &mut dirs).is_ok());
        #[cfg(unix)]
        {
            assert_eq!(
                r.resolve_with("/content/dam/a/escape.txt", &mut dirs)
                    .unwrap_err(),
                RepoError::NotFound
            );
            assert_eq!(
                r.resolve_with("/content/dam/a/escape-dir/secret.txt", &mut dirs)
                    .unwrap_err(),
                RepoError::NotFound
            );
            assert!(r
                .resolve_with("/content/dam/a/inside-link.txt", &mut dirs)
                .is_ok());
        }
    }

    #[test]
    fn children_are_sorted_and_safe() {
        let (_d, r) = test_repository();
        let names: Vec<(String, NodeKind)> = r
            .children("/content/dam/a")
            .unwrap()
            .into_iter()
            .map(|c| (c.name, c.kind))
            .collect();
        let mut expected = vec![
            ("b".to_string(), NodeKind::Folder),
            ("old".to_string(), NodeKind::Folder),
            ("x.dita".to_string(), NodeKind::Asset),
        ];
        if cfg!(unix) {
            expected.push(("inside-link.txt".into(), NodeKind::Asset));
            expected.sort();
        }
        assert_eq!(names, expected);
    }
}
