# One image for every service of the registry; SERVICE chooses which one the container runs:
#
#   docker build -t moral-registry .
#   docker run -e SERVICE=migrate -e DATABASE_URL=postgresql://… moral-registry          # once per release
#   docker run -e SERVICE=agencies -e DATABASE_URL=… -e VIEWER_SECRET=… -p 4002:4002 moral-registry
#   docker run -e SERVICE=gateway -e AGENCIES_URL=http://agencies:4002/graphql … -p 4000:4000 moral-registry
#
# SERVICE: gateway (default), a subgraph of the registry (packages/common/src/subgraphs.ts; runs its
# services/<name>/src/main.ts); or a one-off job: migrate (npm run db:migrate) or seed (npm run seed:
# reference data and the demo case, idempotent).
# Configuration is the environment (docs/CONFIGURATION.md); operations: docs/OPERATIONS.md.
# Every workspace's package.json (whatever subgraphs there are), in their folders: the install below
# reruns only when one of them or the lockfile changes.
FROM node:20-slim AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /manifests/ \;

FROM node:20-slim

WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false

# Dependencies first, so a code change does not reinstall them. Install scripts stay off, as in
# package.json's allowScripts: nothing the services run needs a download at install time.
COPY package-lock.json ./
COPY --from=manifests /manifests/ ./
RUN npm ci --ignore-scripts

COPY . .
# Prisma clients, generated offline (the schema engine is WebAssembly; see packages/common/bin).
RUN npm run generate --workspaces --if-present \
 && mkdir -p .data \
 && chown node:node .data

# tsx runs the TypeScript sources as `npm start` does; it is a devDependency, so dev dependencies stay.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    SERVICE=gateway
USER node
# The gateway's port; each subgraph listens on its port of the registry (4001 …) or <NAME>_PORT.
EXPOSE 4000
# `exec`: node becomes PID 1 and receives the orchestrator's SIGTERM itself (graceful shutdown).
ENTRYPOINT ["/bin/sh", "-c", "case \"$SERVICE\" in \
  gateway) exec node --import tsx gateway/src/main.ts ;; \
  migrate) exec node --import tsx scripts/migrate.ts ;; \
  seed) exec node --import tsx scripts/seed.ts ;; \
  */*|.*) ;; \
  *) [ -f \"services/$SERVICE/src/main.ts\" ] && exec node --import tsx \"services/$SERVICE/src/main.ts\" ;; \
esac; \
echo \"SERVICE must be gateway, migrate, seed or a subgraph ($(ls services | tr '\\n' ' ')) (got: $SERVICE)\" >&2; exit 64"]
