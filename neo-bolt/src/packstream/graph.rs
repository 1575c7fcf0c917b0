//! Graph structures: nodes, relationships and paths.

use super::Map;

/// A node of the graph.
///
/// Over Bolt 4.4 a node has no element id; the decoder then fills
/// `element_id` with the decimal `id`, as the official drivers do.
///
/// ```
/// use neo_bolt::packstream::Node;
///
/// let alice = Node::new(7, ["Person"], [("name", "Alice".into())]);
/// assert!(alice.has_label("Person"));
/// assert_eq!(alice.element_id, "7");
/// assert_eq!(alice.properties["name"].as_str(), Some("Alice"));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Node {
    /// The legacy numeric id (deprecated in Neo4j 5, still sent).
    pub id: i64,
    /// The labels.
    pub labels: Vec<String>,
    /// The properties.
    pub properties: Map,
    /// The element id (Neo4j 5); the decimal `id` over Bolt 4.4.
    pub element_id: String,
}

impl Node {
    /// Makes a node whose element id is its decimal id.
    pub fn new<L, P, K>(id: i64, labels: L, properties: P) -> Node
    where
        L: IntoIterator,
        L::Item: Into<String>,
        P: IntoIterator<Item = (K, super::Value)>,
        K: Into<String>,
    {
        Node {
            id,
            labels: labels.into_iter().map(Into::into).collect(),
            properties: properties.into_iter().map(|(k, v)| (k.into(), v)).collect(),
            element_id: id.to_string(),
        }
    }

    /// Whether the node has this label.
    pub fn has_label(&self, label: &str) -> bool {
        self.labels.iter().any(|l| l == label)
    }
}

/// A relationship with its end points.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Relationship {
    /// The legacy numeric id.
    pub id: i64,
    /// The legacy numeric id of the start node.
    pub start_node_id: i64,
    /// The legacy numeric id of the end node.
    pub end_node_id: i64,
    /// The relationship type.
    pub rel_type: String,
    /// The properties.
    pub properties: Map,
    /// The element id; the decimal `id` over Bolt 4.4.
    pub element_id: String,
    /// The start node's element id; its decimal id over Bolt 4.4.
    pub start_node_element_id: String,
    /// The end node's element id; its decimal id over Bolt 4.4.
    pub end_node_element_id: String,
}

/// A relationship as a [`Path`] carries it: without end points.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnboundRelationship {
    /// The legacy numeric id.
    pub id: i64,
    /// The relationship type.
    pub rel_type: String,
    /// The properties.
    pub properties: Map,
    /// The element id; the decimal `id` over Bolt 4.4.
    pub element_id: String,
}

impl UnboundRelationship {
    /// Binds the relationship to its end points.
    pub fn bind(&self, start: &Node, end: &Node) -> Relationship {
        Relationship {
            id: self.id,
            start_node_id: start.id,
            end_node_id: end.id,
            rel_type: self.rel_type.clone(),
            properties: self.properties.clone(),
            element_id: self.element_id.clone(),
            start_node_element_id: start.element_id.clone(),
            end_node_element_id: end.element_id.clone(),
        }
    }
}

/// A path: distinct nodes and relationships, and the indices that walk them.
///
/// Use [`Path::segments`] to rebuild the walk.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Path {
    /// The distinct nodes; the walk starts at `nodes[0]`.
    pub nodes: Vec<Node>,
    /// The distinct relationships, without end points.
    pub relationships: Vec<UnboundRelationship>,
    /// Pairs of (1-based relationship index, negative when walked backwards;
    /// 0-based node index).
    pub indices: Vec<i64>,
}

/// One step of a [`Path`]: a relationship and the nodes it joins, in the
/// order the path walks them.
#[derive(Debug, Clone, PartialEq)]
pub struct PathSegment<'a> {
    /// The node the step leaves.
    pub start: &'a Node,
    /// The relationship, bound to its real start and end nodes (which are
    /// `end` and `start` when the step walks it backwards).
    pub relationship: Relationship,
    /// The node the step reaches.
    pub end: &'a Node,
}

impl Path {
    /// The node the path starts at, if it has any.
    pub fn start(&self) -> Option<&Node> {
        self.nodes.first()
    }

    /// Rebuilds the walk as segments, or `None` if the indices do not fit the
    /// nodes and relationships (an odd count, a zero or out-of-range index).
    ///
    /// ```
    /// use neo_bolt::packstream::{Node, Path, UnboundRelationship};
    ///
    /// let a = Node::new(1, ["P"], [("n", 1.into())]);
    /// let b = Node::new(2, ["P"], [("n", 2.into())]);
    /// let knows = UnboundRelationship { id: 9, rel_type: "KNOWS".into(), element_id: "9".into(), ..Default::default() };
    /// // a <-[KNOWS]- b : walked backwards
    /// let path = Path { nodes: vec![a, b], relationships: vec![knows], indices: vec![-1, 1] };
    /// let steps = path.segments().unwrap();
    /// assert_eq!(steps[0].start.id, 1);
    /// assert_eq!(steps[0].end.id, 2);
    /// assert_eq!(steps[0].relationship.start_node_id, 2); // b is the real start
    /// ```
    pub fn segments(&self) -> Option<Vec<PathSegment<'_>>> {
        if !self.indices.len().is_multiple_of(2) {
            return None;
        }
        let mut current = self.nodes.first()?;
        let mut segments = Vec::with_capacity(self.indices.len() / 2);
        for pair in self.indices.chunks_exact(2) {
            let (rel_index, node_index) = (pair[0], pair[1]);
            let next = self.nodes.get(usize::try_from(node_index).ok()?)?;
            let position = usize::try_from(rel_index.unsigned_abs())
                .ok()?
                .checked_sub(1)?;
            let rel = self.relationships.get(position)?;
            let relationship = if rel_index > 0 {
                rel.bind(current, next)
            } else {
                rel.bind(next, current)
            };
            segments.push(PathSegment {
                start: current,
                relationship,
                end: next,
            });
            current = next;
        }
        Some(segments)
    }

    /// The nodes in walk order (the start node, then each step's end node).
    pub fn walk_nodes(&self) -> Option<Vec<&Node>> {
        let segments = self.segments()?;
        let mut nodes = Vec::with_capacity(segments.len() + 1);
        nodes.push(self.start()?);
        nodes.extend(segments.iter().map(|s| s.end));
        Some(nodes)
    }
}
