FROM alpine:3 AS a
COPY --from=a /x /y
