module github.com/graphconform/graphconform/examples/vendor

go 1.26.0

require github.com/graphconform/graphconform v0.0.0

replace github.com/graphconform/graphconform => ../..
