# Switchboard hub: multi-stage, non-root. Not built in this project's CI (no container runtime there);
# see docs/deploy.md. Build: docker build -t switchboard . ; run: see docs/deploy.md.

# Node 24 (LTS until April 2028; Node 20's support ended in April 2026). The test suite passes on Node 24.21 and
# 22.23 as on CI's Node 20 (docs/decisions.md, session 29); better-sqlite3 12 needs the care sqlite-statements.ts
# takes on Node 24.

# 1. Build: install every dependency (better-sqlite3 compiles here), build the widget, the panel and the hub (dist/hub.js).
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

# 2. Run: only what the hub needs, as an unprivileged user, data in a volume.
FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATABASE_URL=sqlite:/data/switchboard.db
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/demo ./demo
COPY --from=build --chown=node:node /app/package.json ./package.json
RUN mkdir /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The hub bundled by the build (dist/hub.js): plain node, no TypeScript loader at run time.
CMD ["node", "dist/hub.js"]
