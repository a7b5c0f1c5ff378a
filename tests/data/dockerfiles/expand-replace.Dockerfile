ARG V=1.2.3
FROM example.com/x:v${V/./_}-${V//./-}
