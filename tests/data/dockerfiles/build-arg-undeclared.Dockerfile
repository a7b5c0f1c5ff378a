FROM example.com/x:${V:-default}
