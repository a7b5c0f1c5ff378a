# a comment
# escape=`
FROM alpine:3
RUN echo \
  more
FROM busybox:1
