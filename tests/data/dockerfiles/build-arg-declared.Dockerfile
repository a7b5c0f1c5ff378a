ARG V=default
FROM example.com/x:$V
