FROM alpine:3
RUN --mount=type=cache,FROM=example.com/c:1,target=/c --mount="type=bind,from=example.com/d:2" --mount=type=bind,"from=example.com/e:3",target=/e true
