//! Causal consistency end to end, against a cluster whose followers apply
//! the leader's commits late: a read that carries no bookmark may see stale
//! data; one that carries the bookmark of a write sees it. Within a session,
//! across sessions by passing bookmarks, through a bookmark manager, and
//! through `#[unit_of_work]` functions.

use std::sync::Arc;
use std::time::Duration;

use neo_embedded::{Cluster, EmbeddedServer, MemberRole};
use neo_runtime::{
    AccessMode, Driver, ManagedTransaction, Query, Session, SessionConfig, SharedBookmarkManager,
    unit_of_work,
};

/// Followers apply each commit this late: far longer than any test step.
const LAG: Duration = Duration::from_secs(3);

/// A lagging cluster of a leader and one follower (so every read goes to
/// the follower), and a routing driver.
fn lagging_cluster() -> (Cluster, EmbeddedServer, EmbeddedServer, Driver) {
    let cluster = Cluster::new().with_replication_lag(LAG);
    let leader = cluster.start_member(MemberRole::Leader).unwrap();
    let follower = cluster.start_member(MemberRole::Follower).unwrap();
    let driver = Driver::new(&neo_tests::routing_uri(&leader), neo_tests::auth()).unwrap();
    (cluster, leader, follower, driver)
}

#[unit_of_work(write)]
async fn add_person(tx: &mut ManagedTransaction<'_>, name: &str) -> neo_runtime::Result<()> {
    tx.run(Query::new("CREATE (:Person {name: $name})").param("name", name))
        .await?
        .consume()
        .await?;
    Ok(())
}

#[unit_of_work(read)]
async fn people(tx: &mut ManagedTransaction<'_>) -> neo_runtime::Result<i64> {
    tx.run("MATCH (p:Person) RETURN count(p) AS n")
        .await?
        .single()
        .await?
        .get_as("n")
}

async fn people_in(session: &mut Session) -> i64 {
    people(session).await.unwrap()
}

#[tokio::test]
async fn a_read_without_bookmarks_may_be_stale_and_one_with_them_is_not() {
    let (_cluster, _leader, follower, driver) = lagging_cluster();
    let mut writer = driver.session(SessionConfig::default()).unwrap();
    add_person(&mut writer, "Ann").await.unwrap();

    // A fresh session knows nothing of the write: its read on the follower
    // is stale, which shows that the cluster really lags.
    let mut unaware = driver.session(SessionConfig::default()).unwrap();
    assert_eq!(people_in(&mut unaware).await, 0);
    assert!(
        follower.controls().received("BEGIN") >= 1,
        "the read ran on the follower"
    );

    // Within the writing session, the next read waits for the write.
    assert_eq!(people_in(&mut writer).await, 1);
}

#[tokio::test]
async fn bookmarks_passed_to_another_session_make_it_see_the_write() {
    let (_cluster, _leader, _follower, driver) = lagging_cluster();
    let mut writer = driver.session(SessionConfig::default()).unwrap();
    add_person(&mut writer, "Ann").await.unwrap();
    let bookmarks = writer.last_bookmarks().await;
    writer.close().await;

    let config = SessionConfig::default()
        .with_bookmarks(bookmarks)
        .with_default_access_mode(AccessMode::Read);
    let mut reader = driver.session(config).unwrap();
    // An auto-commit read, too, carries the bookmarks.
    let record = reader
        .run("MATCH (p:Person) RETURN count(p) AS n")
        .await
        .unwrap()
        .single()
        .await
        .unwrap();
    assert_eq!(record.get_as::<i64>("n").unwrap(), 1);
}

#[tokio::test]
async fn sessions_sharing_a_bookmark_manager_see_each_others_writes() {
    let (_cluster, _leader, _follower, driver) = lagging_cluster();
    let manager = Arc::new(SharedBookmarkManager::default());
    let config = SessionConfig::default().with_bookmark_manager(manager.clone());
    let mut first = driver.session(config.clone()).unwrap();
    let mut second = driver.session(config.clone()).unwrap();
    add_person(&mut first, "Ann").await.unwrap();
    assert_eq!(people_in(&mut second).await, 1);
    add_person(&mut second, "Bob").await.unwrap();
    assert_eq!(people_in(&mut first).await, 2);
    // An auto-commit write's bookmark reaches the manager too, read or not.
    let _unread = first.run("CREATE (:Person {name: 'Cy'})").await.unwrap();
    first.close().await;
    let mut third = driver.session(config).unwrap();
    assert_eq!(people_in(&mut third).await, 3);
}
