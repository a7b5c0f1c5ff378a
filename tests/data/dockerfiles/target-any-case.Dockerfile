FROM golang:1.22 AS Build
FROM alpine:3
