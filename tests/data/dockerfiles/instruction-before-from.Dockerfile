RUN true
FROM alpine:3
