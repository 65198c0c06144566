# PostgreSQL 15 as `make run` builds it (scripts/lib.sh cluster_init): the same extensions
# (pg_cron, pgTAP, plpgsql_check from the PGDG repository the base image already uses)
# and the same server settings. tests/py/test_compose.py keeps the two in step.
FROM postgres:15-bookworm

RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        postgresql-15-cron \
        postgresql-15-pgtap \
        postgresql-15-plpgsql-check \
    ; \
    rm -rf /var/lib/apt/lists/*

# initdb as cluster_init runs it: UTF8, C.UTF-8 collation, scram-sha-256 over TCP.
ENV POSTGRES_INITDB_ARGS="--encoding=UTF8 --locale=C.UTF-8 --auth-host=scram-sha-256" \
    POSTGRES_HOST_AUTH_METHOD=scram-sha-256

# Server settings as command-line options (not written into the data volume), so a rebuilt
# image applies them to an existing volume too. The entrypoint passes them to the temporary
# server it runs init scripts on as well. pg_cron lives in the one database named by
# cron.database_name: `brigade db bootstrap` creates the extension only there (ADR 0002).
CMD ["postgres", \
     "-c", "shared_preload_libraries=pg_cron,pg_stat_statements", \
     "-c", "cron.database_name=brigade", \
     "-c", "cron.enable_superuser_jobs=off", \
     "-c", "cron.use_background_workers=on", \
     "-c", "max_worker_processes=24", \
     "-c", "max_connections=300", \
     "-c", "password_encryption=scram-sha-256"]
