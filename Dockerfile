# The dashboard, hosted (README, "Hosting"). data/ and .streamlit/secrets.toml are
# mounted, not copied: the image holds the code only.
FROM python:3.11-slim

# Debian's Chromium draws the board pack's charts (kaleido); fonts for their text.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BROWSER_PATH=/usr/bin/chromium \
    PORT=8501

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# A user of its own, not root; it must be able to write data/ (the database, and
# data/imports/ when figures are loaded).
RUN useradd --create-home --uid 10001 dashboard \
    && mkdir -p /app/data \
    && chown dashboard /app/data
USER dashboard

VOLUME ["/app/data"]
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=10s --start-period=120s --retries=3 \
    CMD ["python", "docker/healthcheck.py"]
CMD ["sh", "docker/start.sh"]
