module example.com/nilmap

go 1.22
