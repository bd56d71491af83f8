# The bot as a container: a wheel built with the locked tools, installed with the locked
# dependencies into a slim image, run as an unprivileged user with its database on /data.
#
#   docker build -t kzwork .
#   docker run -d --name kzwork --env-file .env -v kzwork-data:/data kzwork
#   docker exec kzwork kzwork backup /data/backup-$(date +%F).sqlite3
#
# An edited knowledge base can be mounted read-only over the packaged one:
#   -v "$PWD/knowledge/base:/knowledge:ro" -e BOT_KNOWLEDGE_DIR=/knowledge
# compose.yaml does all of this; see "Deploying" in README.md.

FROM python:3.11-slim-bookworm AS build
WORKDIR /src
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
COPY requirements.lock pyproject.toml ./
# Versions come from requirements.lock (-c), as on a developer's machine and in CI.
# hadolint ignore=DL3013
RUN python -m pip install --quiet -c requirements.lock pip \
 && python -m pip install --quiet -c requirements.lock --group build
COPY setup.py README.md ./
COPY bot ./bot
COPY dialogs ./dialogs
COPY knowledge ./knowledge
COPY locales ./locales
RUN python -m pip wheel --quiet --no-build-isolation --no-deps -w /dist .

FROM python:3.11-slim-bookworm
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PATH=/opt/kzwork/bin:$PATH \
    BOT_DB_PATH=/data/bot.sqlite3 \
    BOT_ENV_FILE=/dev/null
RUN useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin kzwork \
 && mkdir /data && chown kzwork:kzwork /data
COPY --from=build /src/requirements.lock /tmp/requirements.lock
COPY --from=build /dist/ /tmp/dist/
RUN python -m venv /opt/kzwork \
 && /opt/kzwork/bin/pip install --quiet -c /tmp/requirements.lock /tmp/dist/*.whl \
 && rm -rf /tmp/dist /tmp/requirements.lock
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
# Settings, knowledge base, database and getMe; see `kzwork healthcheck --help`.
HEALTHCHECK --interval=5m --timeout=30s --start-period=30s --retries=2 \
  CMD ["kzwork", "healthcheck"]
ENTRYPOINT ["kzwork"]
CMD ["run"]
