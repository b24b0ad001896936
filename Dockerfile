# syntax=docker/dockerfile:1
# Two images from one file:
#   docker build --target app  -t xinan-app  .   the FastAPI app (Python 3.11), serves the widget, console, HR page
#   docker build --target rasa -t xinan-rasa .   the Rasa 3.6.21 server (Python 3.10) with the trained model baked in
# compose.yaml runs both behind a reverse proxy with PostgreSQL and Redis.

FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 XINAN_HOST=0.0.0.0 XINAN_PORT=8000 XINAN_DATA_DIR=/data
WORKDIR /srv/xinan
COPY pyproject.toml README.md alembic.ini requirements.lock ./
COPY app ./app
RUN pip install --no-cache-dir . -c requirements.lock
COPY migrations ./migrations
COPY scales ./scales
COPY dialogs/addons ./dialogs/addons
COPY dialogs/data ./dialogs/data
# Only the browser files the app serves (ECharts for /hr, Swagger UI for /docs, ReDoc's bundle for /redoc)
COPY --from=assets /src/node_modules/echarts/dist/echarts.min.js ./node_modules/echarts/dist/
COPY --from=assets /src/node_modules/swagger-ui-dist ./node_modules/swagger-ui-dist
COPY --from=assets /src/node_modules/redoc/bundles/redoc.standalone.js ./node_modules/redoc/bundles/
# The crisis classifier is trained into the image (seconds), as the Rasa model is into Rasa's.
ENV XINAN_RASA_MODELS_DIR=/srv/xinan/models
RUN python -m app crisis-model --train
RUN useradd --system --uid 10001 xinan && mkdir -p /data && chown xinan /data && chmod 0700 /data
USER xinan
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/healthz')" || exit 1
CMD ["python", "-m", "app", "serve"]

FROM python:3.10-slim-bookworm AS rasa-train
WORKDIR /srv/dialogs
COPY dialogs/requirements.txt dialogs/requirements.lock ./
RUN pip install --no-cache-dir -r requirements.txt -c requirements.lock
COPY dialogs ./
RUN rasa train --out /models --fixed-model-name xinan

FROM python:3.10-slim-bookworm AS rasa
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PYTHONPATH=/srv:/srv/dialogs
COPY --from=rasa-train /usr/local /usr/local
WORKDIR /srv/dialogs
COPY dialogs ./
COPY app/__init__.py app/crypto.py /srv/app/
COPY --from=rasa-train /models /models
RUN useradd --system --uid 10001 rasa
USER rasa
EXPOSE 5005
# XINAN_ACTION_URL, XINAN_ACTION_TOKEN, XINAN_CHANNEL_TOKEN, XINAN_ENCRYPTION_KEYS and the tracker store settings
# come from the environment, never the command line; no --enable-api: Rasa serves only the app's channel.
CMD ["sh", "-c", "umask 077 && exec rasa run --port 5005 --model /models/xinan.tar.gz --endpoints endpoints.yml --credentials credentials.yml --response-timeout 30"]
