ARG V=1
ARG E=
FROM example.com/a${V:+-set}${E:+-never}${E+-empty}:${UNSET+no}2
