FROM --platform=$BUILDPLATFORM golang:1.22-${BUILDOS} AS build
FROM scratch
COPY --from=build /app /app
