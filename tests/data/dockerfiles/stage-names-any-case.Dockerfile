FROM golang:1.22 AS Builder
FROM alpine:3
COPY --from=BUILDER /bin/app /app
