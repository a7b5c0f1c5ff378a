ARG V=1
FROM example.com/x:'$V'
