# Updating queries, subqueries in transactions, LOAD CSV, FOREACH.

CREATE (n:Person {name: $name, age: $age})

CREATE (n:Person {name: 'Ann'}) RETURN n

CREATE (a:Person {name: 'A'})-[:KNOWS {since: 2020}]->(b:Person {name: 'B'}), (c:City)

CREATE p = (a)-[:R]->(b) RETURN p

CREATE (n $props) RETURN n

CREATE (n:Person:Employee) SET n.created = timestamp()

MATCH (a:Person {id: $a}), (b:Person {id: $b}) CREATE (a)-[r:KNOWS]->(b) RETURN r

MERGE (n:Person {email: $email})
ON CREATE SET n.created = datetime(), n.name = $name
ON MATCH SET n.lastSeen = datetime()
RETURN n

MERGE (a:A {id: 1})-[r:R]->(b:B {id: 2}) ON CREATE SET r.w = 1 RETURN r

MATCH (n {id: $id}) SET n.name = $name, n.updated = timestamp()

MATCH (n {id: $id}) SET n += $props RETURN n

MATCH (n {id: $id}) SET n = $props

MATCH (n {id: $id}) SET n:Active:Verified

MATCH (n {id: $id}) SET n:$($label)

MATCH (n) SET n[$key] = $value

MATCH (n) REMOVE n.temp, n:Temporary

MATCH (n) REMOVE n:$($label)

MATCH (n:Temp) DELETE n

MATCH (n:Temp) DETACH DELETE n

MATCH (n:Temp) NODETACH DELETE n

MATCH ()-[r:OLD]->() DELETE r

MATCH p = (a)-->(b) DELETE p

MATCH (n) WITH n LIMIT 1000 DETACH DELETE n RETURN count(*) AS deleted

MATCH p = (a)-[*]->(b) FOREACH (n IN nodes(p) | SET n.marked = true)

FOREACH (x IN $items | CREATE (:Item {value: x}))

FOREACH (i IN range(1, 3) | MERGE (n:N {i: i}) FOREACH (j IN [1,2] | CREATE (n)-[:HAS]->(:M {j: j})))

UNWIND $batch AS row MERGE (n:Node {id: row.id}) SET n += row.props

LOAD CSV FROM 'file:///data.csv' AS line CREATE (:Row {a: line[0], b: line[1]})

LOAD CSV WITH HEADERS FROM 'https://example.com/people.csv' AS row
MERGE (p:Person {id: toInteger(row.id)})
SET p.name = row.name

LOAD CSV WITH HEADERS FROM $url AS row FIELDTERMINATOR ';' RETURN row.name

LOAD CSV FROM 'file:///x.tsv' AS row FIELDTERMINATOR '\t' RETURN row

LOAD CSV WITH HEADERS FROM 'file:///big.csv' AS row
CALL (row) {
  MERGE (n:Big {id: row.id})
} IN TRANSACTIONS OF 1000 ROWS

MATCH (n:Old)
CALL { WITH n DETACH DELETE n } IN TRANSACTIONS

MATCH (n:Old)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 500 ROWS ON ERROR CONTINUE REPORT STATUS AS status
RETURN status.committed AS committed

UNWIND range(1, 100000) AS i
CALL (i) { CREATE (:N {i: i}) } IN 4 CONCURRENT TRANSACTIONS OF 100 ROWS ON ERROR BREAK

UNWIND $rows AS r CALL (r) { CREATE (:X {v: r}) } IN TRANSACTIONS OF $size ROWS ON ERROR FAIL

MATCH (n) CALL { WITH n SET n.x = 1 } RETURN n

MATCH (n) CALL (n) { SET n.y = 2 } FINISH

MATCH (n) SET n.z = 3 FINISH

CALL db.createLabel('Person')

CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'SET n.x = 1', {batchSize: 100}) YIELD batches RETURN batches

MATCH (a {id: 1}) MATCH (b {id: 2}) MERGE (a)-[:LINK]->(b)

WITH $data AS data UNWIND data.items AS item CREATE (:Item {name: item.name, tags: [t IN item.tags | toLower(t)]})

MATCH (n:Counter) SET n.value = coalesce(n.value, 0) + 1 RETURN n.value AS value
