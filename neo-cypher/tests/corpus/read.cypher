# Reading queries. Entries are separated by blank lines; lines starting with
# `#` are comments of this file, not of the queries.

MATCH (n) RETURN n

MATCH (n:Person) RETURN n.name, n.age ORDER BY n.age DESC LIMIT 10

MATCH (p:Person {name: $name})-[:KNOWS]->(friend:Person)
RETURN friend.name AS name, friend.age AS age
ORDER BY age ASC, name DESC
SKIP 5 LIMIT $limit

MATCH (a:Person)-[r:ACTED_IN]->(m:Movie)
WHERE m.released >= 1990 AND m.released < 2000
RETURN a.name, collect(m.title) AS titles, count(*) AS cnt

OPTIONAL MATCH (n:User {id: $id})-[:OWNS]->(d:Device)
RETURN n, d

MATCH (n:Person)
WHERE n.name STARTS WITH 'A' OR n.name ENDS WITH "z" OR n.name CONTAINS 'mid'
RETURN n.name

MATCH (n) WHERE n.email =~ '(?i).*@example\\.com' RETURN n.email

MATCH (n) WHERE n.deleted IS NULL AND n.updated IS NOT NULL RETURN n

MATCH (n:Person) WHERE n.age IN [20, 30, 40] XOR n.vip RETURN n

MATCH (n:Person) RETURN DISTINCT n.city AS city ORDER BY city NULLS LAST

MATCH (n:Person) RETURN n.name ORDER BY n.score DESC NULLS FIRST, n.name ASCENDING

MATCH (n) RETURN count(DISTINCT n.city) AS cities, avg(n.age), max(n.age), min(n.age), sum(n.age)

MATCH (n) RETURN *

MATCH (n)-[r]->(m) RETURN *, type(r) AS t

MATCH (n) WITH n WHERE n.age > 30 RETURN n.name

MATCH (n:Person)
WITH n.city AS city, count(*) AS people
WHERE people > 10
RETURN city, people ORDER BY people DESC

MATCH (n:Person) WITH n ORDER BY n.age SKIP 10 LIMIT 5 RETURN collect(n.name) AS names

MATCH (n) RETURN n SKIP $skip LIMIT $limit

MATCH (n) RETURN n OFFSET 20 LIMIT 10

UNWIND $rows AS row
MATCH (n:Person {id: row.id})
RETURN n.name, row.extra

UNWIND [1, 2, 3] AS x RETURN x * 2 AS doubled

UNWIND range(1, 10) AS i WITH i WHERE i % 2 = 0 RETURN i

MATCH (n:Person) RETURN n.name UNION MATCH (m:Company) RETURN m.name AS `n.name`

MATCH (a:A) RETURN a.x AS x UNION ALL MATCH (b:B) RETURN b.y AS x

MATCH (a:A) RETURN a.x AS x UNION DISTINCT MATCH (b:B) RETURN b.y AS x

USE neo4j MATCH (n) RETURN count(n)

USE movies.actors MATCH (n) RETURN n

USE graph.byName($graph) MATCH (n) RETURN n

MATCH (`weird name`:`Some Label` {`a key`: 1}) RETURN `weird name`.`a key` AS `the value`

MATCH (n) RETURN n.name AS name // trailing comment

/* leading block comment */
MATCH (n) // line comment
/* multi
   line */ RETURN n

MATCH (n) RETURN n;

EXPLAIN MATCH (n) RETURN n

PROFILE MATCH (n:Person) WHERE n.age > 20 RETURN n

CYPHER 5 MATCH (n) RETURN n

CYPHER runtime=slotted MATCH (n) RETURN n

CYPHER 5 EXPLAIN MATCH (n) RETURN n.name

MATCH (n:Person) WHERE n.name = $0 AND n.age = $1 RETURN n

MATCH (n) WHERE id(n) = $id RETURN n

MATCH (n) WHERE elementId(n) = $elementId RETURN labels(n), keys(n), properties(n)

MATCH (n) RETURN n LIMIT 1

MATCH (n:Person) RETURN n.name AS name, n.born AS born ORDER BY born

MATCH (n) WHERE NOT n:Deleted RETURN n

MATCH (n) WHERE n:Person:Employee RETURN n

MATCH (n) WHERE n:Person|Company RETURN n

MATCH (n) WHERE n:(Person&!Robot) RETURN n

MATCH (n) WHERE n IS Person RETURN n

MATCH (n) WITH n, COUNT { (n)--() } AS degree RETURN n, degree

MATCH (n) RETURN n {.name, .age, friends: size([(n)--(f) | f])} AS person

MATCH (n:Person) RETURN n {.*, score: n.a + n.b} AS data

MATCH (n:Person) WITH n AS person, 1 AS one RETURN person {.name, one}

MATCH (n) RETURN n.list[0], n.list[-1], n.list[1..3], n.list[..2], n.list[2..], n['name']

MATCH (a)-[:R]->(b)-[:S]->(c) RETURN a.x.y.z

MATCH (n) RETURN n.location.x AS x, date().year AS year, datetime().epochMillis

RETURN 1, -1, 0x1F, 0o17, 017, 1_000_000, 1.5, .5, 1e10, 2.5E-3, 1.0e+2, -9223372036854775808

RETURN 'single', "double", 'it\'s', "say \"hi\"", 'tab\there', 'uni\u00e9', 'back\\slash'

RETURN true, false, null, TRUE, NULL

RETURN [1, 2, 3] AS list, {a: 1, b: 'two', c: [3]} AS map, [] AS empty, {} AS emptyMap

RETURN 1 + 2 * 3 - 4 / 2 % 3 ^ 2 AS arithmetic

RETURN 'a' || 'b' AS concatenated

RETURN 1 < 2 < 3, 2 <> 3, 2 != 3, 3 >= 2, 2 <= 3

RETURN CASE WHEN $x > 10 THEN 'big' WHEN $x > 5 THEN 'medium' ELSE 'small' END AS size

MATCH (n) RETURN CASE n.status WHEN 'A' THEN 1 WHEN 'B' THEN 2 ELSE 0 END AS code

MATCH (n) RETURN CASE n.age WHEN < 18 THEN 'minor' WHEN 18, 19, 20 THEN 'young' ELSE 'adult' END

RETURN reduce(total = 0, x IN [1, 2, 3] | total + x) AS total

RETURN [x IN range(0, 10) WHERE x % 2 = 0 | x ^ 2] AS squares

RETURN [x IN range(0, 10) WHERE x > 5] AS filtered, [x IN [1,2] | x * 10] AS mapped

MATCH (a:Person) RETURN [(a)-[:KNOWS]->(b:Person) WHERE b.age > 30 | b.name] AS friends

MATCH (a) RETURN [p = (a)-->() | length(p)] AS lengths

MATCH (n) WHERE all(x IN n.scores WHERE x > 0) AND any(y IN n.tags WHERE y = 'a') RETURN n

MATCH (n) WHERE none(x IN n.list WHERE x IS NULL) AND single(x IN n.list WHERE x = 1) RETURN n

MATCH (n) WHERE exists((n)--()) RETURN n

MATCH (n) WHERE EXISTS { (n)-[:KNOWS]->(:Person) } RETURN n

MATCH (n) WHERE EXISTS { MATCH (n)-[:KNOWS]->(m) WHERE m.age > 30 } RETURN n

MATCH (n) WHERE COUNT { (n)-[:KNOWS]->() } > 2 RETURN n, COUNT { (n)--() } AS degree

MATCH (n) RETURN COLLECT { MATCH (n)-[:KNOWS]->(f) RETURN f.name } AS friendNames

MATCH (n) WHERE EXISTS { MATCH (n)-->(m) WITH m WHERE m.x = 1 RETURN m } RETURN n.name

MATCH (a), (b) WHERE (a)-[:KNOWS]->(b) AND NOT (b)-[:BLOCKED]->(a) RETURN a, b

MATCH p = (a:Person)-[:KNOWS*1..3]->(b:Person) RETURN p, length(p), nodes(p), relationships(p)

MATCH (a)-[*]->(b) RETURN b

MATCH (a)-[*2]->(b) RETURN b

MATCH (a)-[r:KNOWS*..5 {since: 2020}]-(b) RETURN r

MATCH (a)-[:KNOWS*3..]->(b) RETURN b

MATCH (a)<-[:FOLLOWS]-(b)<--(c)--(d)-->(e) RETURN e

MATCH (a)<-->(b) RETURN a

MATCH (a)-[r:TYPE1|TYPE2]->(b) RETURN r

MATCH (a)-[r:TYPE1|:TYPE2]->(b) RETURN r

MATCH (a)-[r:!TYPE1]->(b) RETURN r

MATCH (n:A&B) RETURN n

MATCH (n:A|B) RETURN n

MATCH (n:!A) RETURN n

MATCH (n:%) RETURN n

MATCH (n:(A|B)&!C) RETURN n

MATCH (n IS Person) RETURN n

MATCH (n:Person WHERE n.age > 18) RETURN n

MATCH (a)-[r:KNOWS WHERE r.since > 2000]->(b) RETURN b

MATCH (n:$($label)) RETURN n

MATCH (n:$any($labels)) RETURN n

MATCH ()-[r:$($type)]->() RETURN r

MATCH (a:Station)((x)-[:LINK]->(y)){1,3}(b:Station) RETURN a, b

MATCH ((a)-->(b)){1,3} RETURN a

MATCH (s)((a)-[:R]->(b) WHERE a.x < b.x)+(t) RETURN s, t

MATCH (s)((a)-[:R]->(b))*(t) RETURN t

MATCH (s)((a)-[:R]->(b)){2}(t) RETURN t

MATCH (s)((a)-[:R]->(b)){,4}(t) RETURN t

MATCH (s)((a)-[:R]->(b)){2,}(t) RETURN t

MATCH (a)-[:R]->{1,5}(b) RETURN b

MATCH (a)-[:R]->+(b) RETURN b

MATCH p = shortestPath((a:Person {name: $a})-[:KNOWS*]-(b:Person {name: $b})) RETURN p

MATCH p = allShortestPaths((a)-[*..10]-(b)) RETURN p

MATCH p = SHORTEST 1 (a:A)-[:R]-+(b:B) RETURN p

MATCH p = SHORTEST 2 GROUPS (a)-[:R]-{1,}(b) RETURN p

MATCH p = ALL SHORTEST (a)-->+(b) RETURN p

MATCH p = ANY SHORTEST (a)-->+(b) RETURN p

MATCH p = ANY 3 PATHS (a)-->+(b) RETURN p

MATCH REPEATABLE ELEMENTS p = (a)-->+(b) RETURN p

MATCH (n:Person) USING INDEX n:Person(name) WHERE n.name = $name RETURN n

MATCH (n:Person) USING SCAN n:Person WHERE n.x = 1 RETURN n

CALL db.labels() YIELD label RETURN label

CALL db.labels()

CALL db.labels

CALL db.relationshipTypes() YIELD relationshipType AS type WHERE type STARTS WITH 'A' RETURN type

CALL dbms.components() YIELD name, versions, edition

CALL db.index.fulltext.queryNodes('titles', $query) YIELD node, score RETURN node.title, score

CALL apoc.meta.stats() YIELD labels RETURN labels

MATCH (n) CALL { WITH n MATCH (n)-->(m) RETURN count(m) AS c } RETURN n, c

MATCH (n) CALL (n) { MATCH (n)-->(m) RETURN m } RETURN n, m

MATCH (n) CALL (*) { RETURN n.x AS x } RETURN x

CALL { MATCH (a:A) RETURN a AS x UNION MATCH (b:B) RETURN b AS x } RETURN x

MATCH (n) OPTIONAL CALL (n) { MATCH (n)-[:R]->(m) RETURN m } RETURN n, m

MATCH (n) RETURN n.name AS name, toUpper(n.name), substring(n.name, 0, 3), trim(n.name), coalesce(n.nick, n.name)

RETURN trim(BOTH 'x' FROM 'xxhixx') AS t, trim(LEADING FROM '  a') AS l

RETURN date('2020-01-01') + duration({days: 1}) AS next, datetime.truncate('day', datetime())

RETURN point({latitude: 1.0, longitude: 2.0}) AS p, point.distance(point({x:0,y:0}), point({x:1,y:1}))

RETURN $param.key AS fromParam, $list[0] AS first

MATCH (n) WHERE n.x IS :: INTEGER RETURN n

MATCH (n) WHERE n.x IS NOT :: STRING NOT NULL RETURN n

RETURN 1 :: INTEGER AS isInt, [1] IS :: LIST<INTEGER> AS isList, 'a' IS TYPED STRING AS s

RETURN $x IS :: INTEGER | FLOAT AS numeric

RETURN 'abc' IS NORMALIZED, 'abc' IS NOT NFKC NORMALIZED, normalize('abc', NFC)

MATCH (n) WITH n, rand() AS r ORDER BY r LIMIT 1 RETURN n

MATCH (n) WITH collect(n) AS nodes UNWIND nodes AS n RETURN n

MATCH (n) RETURN n.name AS name ORDER BY toLower(name) LIMIT toInteger($limit)

MATCH (match:Match {return: 1}) RETURN match.return AS return

MATCH (n) WHERE n.count > 0 RETURN n.count AS count, n.type AS type

MATCH (n)
FILTER n.age > 30
RETURN n

MATCH (n) LET x = n.a + 1, y = x * 2 RETURN x, y

MATCH (n) RETURN n ORDER BY n.x

WITH 1 AS x RETURN x

RETURN 1

RETURN count(*) AS total

MATCH (n) RETURN count(*)

SHOW DATABASES

SHOW DATABASE neo4j YIELD name, currentStatus

SHOW DEFAULT DATABASE

SHOW INDEXES

SHOW INDEXES YIELD name, type, labelsOrTypes WHERE type = 'RANGE'

SHOW RANGE INDEXES WHERE name STARTS WITH 'idx'

SHOW CONSTRAINTS

SHOW UNIQUE CONSTRAINTS YIELD *

SHOW PROCEDURES

SHOW PROCEDURES EXECUTABLE BY CURRENT USER YIELD name

SHOW FUNCTIONS

SHOW BUILT IN FUNCTIONS YIELD name, description RETURN name ORDER BY name

SHOW TRANSACTIONS

SHOW TRANSACTIONS 'neo4j-transaction-3', 'neo4j-transaction-4'

SHOW TRANSACTIONS YIELD transactionId, currentQuery, elapsedTime WHERE elapsedTime > duration('PT10S') RETURN transactionId

SHOW SETTINGS 'server.bolt.*' YIELD name, value

SHOW USERS

SHOW CURRENT USER

SHOW ROLES

SHOW SERVERS

SHOW ALIASES FOR DATABASES
