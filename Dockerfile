# The hub's image. Front-end assets are built from npm in a first stage and copied in:
# the running hub fetches nothing from the internet.
FROM node:20-bookworm-slim AS assets
WORKDIR /src/web
COPY web/package.json web/package-lock.json web/build.mjs ./
RUN npm ci --ignore-scripts --no-audit --no-fund
RUN mkdir -p ../hub/web/static && node build.mjs

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN useradd --create-home --uid 10001 hub
WORKDIR /app
COPY pyproject.toml README.md ./
COPY hub ./hub
COPY graph ./graph
COPY --from=assets /src/hub/web/static/vendor ./hub/web/static/vendor
# Editable install: the package reads graph/ (migrations, reference data) beside itself.
RUN pip install --no-cache-dir -e . && chown -R hub /app
USER hub
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/readyz', timeout=2)"
CMD ["sh", "-c", "hub migrate && hub seed demo && exec hub serve --host 0.0.0.0 --port 8000"]
