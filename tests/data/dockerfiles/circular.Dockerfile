FROM alpine:3 AS a
COPY --from=b /x /x
FROM alpine:3 AS b
COPY --from=a /y /y
