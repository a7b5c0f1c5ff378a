# escape=`
ARG V=3
FROM example.com/x:`
$V
