# Integrations Hub: one image for API and worker processes (HUB_ROLE selects the role).
# tools/check-release.sh runs these steps in a fresh folder when no Docker daemon is available, and fails when the
# RUN steps here differ from the ones it runs: change both together.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ormconfig.ts ./
COPY src ./src
RUN npm run build && npm prune --omit=dev && rm -rf dist/.tsbuildinfo

FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# A worker (HUB_ROLE=worker) answers /api/healthz on PORT too.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD ["node", "dist/src/health/probe.js"]
# A young generation of 2 × 16 MiB instead of V8's 2 × 64 MiB: under load the hub then holds ~220 MB instead of
# ~300 MB, with no more CPU per request within this machine's noise (bench/ab.ts, FLAGS_A=none
# FLAGS_B=--max-semi-space-size=16, 11 path runs on 2026-12-04: B/A 0.83-1.11, 0.96 on average).
# tools/check-release.sh runs this command; IMAGE_NODE_FLAGS (test/support/process.ts) mirrors it.
CMD ["node", "--max-semi-space-size=16", "dist/src/main.js"]
