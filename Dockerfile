# One image per service, all from this file (docker-compose.yml builds four):
#   docker build --build-arg WORKSPACE=subgraphs/course --build-arg PORT=4001 -t coursegraph-course .
# WORKSPACE is the service's workspace folder (gateway, subgraphs/accounts,
# subgraphs/course or subgraphs/order) and PORT the port it listens on (its
# GATEWAY_/COURSE_/ORDER_/ACCOUNTS_PORT, which the health check calls).
# The build and production stages are the same for every service, so Docker
# builds them once.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
# Every workspace compiled to JavaScript in its dist/ (tsconfig.build.json).
RUN npm ci --no-audit --no-fund && npm run build

FROM build AS production
# Production dependencies replace the build's node_modules; TypeScript sources
# and the development workspace (packages/devkit, whose packages are all
# devDependencies) go. `npm ci` installs every workspace's production
# dependencies whatever --workspace says, so this stage, too, is one for all
# four images; each differs only in the folder it starts in.
RUN npm ci --omit=dev --no-audit --no-fund \
  && npm cache clean --force \
  && rm -rf packages/devkit node_modules/@coursegraph/devkit packages/*/src subgraphs/*/src gateway/src scripts

FROM node:20-bookworm-slim
ARG WORKSPACE
ARG PORT=4000
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    HEALTHCHECK_PORT=${PORT}
RUN test -n "${WORKSPACE}" || { echo 'build with --build-arg WORKSPACE=<gateway|subgraphs/NAME>'; exit 1; }
# Owned by root (the service's user may read, not write): it cannot rewrite its own code.
COPY --from=production /app /app
USER node
WORKDIR /app/${WORKSPACE}
EXPOSE ${PORT}
# /health answers while the process serves (/ready would also fail on a dependency outage,
# and a restart does not cure that). No curl in slim images: Node's own fetch.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.HEALTHCHECK_PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and gets SIGTERM itself (runService drains requests and
# websockets, then exits 0, within 10 s). The condition makes workspace packages
# resolve to their dist/ (package.json "exports").
CMD ["node", "--conditions=coursegraph-built", "dist/main.js"]
