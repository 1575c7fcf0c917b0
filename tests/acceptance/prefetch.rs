//! When a result asks for its next batch: the prefetch watermarks, checked
//! in the message sequence the embedded server received.

use neo_embedded::EmbeddedServer;
use neo_runtime::{DriverConfig, PrefetchWatermarks, SessionConfig};

const TWENTY_ROWS: &str = "UNWIND range(1, 20) AS i RETURN i";

/// The result messages the server received, oldest first: `RUN`, `PULL n`,
/// `DISCARD n`.
fn result_messages(server: &EmbeddedServer) -> Vec<String> {
    server
        .controls()
        .messages()
        .into_iter()
        .filter_map(|m| match m.message {
            "RUN" => Some("RUN".to_owned()),
            "PULL" | "DISCARD" => Some(format!("{} {}", m.message, m.n.unwrap_or(i64::MIN))),
            _ => None,
        })
        .collect()
}

/// Runs [`TWENTY_ROWS`], reads `read` records (checking they come in
/// order), closes the session and returns the result messages it caused.
async fn read_then_close(
    server: &EmbeddedServer,
    driver: &neo_runtime::Driver,
    config: SessionConfig,
    read: i64,
) -> Vec<String> {
    server.controls().clear_messages();
    let mut session = driver.session(config).unwrap();
    let mut result = session.run(TWENTY_ROWS).await.unwrap();
    for expected in 1..=read {
        let record = result.next().await.expect("a record").unwrap();
        assert_eq!(record.get_as::<i64>("i").unwrap(), expected);
    }
    session.close().await;
    result_messages(server)
}

#[tokio::test]
async fn by_default_an_unread_rest_is_discarded_on_close_without_another_pull() {
    let (server, driver) = neo_tests::start();
    let config = SessionConfig::default().with_fetch_size(2);
    assert_eq!(
        read_then_close(&server, &driver, config, 1).await,
        ["RUN", "PULL 2", "DISCARD -1"]
    );
}

#[tokio::test]
async fn by_default_the_next_batch_is_asked_for_when_30_percent_of_one_is_left() {
    let (server, driver) = neo_tests::start();
    let config = SessionConfig::default().with_fetch_size(8);
    // 3 of 8 left: above the low watermark of 2.
    assert_eq!(
        read_then_close(&server, &driver, config.clone(), 5).await,
        ["RUN", "PULL 8", "DISCARD -1"]
    );
    // 2 left: the next batch is asked for before the reader needs it.
    assert_eq!(
        read_then_close(&server, &driver, config, 6).await,
        ["RUN", "PULL 8", "PULL 8", "DISCARD -1"]
    );
}

#[tokio::test]
async fn the_high_watermark_bounds_the_records_held() {
    let (server, driver) = neo_tests::start();
    let watermarks = PrefetchWatermarks::new(3, 5).unwrap();
    let config = SessionConfig::default()
        .with_fetch_size(4)
        .with_prefetch_watermarks(watermarks);
    // 2 left: one more batch of 4 would hold 6, above 5.
    assert_eq!(
        read_then_close(&server, &driver, config.clone(), 2).await,
        ["RUN", "PULL 4", "DISCARD -1"]
    );
    // 1 left: 1 + 4 is within 5.
    assert_eq!(
        read_then_close(&server, &driver, config, 3).await,
        ["RUN", "PULL 4", "PULL 4", "DISCARD -1"]
    );
}

#[tokio::test]
async fn the_driver_setting_applies_unless_the_session_sets_its_own() {
    let config = DriverConfig::default()
        .with_fetch_size(3)
        .with_prefetch_watermarks(PrefetchWatermarks::ON_DEMAND);
    let (server, driver) = neo_tests::start_with(config);
    // On demand: the whole batch read, and still nothing asked ahead.
    assert_eq!(
        read_then_close(&server, &driver, SessionConfig::default(), 3).await,
        ["RUN", "PULL 3", "DISCARD -1"]
    );
    let eager = PrefetchWatermarks::new(3, 6).unwrap();
    let own = SessionConfig::default().with_prefetch_watermarks(eager);
    // Asked ahead as soon as the first batch is taken.
    assert_eq!(
        read_then_close(&server, &driver, own, 1).await,
        ["RUN", "PULL 3", "PULL 3", "DISCARD -1"]
    );
}

#[tokio::test]
async fn reading_ahead_neither_loses_nor_repeats_a_record_and_asks_for_no_extra_batch() {
    let (server, driver) = neo_tests::start();
    for watermarks in [
        PrefetchWatermarks::ON_DEMAND,
        PrefetchWatermarks::for_fetch_size(4),
        PrefetchWatermarks::new(4, 8).unwrap(),
    ] {
        server.controls().clear_messages();
        let config = SessionConfig::default()
            .with_fetch_size(4)
            .with_prefetch_watermarks(watermarks);
        let mut session = driver.session(config).unwrap();
        let mut result = session.run(TWENTY_ROWS).await.unwrap();
        let mut seen = Vec::new();
        while let Some(row) = result.next_as::<(i64,)>().await {
            seen.push(row.unwrap().0);
        }
        assert_eq!(seen, (1..=20).collect::<Vec<_>>(), "{watermarks:?}");
        assert!(result.summary().is_some());
        session.close().await;
        let mut expected = vec!["RUN".to_owned()];
        expected.extend(std::iter::repeat_n("PULL 4".to_owned(), 5));
        assert_eq!(result_messages(&server), expected, "{watermarks:?}");
    }
}
