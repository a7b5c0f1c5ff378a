ARG A
ARG E=
FROM example.com/${A:-x}/${E:-y}/${E-z}z/${UNSET-w}:1
