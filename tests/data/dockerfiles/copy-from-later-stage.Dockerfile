FROM alpine:3 AS a
COPY --from=b /x /x
FROM busybox:1 AS b
FROM a
