FROM localhost:5000/team/app:1 AS a
FROM reg.example.com:8443/x/y
COPY --from=a / /
