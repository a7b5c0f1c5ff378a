ARG V=1
ARG V=2
FROM example.com/x:$V
