ARG V=node-20-slim
FROM example.com/x:${V/n?de/bun}-${V#*-??-}
