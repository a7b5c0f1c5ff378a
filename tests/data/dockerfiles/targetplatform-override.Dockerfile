FROM example.com/img:${TARGETARCH}
