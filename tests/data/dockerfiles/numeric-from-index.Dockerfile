FROM golang:1.22
FROM rust:1.79
FROM alpine:3
COPY --from=1 /x /x
