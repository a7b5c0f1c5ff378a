FROM golang:1.22 AS build
FROM alpine:3
ARG S=build
COPY --from=$S /x /x
