# SYNTAX = docker/dockerfile:1.7
  #  Escape=`
FROM alpine:3 AS a
RUN echo `
  one
FROM a
