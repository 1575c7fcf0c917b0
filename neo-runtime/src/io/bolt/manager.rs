//! The pools' view of Bolt connections: how to open, check, reset and close
//! them, and how to ask a router for a routing table over one.

use std::borrow::Cow;
use std::sync::Arc;

use neo_bolt::message::{Request, Route};

use super::{ConnectSettings, Connection};
use crate::address::Address;
use crate::error::{Error, ErrorKind};
use crate::io::pool::{Health, Manage};
use crate::io::routing::{Discover, RouteRequest};

/// Opens, checks, resets and closes Bolt connections for every pool of a
/// driver.
#[derive(Debug)]
pub(crate) struct BoltManager {
    settings: Arc<ConnectSettings>,
}

impl BoltManager {
    pub(crate) fn new(settings: ConnectSettings) -> Self {
        BoltManager {
            settings: Arc::new(settings),
        }
    }
}

impl Manage for BoltManager {
    type Connection = Connection;

    async fn connect(&self, address: &Address) -> Result<Connection, Error> {
        Connection::open(address, &self.settings).await
    }

    fn health(&self, connection: &Connection) -> Health {
        if connection.is_defunct() {
            Health::Broken
        } else if connection.is_clean() {
            Health::Clean
        } else {
            Health::NeedsReset
        }
    }

    async fn reset(&self, connection: &mut Connection) -> Result<(), Error> {
        connection.reset().await
    }

    async fn close(&self, connection: Connection) {
        connection.close().await;
    }
}

impl Discover for BoltManager {
    async fn fetch_table(
        &self,
        connection: &mut Connection,
        request: RouteRequest<'_>,
    ) -> Result<neo_bolt::message::RoutingTable, Error> {
        let route = Request::Route(Route {
            routing: Cow::Borrowed(request.context),
            bookmarks: Cow::Borrowed(request.bookmarks),
            db: request.database.map(Cow::Borrowed),
            imp_user: request.impersonated_user.map(Cow::Borrowed),
        });
        let answer = connection.call(&route).await?;
        answer.routing_table().map_err(|error| {
            Error::new(
                ErrorKind::Protocol,
                format!(
                    "{} sent a malformed routing table",
                    connection.server().address
                ),
            )
            .with_source(error)
        })
    }
}
