# The brigade console script: `brigade serve` (api), `brigade db bootstrap|migrate` (migrate),
# `brigade worker` (worker). Build context: the repository root (see docker-compose.yml);
# docker/api.Dockerfile.dockerignore keeps everything but these paths out of the context.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml ./
COPY api ./api
COPY sql ./sql
# psycopg[binary] ships its own libpq: no compiler, no Debian packages needed.
RUN pip install . && rm -rf build ./*.egg-info \
    && useradd --system --uid 10001 --no-create-home brigade

# The package is installed into site-packages; the SQL files stay here, and both the
# migrator and /readyz read them from this directory.
ENV BRIGADE_SQL_DIR=/app/sql \
    BRIGADE_HOST=0.0.0.0 \
    BRIGADE_PORT=8000

USER brigade
EXPOSE 8000
CMD ["brigade", "serve"]
