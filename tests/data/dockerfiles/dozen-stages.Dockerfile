FROM node:20-bookworm AS deps
RUN npm ci
FROM deps AS dev-deps
RUN npm ci --include=dev
FROM node:20-bookworm-slim AS runtime-base
FROM deps AS build
COPY --from=dev-deps /app/node_modules /app/node_modules
RUN npm run build
FROM build AS test
RUN --mount=from=postgres:16,source=/usr/lib/postgresql,target=/pg npm test
FROM build AS lint
COPY --from=hadolint/hadolint:2.12.0 /bin/hadolint /bin/
FROM runtime-base AS prod
COPY --from=build /app/dist /app
FROM prod AS prod-debug
COPY --from=busybox:1.36 /bin/busybox /bin/
FROM python:3.12 AS docs-build
RUN mkdocs build
FROM nginx:1.27 AS docs
COPY --from=docs-build /site /usr/share/nginx/html
FROM golang:1.22 AS tools
FROM alpine:3.20 AS final-alt
COPY --from=tools /go/bin /usr/bin
FROM prod
