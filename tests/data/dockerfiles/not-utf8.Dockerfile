FROM alpine:3
# ÿþ not text
RUN echo é
