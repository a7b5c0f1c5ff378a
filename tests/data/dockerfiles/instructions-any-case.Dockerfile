from alpine:3 as base
run true
FrOm base
