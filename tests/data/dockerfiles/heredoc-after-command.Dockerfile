FROM alpine:3
RUN python3 - <<PY
import os
FROM = 1
PY
