# One image for web, worker and beat (the production shape of docker-compose.yml).
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    VAR_DIR=/app/var STATIC_ROOT=/app/staticfiles
WORKDIR /app

RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 portal

COPY pyproject.toml constraints.txt README.md ./
COPY portal ./portal
COPY directory ./directory
COPY procurement ./procurement
COPY indicators ./indicators
RUN pip install -c constraints.txt .

COPY . .
RUN DEBUG=true python manage.py compile_translations \
    && DEBUG=true python manage.py collectstatic --noinput \
    && mkdir -p /app/var && chown -R portal:portal /app/var

USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
