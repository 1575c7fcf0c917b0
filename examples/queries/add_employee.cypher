// Links a person to a company, creating the company if needed.
MATCH (emp:Person {name: $person_name})
MERGE (com:Company {name: $company_name})
MERGE (emp)-[:WORKS_FOR]->(com)
