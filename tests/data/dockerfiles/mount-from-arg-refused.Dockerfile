FROM alpine:3
RUN --mount=from=$IMG,target=/x true
