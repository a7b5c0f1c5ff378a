ARG P=linux/arm64/v8
ARG T=1.22.5-alpine3.20
FROM example.com/${P%%/*}/${P#*/}:${T%%-*}-${T##*-}
