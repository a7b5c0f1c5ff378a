FROM golang:1.22 AS build
FROM alpine:3
COPY --from="build" /a /a
