ARG T=a-b-c
FROM example.com/x:${T%-*}_${T#*-}
