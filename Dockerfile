# kordon's application image: the app servers, the worker and the scheduler all run it (compose.yaml).
# Slim Debian Python, the locked dependencies (requirements/base.txt, hashes checked), no compilers,
# a non-root user, and only kordon and deploy/ copied in.
FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
COPY requirements/base.txt /tmp/base.txt
RUN python -m venv /opt/kordon && /opt/kordon/bin/pip install --require-hashes -r /tmp/base.txt
COPY pyproject.toml README.md /src/
COPY kordon /src/kordon
RUN /opt/kordon/bin/pip install --no-deps /src

FROM python:3.11-slim-bookworm
# gettext: compiled catalogues; tesseract: passports read from photos (kordon.intake.passports).
RUN apt-get update && apt-get install -y --no-install-recommends gettext tesseract-ocr tesseract-ocr-eng \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/kordon --create-home kordon
COPY --from=build /opt/kordon /opt/kordon
COPY deploy /opt/kordon-deploy/deploy
ENV PATH=/opt/kordon/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    KORDON_VAR_DIR=/var/lib/kordon PYTHONPATH=/opt/kordon-deploy \
    KORDON_BIND=0.0.0.0:8000 KORDON_FORWARDED_ALLOW_IPS=* PROMETHEUS_MULTIPROC_DIR=/tmp/kordon-metrics
WORKDIR /var/lib/kordon
# Catalogues compiled and static files collected (hashed names, compressed) at build, not at start.
RUN KORDON_DEBUG=true kordon compilemessages -v0 \
    && KORDON_SECRET_KEY=build-only-not-a-secret-000000000000 KORDON_ALLOWED_HOSTS=build \
       kordon collectstatic --no-input -v0 \
    && chown -R kordon:kordon /var/lib/kordon
USER kordon
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s CMD ["python", "-c", "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/health/live', timeout=2)"]
CMD ["gunicorn", "-c", "/opt/kordon-deploy/deploy/gunicorn.conf.py", "kordon.wsgi"]
