FROM busybox:1
FROM 0
