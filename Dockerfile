# mailsink: a local fake SMTP server. Build: docker build -t mailsink . ; run: docker compose up
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Compilers for better-sqlite3's native module (--storage sqlite:…) when no prebuilt binary can be fetched
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
# --ignore-scripts: the sources are not copied yet, so `prepare` (the build) runs below instead;
# better-sqlite3's own install script (its native module) is then run on its own
RUN npm ci --no-audit --no-fund --ignore-scripts && npm rebuild better-sqlite3
COPY . .
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    MAILSINK_HOST=0.0.0.0 \
    MAILSINK_SMTP_PORT=1025 \
    MAILSINK_HTTP_PORT=8025
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/ui/dist ./ui/dist
USER node
EXPOSE 1025 8025
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.MAILSINK_HTTP_PORT || 8025) + '/api/health').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/server/main.js"]
