FROM alpine:3
COPY --from=5 /x /y
