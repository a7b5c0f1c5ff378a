FROM docker.io/library/alpine:3 AS a
FROM index.docker.io/library/alpine:3 AS b
FROM registry-1.docker.io/library/alpine:3 AS c
FROM alpine:3
COPY --from=a / /
COPY --from=b / /
COPY --from=c / /
COPY --from=bitnami/redis:7 / /
