# briefbot as a service: slim Python, a non-root user, dependencies from the project's metadata,
# the SQLite file on a volume. Configure with BRIEFBOT_* variables (token, admins, database URL).
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY briefings ./briefings
COPY bot ./bot
RUN pip wheel --no-cache-dir --wheel-dir /wheels '.[postgres]'

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    BRIEFBOT_DATABASE_URL=sqlite:////data/briefbot.sqlite3
RUN useradd --create-home --uid 10001 briefbot && mkdir /data && chown briefbot /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER briefbot
WORKDIR /home/briefbot
VOLUME ["/data"]
HEALTHCHECK --interval=60s --timeout=10s --start-period=30s --retries=3 CMD ["briefbot", "status", "--health"]
CMD ["briefbot", "run"]
