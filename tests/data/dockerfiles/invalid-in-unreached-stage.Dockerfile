ARG REG
FROM golang:1.22 AS build
FROM ${REG}/tools/base:1
