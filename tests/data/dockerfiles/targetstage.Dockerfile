FROM example.com/img:${TARGETSTAGE} AS final
