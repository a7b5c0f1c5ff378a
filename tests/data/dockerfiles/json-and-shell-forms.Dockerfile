FROM alpine:3
RUN ["sh", "-c", "echo FROM x"]
COPY ["a b", "/c"]
CMD echo FROM y
