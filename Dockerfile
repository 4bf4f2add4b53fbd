# Crosscheck: the bot in one slim image. Installs exactly as the README does (pip install of the project).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
RUN python3 -m pip install .

# run as an unprivileged user; the embedded SQLite file lives in /data
RUN useradd --create-home --uid 10001 crosscheck && mkdir /data && chown crosscheck /data
USER crosscheck
WORKDIR /data
ENV DATABASE_URL=sqlite:////data/crosscheck.db \
    CROSSCHECK_HEALTH_PORT=8080

EXPOSE 3000 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python3 -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('CROSSCHECK_HEALTH_PORT', '8080'), timeout=4)"

# CROSSCHECK_ADAPTER picks slack or discord
CMD ["sh", "-c", "exec crosscheck serve ${CROSSCHECK_ADAPTER:-slack}"]
