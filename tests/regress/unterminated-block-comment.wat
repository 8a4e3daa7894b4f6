(module (; never closed
(func)
