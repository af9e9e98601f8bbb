# The Ledgerline service for production: compiled once (npm run build), run with plain node and production
# dependencies only. No emulators, no demo page. Settings come from the environment (see README, Configuration);
# the container refuses to start without real QuickBooks / Salesforce settings and keys.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build-assets.js scripts/
COPY service/src service/src
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
# The embedded store (without DATABASE_URL) lives in /data: mount a volume there, or set DATABASE_URL.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
# A heap limit well above what a run keeps live (~110-135 MB at any size): V8 then collects before the heap climbs to
# several times that, so a 100,000-invoice run's memory stays flat (README, Benchmark). The Procfile says the same.
CMD ["node", "--max-old-space-size=1024", "dist/main.js"]
