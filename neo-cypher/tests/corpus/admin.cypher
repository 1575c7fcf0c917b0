# Schema and administration commands.

CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name)

CREATE INDEX FOR (n:Person) ON (n.name, n.age)

CREATE RANGE INDEX rel_since FOR ()-[r:KNOWS]-() ON (r.since)

CREATE TEXT INDEX title_text FOR (m:Movie) ON (m.title) OPTIONS {indexProvider: 'text-2.0'}

CREATE POINT INDEX loc FOR (p:Place) ON (p.location)

CREATE LOOKUP INDEX node_labels FOR (n) ON EACH labels(n)

CREATE FULLTEXT INDEX titles FOR (n:Movie|Book) ON EACH [n.title, n.description]

CREATE VECTOR INDEX embeddings IF NOT EXISTS FOR (d:Doc) ON (d.embedding)
OPTIONS {indexConfig: {`vector.dimensions`: 1536, `vector.similarity_function`: 'cosine'}}

CREATE INDEX $name FOR (n:Person) ON (n.email)

DROP INDEX person_name

DROP INDEX person_name IF EXISTS

CREATE CONSTRAINT person_id IF NOT EXISTS FOR (p:Person) REQUIRE p.id IS UNIQUE

CREATE CONSTRAINT FOR (p:Person) REQUIRE (p.first, p.last) IS NODE KEY

CREATE CONSTRAINT name_exists FOR (p:Person) REQUIRE p.name IS NOT NULL

CREATE CONSTRAINT age_type FOR (p:Person) REQUIRE p.age IS :: INTEGER

CREATE CONSTRAINT rel_key FOR ()-[r:OWNS]-() REQUIRE r.id IS RELATIONSHIP KEY

CREATE CONSTRAINT FOR ()-[r:RATED]-() REQUIRE r.score IS NOT NULL

CREATE CONSTRAINT unique_email FOR (u:User) REQUIRE u.email IS NODE UNIQUE

DROP CONSTRAINT person_id

DROP CONSTRAINT person_id IF EXISTS

CREATE DATABASE sales

CREATE DATABASE sales IF NOT EXISTS WAIT

CREATE OR REPLACE DATABASE sales NOWAIT

CREATE COMPOSITE DATABASE combined

CREATE DATABASE $db OPTIONS {existingData: 'use'} WAIT 10 SECONDS

DROP DATABASE sales IF EXISTS DESTROY DATA

DROP DATABASE sales DUMP DATA

ALTER DATABASE sales SET ACCESS READ ONLY

ALTER DATABASE sales IF EXISTS SET ACCESS READ WRITE

ALTER DATABASE sales SET TOPOLOGY 3 PRIMARIES 2 SECONDARIES

START DATABASE sales

STOP DATABASE sales WAIT

CREATE USER jake SET PASSWORD 'abc' CHANGE NOT REQUIRED

CREATE ROLE reader IF NOT EXISTS

GRANT ROLE reader TO jake

GRANT MATCH {*} ON GRAPH neo4j NODES Person TO reader

DENY WRITE ON GRAPH * TO reader

REVOKE ROLE reader FROM jake

TERMINATE TRANSACTIONS 'neo4j-transaction-1'
