"""Everything that talks to PostgreSQL outside a request: bootstrap, migrations, drift, the pool."""
