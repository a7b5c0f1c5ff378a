FROM alpine:3
RUN true
FROM busybox:1 AS b
COPY --from=0 /x /x
