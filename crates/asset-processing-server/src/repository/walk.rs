//! The walk of a job's folder: every asset at or below it, in processing order (depth first,
//! names in byte order), without excluded paths and what the selection leaves out, and links
//! followed only while they stay inside the repository.

use std::fs;
use std::path::PathBuf;

use asset_processing_api::{is_at_or_below, normalize_path};

use super::{sorted_typed_entries, RepoError, Repository, Selection};

/// The assets a job will handle, and what the walk left out.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Walk {
    /// Repository paths in processing order (depth first, names in byte order).
    pub assets: Vec<String>,
    /// Folders and assets under an excluded path, not entered.
    pub excluded: u64,
    /// Assets whose extension is not in the filter.
    pub filtered: u64,
    /// Entries ignored because they are symlinks leading outside the repository.
    pub outside_links: Vec<String>,
}

/// An entry still to visit: its repository path, its path on disk, and its type as its
/// folder's listing gave it (None for the start).
type Entry = (String, PathBuf, Option<fs::FileType>);

impl Repository {
    /// Every asset at or below `start` in processing order, leaving out excluded paths and
    /// the assets `selection` does not keep. `stop` is asked now and then and ends the walk
    /// early when it answers true.
    ///
    /// The start's entries are walked each on its own, on up to as many threads as there are
    /// cores (at most four), and put together in order: listing folders is most of a walk.
    pub fn walk(
        &self,
        start: &str,
        excluded: &[String],
        selection: &Selection,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<Walk>, RepoError> {
        let mut walk = Walk::default();
        let root_fs = self.resolve(start)?;
        let start = normalize_path(start).map_err(|e| RepoError::Invalid(e.to_string()))?;
        // The start alone first: a folder leaves its entries on the stack, the first on top.
        let mut stack: Vec<Entry> = vec![(start, root_fs, None)];
        let visit = |stack: &mut Vec<Entry>, walk: &mut Walk, limit| {
            self.visit(stack, excluded, selection, stop, walk, limit)
        };
        if !visit(&mut stack, &mut walk, Some(1))? {
            return Ok(None);
        }
        stack.reverse(); // the start's entries in order
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4)
            .min(stack.len());
        if threads <= 1 {
            stack.reverse();
            return Ok(visit(&mut stack, &mut walk, None)?.then_some(walk));
        }
        let entries = stack;
        let next = std::sync::atomic::AtomicUsize::new(0);
        type Part = Option<Result<Option<Walk>, RepoError>>;
        let parts: Vec<std::sync::Mutex<Part>> = entries
            .iter()
            .map(|_| std::sync::Mutex::new(None))
            .collect();
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(entry) = entries.get(i) else { break };
                    // Asked before each part too: parts may be smaller than `visit`'s step.
                    if stop() {
                        *parts[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(Ok(None));
                        continue;
                    }
                    let mut part = Walk::default();
                    let walked = visit(&mut vec![entry.clone()], &mut part, None);
                    let walked = walked.map(|done| done.then_some(part));
                    *parts[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(walked);
                });
            }
        });
        for part in parts {
            let part = part.into_inner().unwrap_or_else(|p| p.into_inner());
            match part.expect("every entry is walked") {
                Ok(Some(part)) => {
                    walk.assets.extend(part.assets);
                    walk.excluded += part.excluded;
                    walk.filtered += part.filtered;
                    walk.outside_links.extend(part.outside_links);
                }
                Ok(None) => return Ok(None),
                Err(e) => return Err(e),
            }
        }
        Ok(Some(walk))
    }

    /// Visits the entries on `stack` (the next on top) and everything below them, into
    /// `walk`; at most `limit` entries of the stack when given. False when `stop` ended it.
    fn visit(
        &self,
        stack: &mut Vec<Entry>,
        excluded: &[String],
        selection: &Selection,
        stop: &(dyn Fn() -> bool + Sync),
        walk: &mut Walk,
        limit: Option<usize>,
    ) -> Result<bool, RepoError> {
        let mut seen = 0u64;
        let needs_file_facts = selection.needs_file_facts();
        while let Some((repo_path, fs_path, listed_type)) = stack.pop() {
            let is_root = listed_type.is_none();
            seen += 1;
            if limit.is_some_and(|l| seen > l as u64) {
                stack.push((repo_path, fs_path, listed_type));
                break;
            }
            if seen.is_multiple_of(256) && stop() {
                return Ok(false);
            }
            if excluded.iter().any(|x| is_at_or_below(&repo_path, x)) {
                walk.excluded += 1;
                continue;
            }
            // A plain folder or file as listed (the listing's d_type; std asks the file
            // system only where it gives none): no system call of its own, unless the
            // selection needs the file's times. Links and the start take the checks below.
            match listed_type {
                Some(t) if t.is_dir() => {
                    push_entries(stack, &repo_path, &fs_path)?;
                    continue;
                }
                Some(t) if t.is_file() && !needs_file_facts => {
                    if selection.keeps_category(&repo_path) {
                        walk.assets.push(repo_path);
                    } else {
                        walk.filtered += 1;
                    }
                    continue;
                }
                _ => {}
            }
            // Entries come from listing a real folder inside the repository, so only the
            // entry itself can be a link: only links need the (costly) full resolution.
            let Ok(own) = fs::symlink_metadata(&fs_path) else {
                continue;
            }; // vanished
            let is_link = own.file_type().is_symlink();
            let (real, meta) = if is_link || is_root {
                match fs_path.canonicalize() {
                    Ok(r) if r.starts_with(&self.root) => {
                        let Ok(meta) = fs::metadata(&r) else { continue };
                        (r, meta)
                    }
                    Ok(_) => {
                        walk.outside_links.push(repo_path);
                        continue;
                    }
                    Err(_) => continue, // a dangling link, or vanished while walking
                }
            } else {
                (fs_path.clone(), own)
            };
            if !meta.is_dir() {
                if selection.keeps(&repo_path, &meta) {
                    walk.assets.push(repo_path);
                } else {
                    walk.filtered += 1;
                }
                continue;
            }
            // A symlinked folder inside the repository is not entered: its assets are
            // reached by their real path, once (and a link loop cannot trap the walk).
            if is_link && !is_root {
                continue;
            }
            push_entries(stack, &repo_path, &real)?;
        }
        Ok(true)
    }
}

/// The entries of the folder `dir` (at `repo_path`) onto the walk's stack, the first on top.
fn push_entries(
    stack: &mut Vec<Entry>,
    repo_path: &str,
    dir: &std::path::Path,
) -> Result<(), RepoError> {
    let entries = sorted_typed_entries(dir).map_err(|e| RepoError::Io(e.to_string()))?;
    for (name, path, file_type) in entries.into_iter().rev() {
        stack.push((format!("{repo_path}/{name}"), path, Some(file_type)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repository::test_repository;
    use asset_processing_api::FileCategory;

    /// The start's folders are walked in parallel: the list is still in processing order
    /// (depth first, names in byte order), whatever folder finishes first, and the counts
    /// of every part add up.
    #[test]
    fn a_walk_in_parallel_keeps_the_order_and_the_counts() {
        let dir = tempfile::tempdir().unwrap();
        let mut expected = Vec::new();
        // Uneven folders (the first ones larger), names that sort differently as bytes and
        // as text ("b-c" before "b/..."), files beside folders at the top.
        for (i, top) in ["a", "b", "b-c", "c", "d0", "d1", "e", "z"]
            .iter()
            .enumerate()
        {
            for sub in ["", "/x", "/x/y", "/x-1"] {
                for f in 0..(30 - 3 * i) {
                    let rel = format!("{top}{sub}/f{f}.dita");
                    let path = dir.path().join(&rel);
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::fs::write(&path, "<topic/>").unwrap();
                    expected.push(format!("/content/dam/{rel}"));
                }
            }
        }
        std::fs::write(dir.path().join("top.txt"), "x").unwrap();
        expected.push("/content/dam/top.txt".into());
        let key = |p: &String| {
            p.split('/')
                .map(|s| s.as_bytes().to_vec())
                .collect::<Vec<_>>()
        };
        expected.sort_by_key(key);
        let repo = Repository::open(dir.path()).unwrap();
        let w = repo
            .walk("/content/dam", &[], &Selection::default(), &|| false)
            .unwrap()
            .unwrap();
        assert_eq!(w.assets, expected);

        let excluded = ["/content/dam/b/x".to_string(), "/content/dam/z".to_string()];
        let selection = Selection {
            categories: vec![FileCategory::DitaTopic],
            ..Selection::default()
        };
        let w = repo
            .walk("/content/dam", &excluded, &selection, &|| false)
            .unwrap()
            .unwrap();
        let kept: Vec<String> = expected
            .iter()
            .filter(|p| p.ends_with(".dita"))
            .filter(|p| !excluded.iter().any(|x| is_at_or_below(p, x)))
            .cloned()
            .collect();
        assert_eq!(w.assets, kept);
        assert_eq!((w.excluded, w.filtered), (2, 1));

        // A stop asked while the parts are walked ends the whole walk.
        let asked = std::sync::atomic::AtomicBool::new(false);
        let stopped = repo
            .walk("/content/dam", &[], &Selection::default(), &|| {
                asked.swap(true, std::sync::atomic::Ordering::SeqCst)
            })
            .unwrap();
        assert!(expected.len() > 256 && stopped.is_none());
    }

    #[test]
    fn walk_is_ordered_and_honours_exclusions_and_types() {
        let (_d, r) = test_repository();
        let w = r
            .walk("/content/dam", &[], &Selection::default(), &|| false)
            .unwrap()
            .unwrap();
        let mut expected = vec![
            "/content/dam/a/b/y.png",
            "/content/dam/a/b/z.dita",
            "/content/dam/a/old/q.dita",
            "/content/dam/a/x.dita",
            "/content/dam/c.txt",
        ];
        if cfg!(unix) {
            expected.insert(2, "/content/dam/a/inside-link.txt");
            assert_eq!(
                w.outside_links,
                vec!["/content/dam/a/escape-dir", "/content/dam/a/escape.txt"]
            );
        }
        assert_eq!(w.assets, expected);

        let w = r
            .walk(
                "/content/dam/a",
                &["/content/dam/a/old".into()],
                &Selection {
                    categories: vec![FileCategory::DitaTopic],
                    ..Selection::default()
                },
                &|| false,
            )
            .unwrap()
            .unwrap();
        assert_eq!(
            w.assets,
            vec!["/content/dam/a/b/z.dita", "/content/dam/a/x.dita"]
        );
        assert_eq!(w.excluded, 1);
        assert!(w.filtered >= 1);

        let single = r
            .walk("/content/dam/c.txt", &[], &Selection::default(), &|| false)
            .unwrap()
            .unwrap();
        assert_eq!(single.assets, vec!["/content/dam/c.txt"]);
    }
}
