FROM alpine:3
RUN <<EOF
echo
