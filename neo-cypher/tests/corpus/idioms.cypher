# Everyday idioms: projections, aggregation, keyword-like names, paths.

RETURN [1,2,3][0] AS a, {a:1}.a AS b

MATCH (n) WITH * WHERE true RETURN *

MATCH (n) WITH *, 1 AS x RETURN x

MATCH (n) RETURN count{ (n)-->() } AS c

MATCH (n) WHERE exists((n)-->()) RETURN n

MATCH (a)-[r]->(b) WHERE type(r) IN ['A','B'] RETURN r

MATCH (n) RETURN n.x IS NULL AS missing

MATCH (n) SET n.count = n.count + 1, n.list = n.list + [1]

MATCH (n) WITH n, [(n)-->(m) | m.name][0..3] AS names RETURN *

RETURN -1 ^ 2, 2^-1, 1 - -1, - 1

UNWIND $events AS event CALL { WITH event CREATE (:E {id: event.id}) } RETURN count(*)

CALL db.index.vector.queryNodes('idx', 10, $embedding) YIELD node AS doc, score RETURN doc, score

MATCH (n:Order) RETURN n.order, n.end, n.count, n.type, n.limit, n.match

MATCH (start)-[:R]->(end) RETURN start, end

MATCH (start)-[:R]->(end) RETURN end.name AS name

WITH count(*) AS count RETURN count

MATCH (n) WHERE n:Person OR n:Company RETURN n:Person AS isPerson

MATCH (n) RETURN [x IN n.items WHERE x:Person | x.name] AS names

MATCH (n) RETURN [x IN n.items WHERE x:Person|Company] AS names

MATCH (n) WHERE n.since > date() - duration('P1Y') RETURN n.name + ' ' + n.surname AS full

MATCH (n) WHERE (n)-[:R]->(:Label {p: 1}) AND NOT EXISTS { (n)--() } RETURN n

MATCH (n) RETURN [(n)-[:R]->(m:L WHERE m.x > 1) | m] AS ms

RETURN 'a' IN ['a'], NOT 'a' IN []

CREATE (n:Label {list: [1,2], map: {a: 1}})-[r:T $relProps]->(m)

WITH "abc" AS s RETURN s[0], s[1..]

MATCH (n) RETURN n LIMIT 0x10

CALL { USE other MATCH (n) RETURN n } RETURN n

MATCH (a:Person), (b:Person) WHERE a.id < b.id MERGE (a)-[:PAIR]-(b)

MATCH (n) WITH n ORDER BY n.x DESC LIMIT 3 RETURN collect(n) AS top

MATCH (n:Movie) WHERE n.title =~ $pattern RETURN n.title ORDER BY n.released DESC, n.title

MATCH (m:Movie)<-[r:RATED]-(u:User) WITH m, avg(r.score) AS avgScore, count(r) AS votes WHERE votes > 10 RETURN m.title AS title, round(avgScore, 2) AS score ORDER BY score DESC LIMIT 10

MATCH (n) RETURN n.a AS a, n.b AS b ORDER BY a, b DESC

RETURN datetime({epochMillis: $ms}).year AS y

MATCH (u:User {id: $userId})-[:FOLLOWS]->(f)-[:POSTED]->(p:Post) WHERE p.createdAt > datetime() - duration({days: 7}) RETURN p {.id, .text, author: f.name, likes: COUNT { (p)<-[:LIKES]-() }} AS post ORDER BY p.createdAt DESC LIMIT 50

MATCH (n) RETURN n { .name, friends: [(n)-[:KNOWS]->(f) | f { .name }] } AS tree

MATCH (n) CALL { WITH n MATCH (n)-[:R]->(m) RETURN m ORDER BY m.x LIMIT 1 } RETURN n, m

MATCH (n) WITH n WHERE n.x > 1 OR (n.y < 2 AND n.z <> 3) RETURN n

RETURN substring('hello', 1), left('a', 1), split('a,b', ','), size($list), head($l), last($l), tail($l)

MATCH (n)-[r*1..2]-(m) WHERE all(rel IN r WHERE rel.w > 0) RETURN m

MATCH path = (a)-[:R*]->(b) WHERE length(path) > 2 RETURN [n IN nodes(path) | n.id] AS ids

MATCH (n) WHERE n.tags IS NOT NULL AND size(n.tags) > 0 RETURN n

RETURN 1 // a comment at the end

MATCH (n:`Label With Space`) RETURN n.`prop-with-dash` AS p

MATCH (n) RETURN n.x AS `x`, n.y AS `select`

MATCH (a)-[:KNOWS]-{2}(b) RETURN b

MATCH (a) (()-[:R]->()){1,2} (b) RETURN a, b

MATCH p = (a)-[:R]->*(b) RETURN p

MATCH (n) WHERE n.name IS :: STRING RETURN n

MATCH (n) SET n:Label1:Label2, n.x = 1 REMOVE n:Label3 RETURN n

MATCH (n) RETURN n ORDER BY n.x ASC NULLS LAST

CALL dbms.components() YIELD name, versions, edition UNWIND versions AS version RETURN name, version, edition

MATCH (n:Person) WHERE n.name STARTS WITH $prefix WITH n LIMIT 10 RETURN n.name AS name UNION MATCH (n:Person) WHERE n.email = $email RETURN n.name AS name

EXPLAIN CYPHER 5 MATCH (n) RETURN n

RETURN 1.0e-10, 1E5, 0.5, 00, 0

WITH 1 AS order RETURN order ORDER BY order

WITH 1 AS match MATCH (n) WHERE n.x = match RETURN match

WITH 2 AS end RETURN CASE WHEN end > 1 THEN end END AS e

MATCH (n) RETURN n.name AS name, n.email

MATCH (n) WHERE n.name IS NOT NULL AND n.name <> '' RETURN n

MATCH (a)-[:R]->(b) RETURN a.name AS a, b.name AS b

CALL db.schema.visualization()

CALL db.awaitIndexes(300)

MATCH (n) WITH n LIMIT 1 CALL apoc.path.subgraphAll(n, {maxLevel: 2}) YIELD nodes, relationships RETURN nodes, relationships

MATCH (n:Person) WHERE n.name =~ '(?i)' + $q + '.*' RETURN n

MATCH (n) WHERE n:Person AND NOT n:Deleted AND (n.active OR n.admin) RETURN n

RETURN datetime() AS now, localdatetime(), date.statement(), time.transaction()

RETURN duration.between(date('2020-01-01'), date()) AS d

UNWIND [[1,2],[3,4]] AS pair RETURN pair[0] AS first, pair[1] AS second

MATCH (n) WHERE n.x > 0 WITH n.x AS x, n RETURN x, n

MATCH (n) SET n.tags = coalesce(n.tags, []) + $tag

MERGE (u:User {id: $id}) ON CREATE SET u.createdAt = timestamp() ON MATCH SET u.lastLogin = timestamp() WITH u MATCH (u)-[:MEMBER_OF]->(g:Group) RETURN g.name AS group

MATCH (p:Person) RETURN p.name AS name, [(p)-[:HAS_PET]->(pet) | pet.name] AS pets

MATCH (a)-[r:RATED]->(m) WITH m, collect({user: a.name, score: r.score}) AS ratings RETURN m.title, ratings

MATCH (n) RETURN labels(n)[0] AS label, count(*) AS count ORDER BY count DESC

CALL { MATCH (p:Person) RETURN p ORDER BY p.age LIMIT 1 UNION MATCH (p:Person) RETURN p ORDER BY p.age DESC LIMIT 1 } RETURN p.name

UNWIND $nodes AS node CREATE (n:Node) SET n = node

MATCH (n)-[r]-() RETURN n, count(r) AS degree ORDER BY degree DESC LIMIT 5

RETURN 1 AS one, 'two' AS two, 3.0 AS three, true AS four, null AS five, [1] AS six, {k: 'v'} AS seven

MATCH (a)-[r:KNOWS]->(b) WHERE r.since IS NOT NULL RETURN type(r), properties(r), id(r), elementId(r)

MATCH (n) WHERE n.id = toInteger($id) DETACH DELETE n RETURN count(n) AS deleted

MATCH path = (:A)-[:R*0..]->(:B) RETURN path

RETURN [] = [] AS eq, {} <> {a: 1} AS neq, - (1 + 2) AS neg, +1 AS pos, 5 % -3 AS m

RETURN NOT true AS f, NOT(false) AS t, exists { MATCH (n) } AS any

WITH {a: {b: {c: 1}}} AS m RETURN m.a.b.c, m['a']['b']

MATCH (n) RETURN n.`first name` AS f, n{.name} AS m

MATCH (n:Person) WHERE n.name IS NOT NULL WITH n ORDER BY n.name RETURN collect(n.name)[..10] AS names

CALL db.index.fulltext.queryNodes('idx', 'term~') YIELD node, score WHERE score > 0.5 RETURN node LIMIT 10

RETURN COUNT { MATCH (n) RETURN n } AS c

MATCH (n) RETURN n LIMIT 1 UNION ALL MATCH (n) RETURN n LIMIT 1

MATCH (n) RETURN n.x AS x UNION RETURN null AS x

RETURN toStringOrNull(1), toIntegerOrNull('x'), valueType(1)

RETURN [1,2,3][1..-1], [1,2,3][$i], [1,2,3][$from..$to]

MATCH (s:Stop)-[:NEXT]->+(t:Stop) RETURN t

MATCH (a:A)-[:R]-{0,}(b) RETURN b

MATCH p = ANY SHORTEST (a:Station {name: $from})-[:LINK]-+(b:Station {name: $to}) RETURN [n IN nodes(p) | n.name] AS stops

MATCH (a)-[r:R]->(b) WHERE r.weight > $min SET r.weight = r.weight * 0.9

MATCH (n) WHERE n.createdAt >= datetime($since) AND n.createdAt < datetime($until) RETURN count(n) AS c

MATCH (n:Person)-[:LIVES_IN]->(c:City)
WITH c, collect(n) AS people
WHERE size(people) > 1
UNWIND people AS p
RETURN c.name AS city, p.name AS person

MATCH (a:Account {id: $from}), (b:Account {id: $to})
WHERE a.balance >= $amount
SET a.balance = a.balance - $amount, b.balance = b.balance + $amount
CREATE (a)-[:TRANSFER {amount: $amount, at: datetime()}]->(b)
RETURN a.balance AS from_balance, b.balance AS to_balance
