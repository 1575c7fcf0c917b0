//! Cluster tests over real TCP with raw `neo-bolt` messages: the routing
//! table every member answers, data and bookmarks shared between members,
//! followers refusing writes, leader switches and members leaving.

mod server_support;

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

use neo_bolt::ServerError;
use neo_bolt::message::{AccessMode, Request, Route, RoutingTable, TxExtra};
use neo_bolt::packstream::{Map, Value};
use neo_embedded::{Auth, Cluster, EmbeddedServer, MemberRole, ServerConfig};
use server_support::*;

const NOT_A_LEADER: &str = "Neo.ClientError.Cluster.NotALeader";

/// Asks `server` for the routing table of the default database.
async fn route(server: &EmbeddedServer, bookmarks: &[&str]) -> RoutingTable {
    let mut client = RawClient::open(server).await;
    client
        .send(Request::Route(Route {
            routing: Cow::Owned(Map::new()),
            bookmarks: Cow::Owned(bookmarks.iter().map(|b| (*b).to_owned()).collect()),
            ..Route::default()
        }))
        .await;
    let metadata = client.next().await.success();
    RoutingTable::from_rt(metadata["rt"].as_map().expect("an rt map")).expect("a routing table")
}

fn addresses(servers: &[&EmbeddedServer]) -> Vec<String> {
    servers.iter().map(|s| s.address().to_string()).collect()
}

/// Runs an auto-commit write and returns its bookmark.
async fn write(server: &EmbeddedServer, query: &str) -> String {
    let mut client = RawClient::open(server).await;
    let (_, summary) = client.query(query).await;
    summary["bookmark"]
        .as_str()
        .expect("a write returns a bookmark")
        .to_owned()
}

/// Counts the `:Person` nodes as seen by `server`, after `bookmark`.
async fn people(server: &EmbeddedServer, bookmark: &[&str]) -> i64 {
    let mut client = RawClient::open(server).await;
    let extra = TxExtra {
        mode: AccessMode::Read,
        ..bookmarks(bookmark)
    };
    client
        .send_all(vec![
            run_with("MATCH (p:Person) RETURN count(p)", Map::new(), extra),
            pull_all(),
        ])
        .await;
    client.next().await.success();
    let (rows, summary) = client.records().await;
    summary.success();
    int(&rows[0][0])
}

/// Runs an auto-commit statement expected to fail, returning the failure.
async fn refused(server: &EmbeddedServer, query: &str) -> ServerError {
    let mut client = RawClient::open(server).await;
    client.send_all(vec![run(query), pull_all()]).await;
    let failure = client.next().await;
    let Resp::Failure(metadata) = &failure else {
        panic!("expected FAILURE for {query}, got {failure:?}");
    };
    assert_eq!(client.next().await, Resp::Ignored, "the PULL is ignored");
    ServerError::from_metadata(metadata)
}

#[tokio::test]
async fn every_member_answers_route_with_the_whole_cluster_in_exact_roles() {
    let cluster = Cluster::with_ttl(Duration::from_secs(42));
    let leader = cluster.start_member(MemberRole::Leader).unwrap();
    let first = cluster.start_member(MemberRole::Follower).unwrap();
    let second = cluster.start_member(MemberRole::Follower).unwrap();
    for member in [&leader, &first, &second] {
        let table = route(member, &[]).await;
        assert_eq!(table.ttl, 42);
        assert_eq!(table.db.as_deref(), Some("neo4j"));
        assert_eq!(table.routers, addresses(&[&leader, &first, &second]));
        assert_eq!(table.writers, addresses(&[&leader]));
        assert_eq!(table.readers, addresses(&[&first, &second]));
    }
    assert_eq!(
        cluster.members(),
        vec![
            (leader.address(), MemberRole::Leader),
            (first.address(), MemberRole::Follower),
            (second.address(), MemberRole::Follower),
        ]
    );
}

#[tokio::test]
async fn without_followers_every_member_reads_and_the_default_ttl_is_300_s() {
    let cluster = Cluster::new();
    let leader = cluster.start_member(MemberRole::Leader).unwrap();
    let table = route(&leader, &[]).await;
    assert_eq!(table.ttl, 300);
    assert_eq!(table.routers, addresses(&[&leader]));
    assert_eq!(table.writers, addresses(&[&leader]));
    assert_eq!(table.readers, addresses(&[&leader]));
}

#[tokio::test]
async fn a_write_on_the_leader_is_read_on_a_follower_with_the_leaders_bookmark() {
    let cluster = Cluster::new();
    let leader = cluster.start_member(MemberRole::Leader).unwrap();
    let follower = cluster.start_member(MemberRole::Follower).unwrap();
    let bookmark = write(&leader, "CREATE (:Person {name: 'Ada'})").await;
    assert_eq!(people(&follower, &[&bookmark]).await, 1);
    // The follower's ROUTE understands the leader's bookmark too.
    assert_eq!(
        route(&follower, &[&bookmark]).await.writers,
        addresses(&[&leader])
    );
}

#[tokio::test]
async fn a_member_started_later_has_the_clusters_bookmarks_and_a_future_one_times_out() {
    let cluster = Cluster::new();
    let leader = cluster
        .start_member_with(
            MemberRole::Leader,
            ServerConfig::new().bookmark_wait_timeout(Duration::from_millis(50)),
        )
        .unwrap();
    let bookmark = write(&leader, "CREATE (:Person)").await;
    let follower = cluster
        .start_member_with(
            MemberRole::Follower,
            ServerConfig::new().bookmark_wait_timeout(Duration::from_millis(50)),
        )
        .unwrap();
    // A member started after the commit has reached it already.
    assert_eq!(people(&follower, &[&bookmark]).await, 1);
    let mut client = RawClient::open(&follower).await;
    client
        .send_all(vec![
            run_with("RETURN 1", Map::new(), bookmarks(&["neo-embedded:99"])),
            pull_all(),
        ])
        .await;
    assert_eq!(
        client.next().await.failure_code(),
        "Neo.TransientError.Transaction.BookmarkTimeout"
    );
}

#[tokio::test]
async fn a_follower_refuses_an_auto_commit_write_with_not_a_leader_and_writes_nothing() {
    let cluster = Cluster::new();
    let leader = cluster.start_member(MemberRole::Leader).unwrap();
    let follower = cluster.start_member(MemberRole::Follower).unwrap();
    let error = refused(&follower, "CREATE (:Person {name: 'Bob'})").await;
    assert_eq!(error.code(), NOT_A_LEADER);
    assert_eq!(
        error.message(),
        "No write operations are allowed directly on this database. Writes must pass through \
         the leader. The role of this server is: FOLLOWER"
    );
    let bookmark = write(&leader, "RETURN 1").await;
    assert_eq!(people(&leader, &[&bookmark]).await, 0);
    assert_eq!(people(&follower, &[]).await, 0);
}

#[tokio::test]
async fn a_follower_refuses_a_write_in_an_explicit_transaction_and_rolls_it_back() {
    let cluster = Cluster::new();
    let leader = cluster.start_member(MemberRole::Leader).unwrap();
    let follower = cluster.start_member(MemberRole::Follower).unwrap();
    let mut client = RawClient::open(&follower).await;
    client
        .send_all(vec![
            begin(TxExtra::default()),
            run("MATCH (n) RETURN count(n)"),
            pull_all(),
            run("MERGE (:Person {name: 'Eve'})"),
            pull_all(),
            Request::Commit,
        ])
        .await;
    client.next().await.success();
    client.next().await.success();
    let (rows, summary) = client.records().await;
    assert_eq!(int(&rows[0][0]), 0, "reads work inside the transaction");
    summary.success();
    assert_eq!(client.next().await.failure_code(), NOT_A_LEADER);
    assert_eq!(client.next().await, Resp::Ignored);
    assert_eq!(client.next().await, Resp::Ignored);
    // RESET recovers the connection, which goes on reading.
    client.send(Request::Reset).await;
    client.next().await.success();
    let (rows, _) = client.query("MATCH (p:Person) RETURN count(p)").await;
    assert_eq!(int(&rows[0][0]), 0);
    assert_eq!(people(&leader, &[]).await, 0);
}

#[tokio::test]
async fn a_follower_serves_reads_that_only_mention_write_words_in_strings_and_properties() {
    let cluster = Cluster::new();
    let _leader = cluster.start_member(MemberRole::Leader).unwrap();
    let follower = cluster.start_member(MemberRole::Follower).unwrap();
    let mut client = RawClient::open(&follower).await;
    let (rows, _) = client
        .query("WITH {set: 'CREATE'} AS m RETURN m.set AS word")
        .await;
    assert_eq!(rows, vec![vec![Value::from("CREATE")]]);
}

#[tokio::test]
async fn set_role_moves_the_writes_to_the_new_leader() {
    let cluster = Cluster::new();
    let old = cluster.start_member(MemberRole::Leader).unwrap();
    let new = cluster.start_member(MemberRole::Follower).unwrap();
    assert!(cluster.set_role(&old, MemberRole::Follower));
    assert!(cluster.set_role(new.address(), MemberRole::Leader));
    for member in [&old, &new] {
        let table = route(member, &[]).await;
        assert_eq!(table.writers, addresses(&[&new]));
        assert_eq!(table.readers, addresses(&[&old]));
        assert_eq!(table.routers, addresses(&[&old, &new]));
    }
    assert_eq!(refused(&old, "CREATE (:Person)").await.code(), NOT_A_LEADER);
    let bookmark = write(&new, "CREATE (:Person)").await;
    assert_eq!(people(&old, &[&bookmark]).await, 1);
}

#[tokio::test]
async fn a_connection_opened_before_a_leader_switch_follows_the_new_role() {
    let cluster = Cluster::new();
    let member = cluster.start_member(MemberRole::Leader).unwrap();
    let mut client = RawClient::open(&member).await;
    client.query("CREATE (:Person)").await;
    cluster.set_role(&member, MemberRole::Follower);
    client
        .send_all(vec![run("CREATE (:Person)"), pull_all()])
        .await;
    assert_eq!(client.next().await.failure_code(), NOT_A_LEADER);
    assert_eq!(people(&member, &[]).await, 1);
}

#[tokio::test]
async fn removed_and_shut_down_members_leave_the_routing_tables() {
    let cluster = Cluster::new();
    let leader = cluster.start_member(MemberRole::Leader).unwrap();
    let first = cluster.start_member(MemberRole::Follower).unwrap();
    let second = cluster.start_member(MemberRole::Follower).unwrap();
    assert!(cluster.remove(&first));
    assert!(!cluster.remove(&first), "already gone");
    assert!(!cluster.set_role(&first, MemberRole::Leader));
    let table = route(&leader, &[]).await;
    assert_eq!(table.routers, addresses(&[&leader, &second]));
    assert_eq!(table.readers, addresses(&[&second]));
    // The removed server still answers, with the cluster it left.
    assert_eq!(route(&first, &[]).await.routers, table.routers);
    assert_eq!(
        refused(&first, "CREATE (:Person)").await.message(),
        "No write operations are allowed directly on this database. Writes must pass through \
         the leader. The role of this server is: UNKNOWN"
    );

    let second_address = second.address();
    cluster.shutdown_member(second).await;
    let table = route(&leader, &[]).await;
    assert_eq!(table.routers, addresses(&[&leader]));
    assert_eq!(table.readers, addresses(&[&leader]));
    assert!(!cluster.members().iter().any(|(a, _)| *a == second_address));

    let leader_address = leader.address();
    leader.shutdown().await;
    assert!(
        cluster.members().is_empty(),
        "{leader_address} left on shutdown"
    );
}

#[tokio::test]
async fn members_take_their_own_configuration_but_share_the_graph() {
    let cluster = Cluster::new();
    let leader = cluster
        .start_member_with(MemberRole::Leader, ServerConfig::new().auth(Auth::None))
        .unwrap();
    let follower = cluster
        .start_member_with(
            MemberRole::Follower,
            ServerConfig::new().auth(Auth::basic("reader", "secret")),
        )
        .unwrap();
    let mut client = RawClient::handshake(
        leader.address(),
        neo_bolt::handshake::ClientHandshake::new(),
    )
    .await;
    client.login("anyone", "anything").await;
    let (_, summary) = client.query("CREATE (:Person)").await;
    let bookmark = summary["bookmark"].as_str().unwrap().to_owned();
    let mut client = RawClient::handshake(
        follower.address(),
        neo_bolt::handshake::ClientHandshake::new(),
    )
    .await;
    client.login("reader", "secret").await;
    client
        .send_all(vec![
            run_with(
                "MATCH (p:Person) RETURN count(p)",
                Map::new(),
                bookmarks(&[&bookmark]),
            ),
            pull_all(),
        ])
        .await;
    client.next().await.success();
    let (rows, _) = client.records().await;
    assert_eq!(int(&rows[0][0]), 1);
    assert!(Arc::ptr_eq(&leader.engine(), &follower.engine()));
}

#[tokio::test]
async fn a_plain_server_still_routes_to_itself_alone() {
    let cluster = Cluster::new();
    let _leader = cluster.start_member(MemberRole::Leader).unwrap();
    let single = start(ServerConfig::new()).await;
    let table = route(&single, &[]).await;
    assert_eq!(table.routers, addresses(&[&single]));
    assert_eq!(table.writers, addresses(&[&single]));
    assert_eq!(table.readers, addresses(&[&single]));
}

#[tokio::test]
async fn a_dropped_member_leaves_the_cluster_and_a_cloned_handle_sees_it() {
    let cluster = Cluster::new();
    let handle = cluster.clone();
    let leader = cluster.start_member(MemberRole::Leader).unwrap();
    let follower = handle.start_member(MemberRole::Follower).unwrap();
    drop(follower);
    assert_eq!(
        cluster.members(),
        vec![(leader.address(), MemberRole::Leader)]
    );
    let table = route(&leader, &[]).await;
    assert_eq!(table.routers, addresses(&[&leader]));
}

#[tokio::test]
async fn members_serve_a_graph_prepared_before_they_start() {
    use neo_embedded::engine::{AccessMode, GraphEngine, MarsEngine};
    let engine = Arc::new(MarsEngine::new().unwrap());
    let mut tx = engine.begin("neo4j", AccessMode::Write).unwrap();
    tx.execute("CREATE (:Person), (:Person)", &Map::new())
        .unwrap();
    tx.commit().unwrap();
    let cluster = Cluster::new().with_engine(engine);
    let follower = cluster.start_member(MemberRole::Follower).unwrap();
    assert_eq!(people(&follower, &[]).await, 2);
}

// A lagging cluster: followers apply the leader's commits late.

const BOOKMARK_TIMEOUT: &str = "Neo.TransientError.Transaction.BookmarkTimeout";

/// A lagging cluster with a leader and a follower whose bookmark waits last
/// up to `wait`.
fn lagging(lag: Duration, wait: Duration) -> (Cluster, EmbeddedServer, EmbeddedServer) {
    let cluster = Cluster::new().with_replication_lag(lag);
    let config = || ServerConfig::new().bookmark_wait_timeout(wait);
    let leader = cluster
        .start_member_with(MemberRole::Leader, config())
        .unwrap();
    let follower = cluster
        .start_member_with(MemberRole::Follower, config())
        .unwrap();
    (cluster, leader, follower)
}

#[tokio::test]
async fn a_lagging_follower_reads_stale_data_without_bookmarks_and_waits_with_them() {
    let lag = Duration::from_millis(600);
    let (_cluster, leader, follower) = lagging(lag, Duration::from_secs(5));
    let written = std::time::Instant::now();
    let bookmark = write(&leader, "CREATE (:Person {name: 'Ada'})").await;
    assert_eq!(people(&leader, &[]).await, 1, "the leader sees it at once");
    assert_eq!(
        people(&follower, &[]).await,
        0,
        "without bookmarks the follower has not seen it yet"
    );
    assert_eq!(
        people(&follower, &[&bookmark]).await,
        1,
        "the bookmark waits"
    );
    assert!(
        written.elapsed() >= lag,
        "it waited for the lag: {:?}",
        written.elapsed()
    );
    assert_eq!(people(&follower, &[]).await, 1, "caught up for everyone");
}

#[tokio::test]
async fn a_bookmark_the_follower_cannot_reach_in_time_fails_with_bookmark_timeout() {
    let (_cluster, leader, follower) = lagging(Duration::from_secs(30), Duration::from_millis(200));
    let bookmark = write(&leader, "CREATE (:Person)").await;
    let mut client = RawClient::open(&follower).await;
    let started = std::time::Instant::now();
    client
        .send_all(vec![
            run_with(
                "MATCH (p:Person) RETURN count(p)",
                Map::new(),
                bookmarks(&[&bookmark]),
            ),
            pull_all(),
        ])
        .await;
    assert_eq!(client.next().await.failure_code(), BOOKMARK_TIMEOUT);
    assert_eq!(client.next().await, Resp::Ignored);
    client.send(Request::Reset).await;
    client.next().await.success();
    client.send(begin(bookmarks(&[&bookmark]))).await;
    assert_eq!(client.next().await.failure_code(), BOOKMARK_TIMEOUT);
    assert!(started.elapsed() < Duration::from_secs(5));
    // ROUTE waits for bookmarks the same way.
    client.send(Request::Reset).await;
    client.next().await.success();
    client
        .send(Request::Route(Route {
            routing: Cow::Owned(Map::new()),
            bookmarks: Cow::Owned(vec![bookmark.clone()]),
            ..Route::default()
        }))
        .await;
    assert_eq!(client.next().await.failure_code(), BOOKMARK_TIMEOUT);
    // The follower's own bookmark is behind the leader's.
    let mut reader = RawClient::open(&follower).await;
    let (_, summary) = reader.query("MATCH (p:Person) RETURN count(p)").await;
    assert_eq!(summary["bookmark"], Value::from("neo-embedded:0"));
    assert_eq!(bookmark, "neo-embedded:1");
}

#[tokio::test]
async fn transactions_replay_in_commit_order_with_the_same_element_ids() {
    let (_cluster, leader, follower) = lagging(Duration::from_millis(100), Duration::from_secs(5));
    let mut client = RawClient::open(&leader).await;
    // A rolled-back transaction leaves no trace anywhere.
    client.send(begin(TxExtra::default())).await;
    client.next().await.success();
    client
        .send_all(vec![run("CREATE (:Person {name: 'Ghost'})"), pull_all()])
        .await;
    client.next().await.success();
    client.records().await.1.success();
    client.send(Request::Rollback).await;
    client.next().await.success();

    client.send(begin(TxExtra::default())).await;
    client.next().await.success();
    let mut ids = Vec::new();
    for name in ["Ada", "Grace"] {
        client
            .send_all(vec![
                run_with(
                    "CREATE (p:Person {name: $name}) RETURN elementId(p)",
                    Map::from([("name".to_owned(), Value::from(name))]),
                    TxExtra::default(),
                ),
                pull_all(),
            ])
            .await;
        client.next().await.success();
        let (rows, _) = client.records().await;
        ids.push(rows[0][0].clone());
    }
    client
        .send_all(vec![
            run("MATCH (a:Person {name: 'Ada'}), (g:Person {name: 'Grace'}) CREATE (a)-[:KNOWS]->(g)"),
            pull_all(),
        ])
        .await;
    client.next().await.success();
    client.records().await.1.success();
    client.send(Request::Commit).await;
    let bookmark = client.next().await.success()["bookmark"]
        .as_str()
        .unwrap()
        .to_owned();
    let bookmark = write_after(
        &leader,
        &bookmark,
        "MATCH (g:Person {name: 'Grace'}) SET g.admiral = true",
    )
    .await;

    let mut reader = RawClient::open(&follower).await;
    reader
        .send_all(vec![
            run_with(
                "MATCH (a:Person)-[:KNOWS]->(g:Person) \
                 RETURN elementId(a), elementId(g), g.admiral",
                Map::new(),
                bookmarks(&[&bookmark]),
            ),
            pull_all(),
        ])
        .await;
    reader.next().await.success();
    let (rows, _) = reader.records().await;
    assert_eq!(
        rows,
        [[ids[0].clone(), ids[1].clone(), Value::Boolean(true)]]
    );
    assert_eq!(people(&follower, &[&bookmark]).await, 2, "no ghost");
}

/// Runs an auto-commit write after `bookmark` and returns its bookmark.
async fn write_after(server: &EmbeddedServer, bookmark: &str, query: &str) -> String {
    let mut client = RawClient::open(server).await;
    client
        .send_all(vec![
            run_with(query, Map::new(), bookmarks(&[bookmark])),
            pull_all(),
        ])
        .await;
    client.next().await.success();
    let (_, summary) = client.records().await;
    summary.success()["bookmark"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_new_leader_catches_up_before_it_writes() {
    let lag = Duration::from_secs(2);
    let (cluster, old, new) = lagging(lag, Duration::from_secs(10));
    write(&old, "CREATE (:Person {name: 'Ada'})").await;
    assert_eq!(people(&new, &[]).await, 0, "behind by the lag");

    cluster.set_role(&old, MemberRole::Follower);
    cluster.set_role(&new, MemberRole::Leader);
    let switched = std::time::Instant::now();
    let mut client = RawClient::open(&new).await;
    let (rows, summary) = client
        .query("MATCH (p:Person) WITH count(p) AS seen CREATE (:Tally {seen: seen}) RETURN seen")
        .await;
    assert_eq!(
        rows,
        [[Value::Integer(1)]],
        "it wrote on top of the old leader's commit"
    );
    assert!(switched.elapsed() < lag, "without waiting out the lag");
    let bookmark = summary["bookmark"].as_str().unwrap().to_owned();
    assert_eq!(bookmark, "neo-embedded:2");

    // The old leader, now a follower, gets the new write after the lag.
    let mut reader = RawClient::open(&old).await;
    reader
        .send_all(vec![
            run_with(
                "MATCH (t:Tally) RETURN t.seen",
                Map::new(),
                bookmarks(&[&bookmark]),
            ),
            pull_all(),
        ])
        .await;
    reader.next().await.success();
    assert_eq!(reader.records().await.0, [[Value::Integer(1)]]);
    assert_eq!(refused(&old, "CREATE (:Person)").await.code(), NOT_A_LEADER);
}

#[tokio::test]
async fn a_member_started_late_replays_the_whole_log_and_new_databases() {
    let cluster = Cluster::new().with_replication_lag(Duration::from_millis(50));
    let leader = cluster.start_member(MemberRole::Leader).unwrap();
    write(&leader, "CREATE (:Person), (:Person)").await;
    let mut admin = RawClient::open(&leader).await;
    admin
        .send_all(vec![
            run_with(
                "CREATE DATABASE sales",
                Map::new(),
                TxExtra {
                    db: Some("system".into()),
                    ..TxExtra::default()
                },
            ),
            pull_all(),
        ])
        .await;
    admin.next().await.success();
    let (_, summary) = admin.records().await;
    let created = summary.success()["bookmark"].as_str().unwrap().to_owned();
    let mut seller = RawClient::open(&leader).await;
    seller
        .send_all(vec![
            run_with(
                "CREATE (:Order {id: 7})",
                Map::new(),
                TxExtra {
                    db: Some("sales".into()),
                    ..bookmarks(&[&created])
                },
            ),
            pull_all(),
        ])
        .await;
    seller.next().await.success();
    let (_, summary) = seller.records().await;
    let ordered = summary.success()["bookmark"].as_str().unwrap().to_owned();

    let late = cluster.start_member(MemberRole::Follower).unwrap();
    assert_eq!(people(&late, &[&ordered]).await, 2);
    let mut reader = RawClient::open(&late).await;
    reader
        .send_all(vec![
            run_with(
                "MATCH (o:Order) RETURN o.id",
                Map::new(),
                TxExtra {
                    db: Some("sales".into()),
                    mode: AccessMode::Read,
                    ..bookmarks(&[&ordered])
                },
            ),
            pull_all(),
        ])
        .await;
    reader.next().await.success();
    assert_eq!(reader.records().await.0, [[Value::Integer(7)]]);
}

#[tokio::test]
async fn a_lagging_cluster_refuses_a_prepared_engine() {
    use neo_embedded::engine::MarsEngine;
    let cluster = Cluster::new()
        .with_engine(Arc::new(MarsEngine::new().unwrap()))
        .with_replication_lag(Duration::from_millis(10));
    let error = cluster.start_member(MemberRole::Leader).unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
}
