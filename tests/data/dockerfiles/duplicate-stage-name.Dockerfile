FROM alpine:3 AS base
FROM busybox:1 AS base
FROM base
