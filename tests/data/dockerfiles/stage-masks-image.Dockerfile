FROM busybox:1 AS alpine
FROM alpine
RUN true
