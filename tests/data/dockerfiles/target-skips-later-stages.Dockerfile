FROM node:20 AS build
FROM nginx:1.25 AS web
COPY --from=build /app /usr/share/nginx
FROM debian:12 AS debug
