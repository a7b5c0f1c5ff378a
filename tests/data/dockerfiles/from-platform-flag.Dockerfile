FROM --platform=linux/arm64 arm64v8/alpine:3 AS a
FROM --platform=$BUILDPLATFORM golang:1.22
COPY --from=a / /
