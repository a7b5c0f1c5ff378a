ARG REG=example.com
FROM ${MIRROR:-${REG:-docker.io}}/team/app:${TAG:-${REG%.com}}
