FROM --platform=linux/s390x example.com/cross/s390x-toolchain:1 AS tc
FROM --platform=${BUILDPLATFORM} alpine:3
COPY --from=tc /x /x
