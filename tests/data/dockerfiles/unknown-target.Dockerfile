FROM alpine:3 AS a
