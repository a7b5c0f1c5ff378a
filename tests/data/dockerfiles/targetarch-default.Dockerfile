FROM gcr.io/distroless/base-debian12:nonroot-${TARGETARCH}
