ARG A=3
ARG B=example.com/x:$A
FROM $B
