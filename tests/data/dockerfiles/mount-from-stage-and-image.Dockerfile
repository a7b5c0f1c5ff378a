FROM golang:1.22 AS deps
FROM alpine:3
RUN --mount=type=bind,from=deps,target=/d --mount=type=cache,from=reg.example.com/cache/go:1,target=/c true
