FROM alpine:3 AS a
RUN --mount=from=b,target=/b true
FROM busybox:1 AS b
FROM a
