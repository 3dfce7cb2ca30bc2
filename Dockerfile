# briefbot as a service: slim Python, a non-root user, dependencies pinned by constraints.txt (the
# file CI installs with; regenerate it with .ci/lock), the SQLite file on a volume, the seed
# articles in the working folder. Configure with BRIEFBOT_* variables (token, admins, database URL).
#
#   docker build -t briefbot .
#   docker run -d -v briefbot-data:/data -e BRIEFBOT_TOKEN=... -e BRIEFBOT_ADMINS=... briefbot
#   docker run --rm briefbot briefbot brief --seeds
#
# Webhook mode: set BRIEFBOT_WEBHOOK_URL (https) and BRIEFBOT_WEBHOOK_SECRET, publish the port
# (-p 127.0.0.1:8443:8443) and let a reverse proxy terminate TLS and forward to it (README).
FROM python:3.11-slim AS build
WORKDIR /src
COPY constraints.txt pyproject.toml README.md ./
COPY briefings ./briefings
COPY bot ./bot
RUN pip wheel --no-cache-dir --wheel-dir /wheels -c constraints.txt '.[postgres]'

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    BRIEFBOT_DATABASE_URL=sqlite:////data/briefbot.sqlite3 \
    BRIEFBOT_WEBHOOK_LISTEN=0.0.0.0 \
    BRIEFBOT_WEBHOOK_PORT=8443
RUN useradd --create-home --uid 10001 briefbot && mkdir /data && chown briefbot /data
COPY --from=build /wheels /wheels
COPY constraints.txt /tmp/constraints.txt
RUN pip install --no-cache-dir --no-index --find-links /wheels -c /tmp/constraints.txt 'briefbot[postgres]' \
    && rm -rf /wheels /tmp/constraints.txt
COPY --chown=briefbot seeds /home/briefbot/seeds
USER briefbot
WORKDIR /home/briefbot
VOLUME ["/data"]
EXPOSE 8443
# Unhealthy when the database is missing or does not answer, or when the bot has not polled
# Telegram (or received an update) for 5 minutes: see `briefbot status --help`.
HEALTHCHECK --interval=60s --timeout=10s --start-period=120s --retries=3 \
    CMD ["briefbot", "status", "--health", "--max-age", "5"]
CMD ["briefbot", "run"]
