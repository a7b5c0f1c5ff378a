# syntax=docker/dockerfile:1
ARG GO_VERSION=1.22
ARG ALPINE_VERSION=3.20
FROM --platform=$BUILDPLATFORM tonistiigi/xx:1.4.0 AS xx
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine${ALPINE_VERSION} AS base
COPY --from=xx / /
ARG TARGETPLATFORM
RUN xx-apk add musl-dev gcc
FROM base AS build-amd64
RUN echo amd64
FROM base AS build-arm64
RUN --mount=type=bind,from=arm64v8/debian:sid,source=/usr/lib,target=/sysroot true
FROM base AS build-riscv64
RUN echo riscv64
FROM build-${TARGETARCH} AS build
RUN --mount=type=cache,target=/root/.cache/go-build xx-go build -o /out/app .
FROM gcr.io/distroless/static-debian12:nonroot AS release-linux
COPY --from=build /out/app /app
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS release-windows
COPY --from=build /out/app.exe /app.exe
FROM release-${TARGETOS}
