ARG V
FROM example.com/a:${V:?required}
