//! Graph storage: nodes, relationships, labels and properties in
//! `marsdb-graph`'s store (redb), read and written inside the store's
//! transactions, with the state a Cypher transaction keeps beside them
//! (what it deleted, what it touched) and a small cache of decoded entities.

pub(crate) mod codec;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use marsdb_graph::{
    AdjEntry, Direction as StoreDirection, EdgeId, GraphError, GraphStore, NodeId as StoreNodeId,
    ReadTransaction, Txn, WriteTransaction,
};

use super::error::{EngineError, Result, codes};
use super::locks::WritePermit;
use super::schema::{Catalog, EntityKind, update_node_entries, update_rel_entries};
use super::value::{NodeId, RelId, Value};

/// A node's labels and properties.
#[derive(Debug, Clone)]
pub(crate) struct NodeData {
    pub(crate) labels: Vec<String>,
    pub(crate) props: BTreeMap<String, Value>,
}

/// A relationship's type, end points and properties.
#[derive(Debug, Clone)]
pub(crate) struct RelData {
    pub(crate) rel_type: String,
    pub(crate) start: NodeId,
    pub(crate) end: NodeId,
    pub(crate) props: BTreeMap<String, Value>,
}

/// Which way to expand from a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    Out,
    In,
    Both,
}

/// One relationship next to a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Adjacent {
    pub(crate) rel: RelId,
    pub(crate) other: NodeId,
    pub(crate) type_id: u32,
    /// Whether the relationship points away from the node.
    pub(crate) outgoing: bool,
}

/// A node or relationship that may have been deleted.
pub(crate) enum Lookup<T> {
    Live(Arc<T>),
    /// Deleted by this transaction: what it was.
    Deleted(Arc<T>),
    /// Not there (deleted by another transaction, or never existed).
    Missing,
}

/// What a transaction keeps besides the store's transaction.
#[derive(Debug, Default)]
pub(crate) struct TxState {
    pub(crate) deleted_nodes: HashMap<NodeId, Arc<NodeData>>,
    pub(crate) deleted_rels: HashMap<RelId, Arc<RelData>>,
    /// Nodes created or changed, for constraint checks.
    pub(crate) touched_nodes: BTreeSet<NodeId>,
    /// Relationships created or changed, for constraint checks.
    pub(crate) touched_rels: BTreeSet<RelId>,
    /// Nodes created or changed by the running statement.
    pub(crate) statement_nodes: BTreeSet<NodeId>,
    /// Relationships created or changed by the running statement.
    pub(crate) statement_rels: BTreeSet<RelId>,
    /// Whether data was written.
    pub(crate) wrote_data: bool,
    /// Whether the schema was changed.
    pub(crate) wrote_schema: bool,
}

/// Decoded entities of the statement, to avoid decoding a record per
/// property access.
#[derive(Debug, Default)]
pub(crate) struct EntityCache {
    nodes: HashMap<NodeId, Arc<NodeData>>,
    rels: HashMap<RelId, Arc<RelData>>,
    label_ids: HashMap<String, Option<u32>>,
    /// Store accesses, for `PROFILE`.
    hits: u64,
}

/// How many decoded entities the cache holds before it starts over.
const CACHE_CAPACITY: usize = 4096;

impl EntityCache {
    fn forget_node(&mut self, id: NodeId) {
        self.nodes.remove(&id);
    }

    fn forget_rel(&mut self, id: RelId) {
        self.rels.remove(&id);
    }

    /// Forgets what the store's transaction may have changed underneath.
    pub(crate) fn clear(&mut self) {
        self.nodes.clear();
        self.rels.clear();
        self.label_ids.clear();
    }
}

pub(crate) fn storage_error(error: GraphError) -> EngineError {
    match error {
        GraphError::NodeHasEdges(id) => EngineError::new(
            codes::CONSTRAINT_VALIDATION_FAILED,
            format!(
                "Cannot delete node<{}>, because it still has relationships. To delete this node, \
                 you must first delete its relationships.",
                id.0
            ),
        ),
        GraphError::NodeNotFound(id) => EngineError::entity_not_found(format!(
            "Node with id {} has been deleted in this transaction",
            id.0
        )),
        other => EngineError::internal(format!("storage failure: {other}")),
    }
}

fn storage<T>(result: std::result::Result<T, GraphError>) -> Result<T> {
    result.map_err(storage_error)
}

fn table_error(error: impl std::fmt::Display) -> EngineError {
    EngineError::internal(format!("storage failure: {error}"))
}

/// The store's write transaction a Cypher transaction holds, with the
/// database's write lock.
pub(crate) struct WriteAccess {
    txn: Option<WriteTransaction>,
    _permit: WritePermit,
}

impl std::fmt::Debug for WriteAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteAccess")
            .field("open", &self.txn.is_some())
            .finish()
    }
}

fn closed() -> EngineError {
    EngineError::internal("the store's transaction is no longer open")
}

impl WriteAccess {
    pub(crate) fn new(txn: WriteTransaction, permit: WritePermit) -> WriteAccess {
        WriteAccess {
            txn: Some(txn),
            _permit: permit,
        }
    }

    pub(crate) fn txn(&self) -> Result<&WriteTransaction> {
        self.txn.as_ref().ok_or_else(closed)
    }

    /// Commits what was written so far and starts again in a new store
    /// transaction, keeping the write lock (`CALL { } IN TRANSACTIONS`).
    pub(crate) fn commit_and_renew(&mut self, store: &GraphStore) -> Result<()> {
        let txn = self.txn.take().ok_or_else(closed)?;
        storage(GraphStore::commit(txn))?;
        self.txn = Some(storage(store.begin_write())?);
        Ok(())
    }

    /// Discards what was written since the last renewal and starts again.
    pub(crate) fn abort_and_renew(&mut self, store: &GraphStore) -> Result<()> {
        let txn = self.txn.take().ok_or_else(closed)?;
        storage(GraphStore::abort(txn))?;
        self.txn = Some(storage(store.begin_write())?);
        Ok(())
    }

    /// Commits; the write lock is released when the access is dropped.
    pub(crate) fn commit(mut self) -> Result<()> {
        let txn = self.txn.take().ok_or_else(closed)?;
        storage(GraphStore::commit(txn))
    }

    /// Rolls back.
    pub(crate) fn abort(mut self) -> Result<()> {
        match self.txn.take() {
            Some(txn) => storage(GraphStore::abort(txn)),
            None => Ok(()),
        }
    }
}

/// How a statement reaches the store: a snapshot, or the transaction's
/// write transaction.
pub(crate) enum Access<'a> {
    Read(&'a ReadTransaction),
    Write(&'a mut WriteAccess),
}

/// Access to one database's graph inside a transaction.
pub(crate) struct Store<'a> {
    access: Access<'a>,
    tx: &'a mut TxState,
    cache: &'a mut EntityCache,
    catalog: Arc<Catalog>,
}

fn read_only() -> EngineError {
    EngineError::new(
        codes::ACCESS_MODE,
        "Writing in read access mode not allowed.",
    )
}

impl<'a> Store<'a> {
    pub(crate) fn new(
        access: Access<'a>,
        tx: &'a mut TxState,
        cache: &'a mut EntityCache,
        catalog: Arc<Catalog>,
    ) -> Store<'a> {
        Store {
            access,
            tx,
            cache,
            catalog,
        }
    }

    /// The indexes and constraints in effect.
    pub(crate) fn catalog(&self) -> Arc<Catalog> {
        self.catalog.clone()
    }

    /// Puts a changed catalog in effect (after a schema command).
    pub(crate) fn set_catalog(&mut self, catalog: Catalog) {
        self.catalog = Arc::new(catalog);
    }

    /// How many times the store was read so far in the statement.
    pub(crate) fn db_hits(&self) -> u64 {
        self.cache.hits
    }

    pub(crate) fn txn(&self) -> Result<Txn<'_>> {
        Ok(match &self.access {
            Access::Read(r) => Txn::Read(r),
            Access::Write(w) => Txn::Write(w.txn()?),
        })
    }

    pub(crate) fn write_txn(&self) -> Result<&WriteTransaction> {
        match &self.access {
            Access::Read(_) => Err(read_only()),
            Access::Write(w) => w.txn(),
        }
    }

    /// The write access, for committing in batches.
    pub(crate) fn write_access(&mut self) -> Result<&mut WriteAccess> {
        match &mut self.access {
            Access::Read(_) => Err(read_only()),
            Access::Write(w) => Ok(w),
        }
    }

    pub(crate) fn cache(&mut self) -> &mut EntityCache {
        self.cache
    }

    pub(crate) fn tx_state(&mut self) -> &mut TxState {
        self.tx
    }

    pub(crate) fn tx_state_ref(&self) -> &TxState {
        self.tx
    }

    /// A node as it is now, or what it was if this transaction deleted it.
    pub(crate) fn lookup_node(&mut self, id: NodeId) -> Result<Lookup<NodeData>> {
        self.cache.hits += 1;
        if let Some(data) = self.cache.nodes.get(&id) {
            return Ok(Lookup::Live(data.clone()));
        }
        if let Some(data) = self.tx.deleted_nodes.get(&id) {
            return Ok(Lookup::Deleted(data.clone()));
        }
        let Some(node) = storage(GraphStore::get_node_in_txn(self.txn()?, StoreNodeId(id)))? else {
            return Ok(Lookup::Missing);
        };
        let data = Arc::new(NodeData {
            labels: node.labels,
            props: codec::from_properties(&node.props)?,
        });
        if self.cache.nodes.len() >= CACHE_CAPACITY {
            self.cache.nodes.clear();
        }
        self.cache.nodes.insert(id, data.clone());
        Ok(Lookup::Live(data))
    }

    /// A relationship as it is now, or what it was if this transaction
    /// deleted it.
    pub(crate) fn lookup_rel(&mut self, id: RelId) -> Result<Lookup<RelData>> {
        self.cache.hits += 1;
        if let Some(data) = self.cache.rels.get(&id) {
            return Ok(Lookup::Live(data.clone()));
        }
        if let Some(data) = self.tx.deleted_rels.get(&id) {
            return Ok(Lookup::Deleted(data.clone()));
        }
        let Some(edge) = storage(GraphStore::get_edge_in_txn(self.txn()?, EdgeId(id)))? else {
            return Ok(Lookup::Missing);
        };
        let data = Arc::new(RelData {
            rel_type: edge.label,
            start: edge.src.0,
            end: edge.dst.0,
            props: codec::from_properties(&edge.props)?,
        });
        if self.cache.rels.len() >= CACHE_CAPACITY {
            self.cache.rels.clear();
        }
        self.cache.rels.insert(id, data.clone());
        Ok(Lookup::Live(data))
    }

    /// A live node.
    pub(crate) fn node(&mut self, id: NodeId) -> Result<Option<Arc<NodeData>>> {
        Ok(match self.lookup_node(id)? {
            Lookup::Live(data) => Some(data),
            _ => None,
        })
    }

    /// A live relationship.
    pub(crate) fn rel(&mut self, id: RelId) -> Result<Option<Arc<RelData>>> {
        Ok(match self.lookup_rel(id)? {
            Lookup::Live(data) => Some(data),
            _ => None,
        })
    }

    /// The interned id of a label or relationship type.
    pub(crate) fn token_id(&mut self, name: &str) -> Result<Option<u32>> {
        if let Some(id) = self.cache.label_ids.get(name) {
            return Ok(*id);
        }
        let id = storage(GraphStore::label_id_for(self.txn()?, name))?;
        self.cache.label_ids.insert(name.to_owned(), id);
        Ok(id)
    }

    /// Up to `limit` node ids after `after`, in id order.
    pub(crate) fn node_ids(&mut self, after: Option<NodeId>, limit: usize) -> Result<Vec<NodeId>> {
        let table = self
            .txn()?
            .open_table(marsdb_storage::tables::NODES)
            .map_err(table_error)?;
        let range = match after {
            Some(last) => {
                table.range::<u64>((std::ops::Bound::Excluded(last), std::ops::Bound::Unbounded))
            }
            None => table.iter(),
        }
        .map_err(table_error)?;
        let mut out = Vec::new();
        for entry in range.take(limit) {
            let (key, _) = entry.map_err(table_error)?;
            out.push(key.value());
        }
        Ok(out)
    }

    /// Every node with `label`, in id order.
    pub(crate) fn label_node_ids(&mut self, label: &str) -> Result<Vec<NodeId>> {
        let Some(label_id) = self.token_id(label)? else {
            return Ok(Vec::new());
        };
        let table = self
            .txn()?
            .open_multimap_table(marsdb_storage::tables::NODE_LABEL_INDEX)
            .map_err(table_error)?;
        let values = table.get(label_id).map_err(table_error)?;
        let mut out = Vec::new();
        for value in values {
            out.push(value.map_err(table_error)?.value());
        }
        Ok(out)
    }

    /// Up to `limit` relationships after `after`: `(id, type id, start, end)`.
    pub(crate) fn rel_chunk(
        &mut self,
        after: Option<RelId>,
        limit: usize,
    ) -> Result<Vec<(RelId, u32, NodeId, NodeId)>> {
        let table = self
            .txn()?
            .open_table(marsdb_storage::tables::EDGES)
            .map_err(table_error)?;
        let range = match after {
            Some(last) => {
                table.range::<u64>((std::ops::Bound::Excluded(last), std::ops::Bound::Unbounded))
            }
            None => table.iter(),
        }
        .map_err(table_error)?;
        let mut out = Vec::new();
        for entry in range.take(limit) {
            let (key, value) = entry.map_err(table_error)?;
            let (type_id, start, end) = storage(GraphStore::edge_record_header(value.value()))?;
            out.push((key.value(), type_id, start, end));
        }
        Ok(out)
    }

    /// The relationships of `node` in direction `dir`, of the types with
    /// ids `types` (any type when `None`); a self-loop once.
    pub(crate) fn expand(
        &mut self,
        node: NodeId,
        dir: Dir,
        types: Option<&[u32]>,
    ) -> Result<Vec<Adjacent>> {
        self.cache.hits += 1;
        let mut out = Vec::new();
        let one = |d: StoreDirection, outgoing: bool, out: &mut Vec<Adjacent>| -> Result<()> {
            let entries: Vec<AdjEntry> = match types {
                None => storage(GraphStore::neighbors_in_txn(
                    self.txn()?,
                    StoreNodeId(node),
                    d,
                    None,
                ))?,
                Some(types) => {
                    let mut all = Vec::new();
                    for &type_id in types {
                        all.extend(self.neighbors_of_type(node, d, type_id)?);
                    }
                    all
                }
            };
            out.extend(entries.into_iter().map(|e| Adjacent {
                rel: e.edge_id.0,
                other: e.other.0,
                type_id: e.label_id,
                outgoing,
            }));
            Ok(())
        };
        match dir {
            Dir::Out => one(StoreDirection::Out, true, &mut out)?,
            Dir::In => one(StoreDirection::In, false, &mut out)?,
            Dir::Both => {
                one(StoreDirection::Out, true, &mut out)?;
                let mut incoming = Vec::new();
                one(StoreDirection::In, false, &mut incoming)?;
                // A self-loop appears in both directions; keep it once.
                out.extend(incoming.into_iter().filter(|a| a.other != node));
            }
        }
        Ok(out)
    }

    fn neighbors_of_type(
        &self,
        node: NodeId,
        dir: StoreDirection,
        type_id: u32,
    ) -> Result<Vec<AdjEntry>> {
        let table = self
            .txn()?
            .open_table(match dir {
                StoreDirection::Out => marsdb_storage::tables::ADJ_OUT,
                StoreDirection::In => marsdb_storage::tables::ADJ_IN,
            })
            .map_err(table_error)?;
        let lo = (node, type_id, 0u64);
        let hi = (node, type_id, u64::MAX);
        let mut out = Vec::new();
        for entry in table.range(lo..=hi).map_err(table_error)? {
            let (key, value) = entry.map_err(table_error)?;
            let (_, label_id, edge) = key.value();
            out.push(AdjEntry {
                edge_id: EdgeId(edge),
                other: StoreNodeId(value.value()),
                label_id,
            });
        }
        Ok(out)
    }

    /// Labels on at least one node, with their node counts.
    pub(crate) fn labels_in_use(&self) -> Result<Vec<(String, u64)>> {
        storage(GraphStore::list_node_labels_in_txn(self.txn()?))
    }

    /// Relationship types of at least one relationship, with counts.
    pub(crate) fn types_in_use(&self) -> Result<Vec<(String, u64)>> {
        storage(GraphStore::list_rel_types_in_txn(self.txn()?))
    }

    /// Every property key ever used.
    pub(crate) fn property_keys(&self) -> Result<Vec<String>> {
        storage(GraphStore::list_property_keys_in_txn(self.txn()?))
    }

    // ----- writes -----

    fn touch_node(&mut self, id: NodeId, before: Option<Arc<NodeData>>) -> Result<()> {
        self.cache.forget_node(id);
        self.tx.touched_nodes.insert(id);
        self.tx.statement_nodes.insert(id);
        self.tx.wrote_data = true;
        if self.catalog.has_entries(EntityKind::Node) {
            let after = self.node(id)?;
            update_node_entries(
                self,
                &self.catalog.clone(),
                id,
                before.as_deref(),
                after.as_deref(),
            )?;
        }
        Ok(())
    }

    fn touch_rel(&mut self, id: RelId, before: Option<Arc<RelData>>) -> Result<()> {
        self.cache.forget_rel(id);
        self.tx.touched_rels.insert(id);
        self.tx.statement_rels.insert(id);
        self.tx.wrote_data = true;
        if self.catalog.has_entries(EntityKind::Relationship) {
            let after = self.rel(id)?;
            update_rel_entries(
                self,
                &self.catalog.clone(),
                id,
                before.as_deref(),
                after.as_deref(),
            )?;
        }
        Ok(())
    }

    fn refuse_after_schema(&self) -> Result<()> {
        if self.tx.wrote_schema {
            return Err(EngineError::new(
                codes::FORBIDDEN_DUE_TO_TRANSACTION_TYPE,
                "Tried to execute Write query after executing Schema modification",
            ));
        }
        Ok(())
    }

    fn ensure_writable(&self) -> Result<()> {
        self.write_txn()?;
        self.refuse_after_schema()
    }

    /// Creates a node; `null` properties are left out.
    pub(crate) fn create_node(
        &mut self,
        labels: &[String],
        props: &BTreeMap<String, Value>,
    ) -> Result<NodeId> {
        self.ensure_writable()?;
        let mut stored = BTreeMap::new();
        for (key, value) in props {
            if !value.is_null() {
                stored.insert(key.clone(), codec::to_property(value)?);
            }
        }
        let mut unique: Vec<&str> = Vec::new();
        for label in labels {
            if !unique.contains(&label.as_str()) {
                unique.push(label);
            }
        }
        let id = storage(GraphStore::create_node_in_txn(
            self.write_txn()?,
            &unique,
            stored,
        ))?
        .0;
        for label in labels {
            self.cache.label_ids.remove(label);
        }
        self.touch_node(id, None)?;
        Ok(id)
    }

    /// Creates a relationship; `null` properties are left out.
    pub(crate) fn create_rel(
        &mut self,
        rel_type: &str,
        start: NodeId,
        end: NodeId,
        props: &BTreeMap<String, Value>,
    ) -> Result<RelId> {
        self.ensure_writable()?;
        let mut stored = BTreeMap::new();
        for (key, value) in props {
            if !value.is_null() {
                stored.insert(key.clone(), codec::to_property(value)?);
            }
        }
        let id = storage(GraphStore::create_edge_in_txn(
            self.write_txn()?,
            rel_type,
            StoreNodeId(start),
            StoreNodeId(end),
            stored,
        ))?
        .0;
        self.cache.label_ids.remove(rel_type);
        self.touch_rel(id, None)?;
        Ok(id)
    }

    /// Sets (or, for `null`, removes) a node property; says whether the node
    /// had the key before.
    pub(crate) fn set_node_property(
        &mut self,
        id: NodeId,
        key: &str,
        value: &Value,
    ) -> Result<bool> {
        self.ensure_writable()?;
        let before = self.node(id)?;
        let had = before
            .as_ref()
            .is_some_and(|node| node.props.contains_key(key));
        if value.is_null() {
            if had {
                storage(GraphStore::remove_node_prop_in_txn(
                    self.write_txn()?,
                    StoreNodeId(id),
                    key,
                ))?;
            }
        } else {
            let stored = codec::to_property(value)?;
            storage(GraphStore::set_node_prop_in_txn(
                self.write_txn()?,
                StoreNodeId(id),
                key,
                stored,
            ))?;
        }
        self.touch_node(id, before)?;
        Ok(had)
    }

    /// Sets (or removes) a relationship property.
    pub(crate) fn set_rel_property(&mut self, id: RelId, key: &str, value: &Value) -> Result<bool> {
        self.ensure_writable()?;
        let before = self.rel(id)?;
        let had = before
            .as_ref()
            .is_some_and(|rel| rel.props.contains_key(key));
        if value.is_null() {
            if had {
                storage(GraphStore::remove_edge_prop_in_txn(
                    self.write_txn()?,
                    EdgeId(id),
                    key,
                ))?;
            }
        } else {
            let stored = codec::to_property(value)?;
            storage(GraphStore::set_edge_prop_in_txn(
                self.write_txn()?,
                EdgeId(id),
                key,
                stored,
            ))?;
        }
        self.touch_rel(id, before)?;
        Ok(had)
    }

    /// Adds a label; says whether it was new on the node.
    pub(crate) fn add_label(&mut self, id: NodeId, label: &str) -> Result<bool> {
        self.ensure_writable()?;
        let Some(node) = self.node(id)? else {
            return Ok(false);
        };
        if node.labels.iter().any(|l| l == label) {
            return Ok(false);
        }
        storage(GraphStore::add_node_label_in_txn(
            self.write_txn()?,
            StoreNodeId(id),
            label,
        ))?;
        self.cache.label_ids.remove(label);
        self.touch_node(id, Some(node))?;
        Ok(true)
    }

    /// Removes a label; says whether the node had it.
    pub(crate) fn remove_label(&mut self, id: NodeId, label: &str) -> Result<bool> {
        self.ensure_writable()?;
        let Some(node) = self.node(id)? else {
            return Ok(false);
        };
        if !node.labels.iter().any(|l| l == label) {
            return Ok(false);
        }
        storage(GraphStore::remove_node_label_in_txn(
            self.write_txn()?,
            StoreNodeId(id),
            label,
        ))?;
        self.touch_node(id, Some(node))?;
        Ok(true)
    }

    /// Deletes a relationship; says whether it existed.
    pub(crate) fn delete_rel(&mut self, id: RelId) -> Result<bool> {
        self.ensure_writable()?;
        let Some(data) = self.rel(id)? else {
            return Ok(false);
        };
        storage(GraphStore::delete_edge_in_txn(
            self.write_txn()?,
            EdgeId(id),
        ))?;
        if self.catalog.has_entries(EntityKind::Relationship) {
            update_rel_entries(self, &self.catalog.clone(), id, Some(&data), None)?;
        }
        self.tx.deleted_rels.insert(id, data);
        self.tx.touched_rels.remove(&id);
        self.cache.forget_rel(id);
        self.tx.wrote_data = true;
        Ok(true)
    }

    /// Remembers a node as deleted before it is (its relationships may go
    /// later in the statement).
    pub(crate) fn mark_node_deleted(&mut self, id: NodeId) -> Result<bool> {
        self.ensure_writable()?;
        let Some(data) = self.node(id)? else {
            return Ok(false);
        };
        self.tx.deleted_nodes.insert(id, data);
        self.cache.forget_node(id);
        self.tx.wrote_data = true;
        Ok(true)
    }

    /// Deletes a node already marked deleted, if it has no relationships
    /// left; says whether it is gone.
    pub(crate) fn delete_marked_node(&mut self, id: NodeId) -> Result<bool> {
        match GraphStore::delete_node_in_txn(self.write_txn()?, StoreNodeId(id), false) {
            Ok(_) => {
                if self.catalog.has_entries(EntityKind::Node)
                    && let Some(data) = self.tx.deleted_nodes.get(&id).cloned()
                {
                    update_node_entries(self, &self.catalog.clone(), id, Some(&data), None)?;
                }
                self.tx.touched_nodes.remove(&id);
                self.tx.wrote_data = true;
                Ok(true)
            }
            Err(GraphError::NodeHasEdges(_)) => Ok(false),
            Err(other) => Err(storage_error(other)),
        }
    }
}
