FROM alpine:3 AS a
ARG IMG=example.com/late:1
FROM ${IMG:-example.com/early:1}
