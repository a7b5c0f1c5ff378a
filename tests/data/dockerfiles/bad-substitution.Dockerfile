FROM example.com/x:${}
