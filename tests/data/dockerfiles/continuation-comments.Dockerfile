FROM \
# a comment in a continuation

  alpine:3 \
  AS base
FROM base
