FROM example.com/base:${TARGETPLATFORM//\//-}-${TARGETVARIANT}
