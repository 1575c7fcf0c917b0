"""Runs the session API examples with the official Python driver against a
neo-embedded server, asserting every result. Fails loudly on the first wrong
one.

Usage: python check_python_driver.py bolt://127.0.0.1:PORT [basic|none]

With `none` the driver connects with `auth=None`, as applications do against
a server whose authentication is off; the default is basic authentication as
neo4j/password.
"""

import sys
import uuid
from concurrent.futures import ThreadPoolExecutor

import neo4j
from neo4j import GraphDatabase, Query

URI = sys.argv[1]
AUTH_MODE = sys.argv[2] if len(sys.argv) > 2 else "basic"
if AUTH_MODE not in ("basic", "none"):
    sys.exit(f"unknown authentication mode {AUTH_MODE!r}: use basic or none")
AUTH = None if AUTH_MODE == "none" else ("neo4j", "password")
RUN = uuid.uuid4().hex[:8]  # keeps reruns against one server apart

checks_passed = 0


def check(name, condition, detail=""):
    global checks_passed
    if not condition:
        print(f"FAIL: {name} {detail}", flush=True)
        sys.exit(1)
    checks_passed += 1
    print(f"ok: {name}", flush=True)


def create_person(tx, name):
    return tx.run("CREATE (a:Person {name: $name, run: $run}) RETURN id(a)", name=name, run=RUN).single().value()


def match_person_nodes(tx):
    result = tx.run("MATCH (a:Person {run: $run}) RETURN a.name ORDER BY a.name", run=RUN)
    return [record["a.name"] for record in result]


def match_person_records(tx):
    return list(tx.run("MATCH (a:Person {run: $run}) RETURN a.name AS name", run=RUN))


def add_employee_to_company(tx, person, company_name):
    tx.run(
        "MATCH (emp:Person {name: $person_name, run: $run}) "
        "MERGE (com:Company {name: $company_name}) "
        "MERGE (emp)-[:WORKS_FOR]->(com)",
        person_name=person["name"],
        company_name=company_name,
        run=RUN,
    )
    return 1


def main():
    with GraphDatabase.driver(URI, auth=AUTH) as driver:
        driver.verify_connectivity()
        info = driver.get_server_info()
        check("server agent", info.agent.startswith("Neo4j/"), info.agent)

        # 1.2 Transaction functions: create a person and get its id.
        with driver.session() as session:
            alice_id = session.execute_write(create_person, "Alice")
            check("write transaction returns an id", isinstance(alice_id, int), repr(alice_id))
            session.execute_write(create_person, "Bob")

        # 1.4 Consuming results in a read transaction.
        with driver.session() as session:
            people = session.execute_read(match_person_nodes)
            check("read transaction sees both people in order", people == ["Alice", "Bob"], repr(people))

        # 1.5 Retaining results: add_employees.
        company = f"Acme-{RUN}"
        with driver.session() as session:
            persons = session.execute_read(match_person_records)
            employees = 0
            for person in persons:
                employees += session.execute_write(add_employee_to_company, person, company)
        check("add_employees counts every person", employees == 2, repr(employees))
        records, _, _ = driver.execute_query(
            "MATCH (:Person {run: $run})-[:WORKS_FOR]->(c:Company {name: $company}) RETURN count(*) AS n",
            run=RUN,
            company=company,
        )
        check("employees are linked to the company", records[0]["n"] == 2, repr(records))

        # 1.3 Auto-commit, plain and with a one-second timeout.
        with driver.session() as session:
            session.run("CREATE (a:Person {name: $name, run: $run})", name="Carol", run=RUN).consume()
            summary = session.run(
                Query("CREATE (a:Person {name: $name, run: $run})", timeout=1.0), name="Dave", run=RUN
            ).consume()
            check("auto-commit with timeout creates a node", summary.counters.nodes_created == 1)
            names = session.run("MATCH (a:Person {run: $run}) RETURN a.name AS name ORDER BY name", run=RUN).value()
            check("auto-commit writes are visible", names == ["Alice", "Bob", "Carol", "Dave"], repr(names))

        # Fetch size: many batches, every row arrives once.
        with driver.session(fetch_size=10) as session:
            total = sum(record["x"] for record in session.run("UNWIND range(1, 1000) AS x RETURN x"))
            check("fetch size 10 streams all 1000 rows", total == 500500, repr(total))

        # Buffering: a second query while the first result is unconsumed.
        with driver.session(fetch_size=5) as session:
            first = session.run("UNWIND range(1, 50) AS x RETURN x")
            second = session.run("RETURN 42 AS answer").single()["answer"]
            rest = [record["x"] for record in first]
            check("an unconsumed result is buffered", second == 42 and rest == list(range(1, 51)), repr(rest[:5]))

        # 2. Bookmarks passed to a second session.
        with driver.session() as session:
            session.execute_write(lambda tx: tx.run("CREATE (:Marker {run: $run})", run=RUN).consume())
            bookmarks = session.last_bookmarks()
        check("a committed write yields a bookmark", len(list(bookmarks.raw_values)) == 1, repr(bookmarks))
        with driver.session(bookmarks=bookmarks, default_access_mode=neo4j.READ_ACCESS) as session:
            count = session.run("MATCH (m:Marker {run: $run}) RETURN count(m) AS n", run=RUN).single()["n"]
            check("a session started from the bookmark sees the write", count == 1, repr(count))

        # Rollback leaves nothing behind.
        with driver.session() as session:
            tx = session.begin_transaction()
            tx.run("CREATE (:Temp {run: $run})", run=RUN).consume()
            inside = tx.run("MATCH (t:Temp {run: $run}) RETURN count(t) AS n", run=RUN).single()["n"]
            tx.rollback()
            after = session.run("MATCH (t:Temp {run: $run}) RETURN count(t) AS n", run=RUN).single()["n"]
            check("a transaction reads its own writes", inside == 1, repr(inside))
            check("rollback leaves nothing behind", after == 0, repr(after))

        # Byte arrays as parameters and as properties.
        payload = bytes(range(256)) * 4
        with driver.session() as session:
            echoed = session.run("RETURN $data AS data", data=payload).single()["data"]
            check("a byte array parameter comes back unchanged", echoed == payload, repr(echoed[:8]))
            empty = session.run("RETURN $data AS data", data=b"").single()["data"]
            check("an empty byte array comes back empty", empty == b"", repr(empty))
            session.run("CREATE (:Blob {run: $run, data: $data})", run=RUN, data=payload).consume()
            stored = session.run("MATCH (b:Blob {run: $run}) RETURN b.data AS data", run=RUN).single()["data"]
            check("a byte array property is stored and read back", stored == payload, repr(stored[:8]))

        # A server error reaches the client with its Neo4j code.
        with driver.session() as session:
            try:
                session.run("RETRUN 1").consume()
                check("a syntax error is reported", False)
            except neo4j.exceptions.CypherSyntaxError as error:
                check("a syntax error is reported", error.code == "Neo.ClientError.Statement.SyntaxError", error.code)

        # 100 concurrent sessions.
        def concurrent_write(i):
            with driver.session() as session:
                return session.execute_write(
                    lambda tx: tx.run("CREATE (w:Worker {i: $i, run: $run}) RETURN w.i AS i", i=i, run=RUN).single()["i"]
                )

        with ThreadPoolExecutor(max_workers=100) as pool:
            written = sorted(pool.map(concurrent_write, range(100)))
        check("100 concurrent sessions all commit", written == list(range(100)), repr(written[:5]))
        records, _, _ = driver.execute_query("MATCH (w:Worker {run: $run}) RETURN count(w) AS n", run=RUN)
        check("100 concurrent writes are all visible", records[0]["n"] == 100, repr(records))

    # 20 driver open/close cycles.
    for cycle in range(20):
        with GraphDatabase.driver(URI, auth=AUTH) as driver:
            driver.verify_connectivity()
            records, _, _ = driver.execute_query("RETURN $cycle AS c", cycle=cycle)
            if records[0]["c"] != cycle:
                check(f"driver cycle {cycle}", False, repr(records))
    check("20 driver open/close cycles", True)

    print(f"{checks_passed} passed, 0 failed", flush=True)


if __name__ == "__main__":
    main()
