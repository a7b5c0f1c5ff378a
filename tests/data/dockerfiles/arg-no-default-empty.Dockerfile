ARG V
FROM example.com/x$V:1
