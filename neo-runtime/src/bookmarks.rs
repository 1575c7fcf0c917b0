//! Bookmarks: causal consistency within and across sessions.

use std::fmt;
use std::ops::{Add, AddAssign};
use std::sync::{Arc, Mutex, PoisonError};

/// A set of bookmarks: opaque strings naming points in a database's history.
///
/// A transaction that starts from a set of bookmarks sees at least every
/// write those bookmarks name.
///
/// ```
/// use neo_runtime::Bookmarks;
///
/// let a = Bookmarks::from_iter(["bm:1"]);
/// let b = Bookmarks::from_iter(["bm:2", "bm:1"]);
/// let all = a.union(&b);
/// assert_eq!(all.len(), 2);
/// assert!(all.contains("bm:2"));
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Bookmarks(
    /// Sorted, without duplicates: a set of a few strings, usually one.
    Vec<String>,
);

impl Bookmarks {
    /// No bookmarks.
    pub fn new() -> Self {
        Bookmarks::default()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether this exact bookmark is in the set.
    pub fn contains(&self, bookmark: &str) -> bool {
        self.0
            .binary_search_by(|b| b.as_str().cmp(bookmark))
            .is_ok()
    }

    /// The bookmarks, in a stable order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// The bookmarks as owned strings, as the wire wants them.
    pub fn to_vec(&self) -> Vec<String> {
        self.0.clone()
    }

    /// Every bookmark of both sets.
    pub fn union(&self, other: &Bookmarks) -> Bookmarks {
        self.0.iter().chain(&other.0).cloned().collect()
    }

    /// Makes this the set of just `bookmark`, reusing the memory of the
    /// bookmark it replaces.
    pub(crate) fn replace_with_one(&mut self, bookmark: &str) {
        self.0.truncate(1);
        match self.0.first_mut() {
            Some(only) => {
                only.clear();
                only.push_str(bookmark);
            }
            None => self.0.push(bookmark.to_owned()),
        }
    }

    /// Removes the bookmarks of `superseded` and adds those of `new`.
    fn supersede(&mut self, superseded: &Bookmarks, new: &Bookmarks) {
        self.0.retain(|bookmark| !superseded.contains(bookmark));
        self.0.extend(new.0.iter().cloned());
        self.0.sort_unstable();
        self.0.dedup();
    }
}

impl<S: Into<String>> FromIterator<S> for Bookmarks {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut bookmarks: Vec<String> = iter.into_iter().map(Into::into).collect();
        bookmarks.sort_unstable();
        bookmarks.dedup();
        Bookmarks(bookmarks)
    }
}

/// Every bookmark of both sets, as [`union`](Bookmarks::union):
/// `session_a.last_bookmarks().await + session_b.last_bookmarks().await`.
///
/// ```
/// use neo_runtime::Bookmarks;
///
/// let a = Bookmarks::from_iter(["bm:1"]);
/// let b = Bookmarks::from_iter(["bm:2"]);
/// let mut all = a.clone() + &b;
/// assert_eq!(all, a.union(&b));
/// all += Bookmarks::from_iter(["bm:3"]);
/// assert_eq!(all.len(), 3);
/// ```
impl Add for Bookmarks {
    type Output = Bookmarks;

    fn add(mut self, other: Bookmarks) -> Bookmarks {
        self += &other;
        self
    }
}

impl Add<&Bookmarks> for Bookmarks {
    type Output = Bookmarks;

    fn add(mut self, other: &Bookmarks) -> Bookmarks {
        self += other;
        self
    }
}

impl AddAssign<&Bookmarks> for Bookmarks {
    fn add_assign(&mut self, other: &Bookmarks) {
        self.supersede(&Bookmarks::new(), other);
    }
}

impl AddAssign for Bookmarks {
    fn add_assign(&mut self, other: Bookmarks) {
        *self += &other;
    }
}

/// The union of several sets: the bookmarks of several sessions, collected.
///
/// ```
/// use neo_runtime::Bookmarks;
///
/// let sessions = [Bookmarks::from_iter(["bm:1"]), Bookmarks::from_iter(["bm:2", "bm:1"])];
/// let all: Bookmarks = sessions.iter().collect();
/// assert_eq!(all, Bookmarks::from_iter(["bm:1", "bm:2"]));
/// assert_eq!(sessions.into_iter().collect::<Bookmarks>(), all);
/// ```
impl FromIterator<Bookmarks> for Bookmarks {
    fn from_iter<I: IntoIterator<Item = Bookmarks>>(iter: I) -> Self {
        iter.into_iter().flat_map(|bookmarks| bookmarks.0).collect()
    }
}

impl<'a> FromIterator<&'a Bookmarks> for Bookmarks {
    fn from_iter<I: IntoIterator<Item = &'a Bookmarks>>(iter: I) -> Self {
        iter.into_iter().flat_map(Bookmarks::iter).collect()
    }
}

/// The union of several sets, so that
/// [`SessionConfig::with_bookmarks`](crate::SessionConfig::with_bookmarks)
/// takes `vec![a, b]`.
impl From<Vec<Bookmarks>> for Bookmarks {
    fn from(sets: Vec<Bookmarks>) -> Self {
        sets.into_iter().collect()
    }
}

/// The union of several sets: `with_bookmarks([a, b])`.
impl<const N: usize> From<[Bookmarks; N]> for Bookmarks {
    fn from(sets: [Bookmarks; N]) -> Self {
        sets.into_iter().collect()
    }
}

/// A copy: `with_bookmarks(&a)`.
impl From<&Bookmarks> for Bookmarks {
    fn from(bookmarks: &Bookmarks) -> Self {
        bookmarks.clone()
    }
}

impl fmt::Debug for Bookmarks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.iter()).finish()
    }
}

/// Keeps the bookmarks of several sessions causally chained.
///
/// Sessions configured with the same manager send the manager's bookmarks
/// with every transaction they begin and hand back the bookmark each commit
/// returns, so every session sees what any of them wrote before.
pub trait BookmarkManager: Send + Sync + fmt::Debug {
    /// The bookmarks a new transaction should start from.
    fn bookmarks(&self) -> Bookmarks;

    /// Records that a transaction which started from `previous` ended with
    /// `new`: the bookmarks in `previous` are superseded.
    fn update_bookmarks(&self, previous: &Bookmarks, new: &Bookmarks);
}

/// The standard [`BookmarkManager`]: a shared, thread-safe set.
///
/// ```
/// use neo_runtime::{BookmarkManager, Bookmarks, SharedBookmarkManager};
///
/// let manager = SharedBookmarkManager::new(Bookmarks::from_iter(["bm:1"]));
/// manager.update_bookmarks(&Bookmarks::from_iter(["bm:1"]), &Bookmarks::from_iter(["bm:2"]));
/// assert_eq!(manager.bookmarks(), Bookmarks::from_iter(["bm:2"]));
/// ```
#[derive(Debug, Default, Clone)]
pub struct SharedBookmarkManager {
    bookmarks: Arc<Mutex<Bookmarks>>,
}

impl SharedBookmarkManager {
    /// A manager that starts from `initial`.
    pub fn new(initial: Bookmarks) -> Self {
        SharedBookmarkManager {
            bookmarks: Arc::new(Mutex::new(initial)),
        }
    }
}

impl BookmarkManager for SharedBookmarkManager {
    fn bookmarks(&self) -> Bookmarks {
        self.bookmarks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn update_bookmarks(&self, previous: &Bookmarks, new: &Bookmarks) {
        if new.is_empty() {
            return;
        }
        let mut current = self
            .bookmarks
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        current.supersede(previous, new);
    }
}

/// Where a transaction's new bookmark goes: to its session, and to the
/// session's bookmark manager along with the bookmarks it started from.
#[derive(Clone)]
pub(crate) struct BookmarkSink {
    session: Arc<Mutex<Bookmarks>>,
    manager: Option<(Arc<dyn BookmarkManager>, Bookmarks)>,
}

impl fmt::Debug for BookmarkSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BookmarkSink")
            .field("manager", &self.manager.is_some())
            .finish_non_exhaustive()
    }
}

impl BookmarkSink {
    pub(crate) fn new(
        session: Arc<Mutex<Bookmarks>>,
        manager: Option<(Arc<dyn BookmarkManager>, Bookmarks)>,
    ) -> Self {
        BookmarkSink { session, manager }
    }

    /// Records the bookmark a transaction ended with (none: nothing changes).
    pub(crate) fn record(&self, bookmark: Option<&str>) {
        let Some(bookmark) = bookmark else {
            return;
        };
        if let Some((manager, started_from)) = &self.manager {
            manager.update_bookmarks(started_from, &Bookmarks::from_iter([bookmark]));
        }
        self.session
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .replace_with_one(bookmark);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_replaces_what_the_transaction_started_from() {
        let manager = SharedBookmarkManager::new(Bookmarks::from_iter(["a", "b"]));
        manager.update_bookmarks(&Bookmarks::from_iter(["a"]), &Bookmarks::from_iter(["c"]));
        assert_eq!(manager.bookmarks(), Bookmarks::from_iter(["b", "c"]));
    }

    #[test]
    fn an_update_without_a_new_bookmark_keeps_the_old_ones() {
        let manager = SharedBookmarkManager::new(Bookmarks::from_iter(["a"]));
        manager.update_bookmarks(&Bookmarks::from_iter(["a"]), &Bookmarks::new());
        assert_eq!(manager.bookmarks(), Bookmarks::from_iter(["a"]));
    }

    #[test]
    fn clones_share_one_set_across_threads() {
        let manager = SharedBookmarkManager::default();
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let m = manager.clone();
                std::thread::spawn(move || {
                    m.update_bookmarks(
                        &Bookmarks::new(),
                        &Bookmarks::from_iter([format!("bm:{i}")]),
                    )
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(manager.bookmarks().len(), 8);
    }

    #[test]
    fn sets_ignore_order_and_duplicates() {
        let a = Bookmarks::from_iter(["c", "a", "b", "a"]);
        assert_eq!(a, Bookmarks::from_iter(["a", "b", "c"]));
        assert_eq!(a.iter().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert!(a.contains("b") && !a.contains("d"));
        let union = a.union(&Bookmarks::from_iter(["d", "b"]));
        assert_eq!(union.to_vec(), ["a", "b", "c", "d"]);
    }

    #[test]
    fn debug_output_lists_the_bookmarks_and_hides_the_sink_internals() {
        let set = Bookmarks::from_iter(["b", "a"]);
        assert_eq!(format!("{set:?}"), r#"{"a", "b"}"#);
        let manager: Arc<dyn BookmarkManager> = Arc::new(SharedBookmarkManager::new(set.clone()));
        let sink = BookmarkSink::new(Arc::new(Mutex::new(set.clone())), Some((manager, set)));
        assert_eq!(format!("{sink:?}"), "BookmarkSink { manager: true, .. }");
    }

    #[test]
    fn replacing_with_one_bookmark_keeps_only_it() {
        let mut set = Bookmarks::from_iter(["a", "b"]);
        set.replace_with_one("z");
        assert_eq!(set, Bookmarks::from_iter(["z"]));
        let mut empty = Bookmarks::new();
        empty.replace_with_one("y");
        assert_eq!(empty, Bookmarks::from_iter(["y"]));
    }
}
