ARG V=UPPER
FROM example.com/$V:1
