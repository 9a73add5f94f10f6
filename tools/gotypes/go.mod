module mapvet/tools/gotypes

go 1.22
