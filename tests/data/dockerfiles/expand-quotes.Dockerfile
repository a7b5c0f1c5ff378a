ARG V="1.0"
FROM example.com/x:"$V"'-'rc
