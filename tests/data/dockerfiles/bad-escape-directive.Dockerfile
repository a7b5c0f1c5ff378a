# escape=x
FROM alpine:3
