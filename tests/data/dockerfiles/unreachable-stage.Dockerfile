FROM golang:1.22 AS tools
RUN go install x
FROM alpine:3.19
RUN echo no copy
