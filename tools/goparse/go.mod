module mapvet/tools/goparse

go 1.22
