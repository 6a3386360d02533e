# syntax=docker/dockerfile:1
# One image for the web app, the Celery worker and Celery beat (see docker-compose.yml).

FROM node:20-bookworm-slim AS node
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH
# WeasyPrint (the PDF note) draws text with Pango and subsets its fonts with HarfBuzz;
# postgresql-client (15, as the database) for the backups: pg_dump, pg_restore, createdb.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
       postgresql-client \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv==0.9.5
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev
COPY --from=node /app/node_modules ./node_modules
COPY . .
RUN DEBUG=false SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 --home-dir /app pvd \
    && mkdir -p /app/media /app/sauvegardes \
    && chown pvd /app/media /app/sauvegardes
USER pvd
EXPOSE 8000
CMD ["gunicorn", "pvd.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
