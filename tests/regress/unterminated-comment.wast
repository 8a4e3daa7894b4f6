(module)
(; to the end of the file