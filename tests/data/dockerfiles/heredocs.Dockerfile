FROM alpine:3 AS a
RUN <<EOF
FROM evil:1
EOF
RUN cat <<-"EOT" <<'TWO' > /x
	FROM evil:2
	EOT
FROM evil:3
TWO
COPY <<EOF /etc/x
FROM evil:4
EOF
FROM a
