(module (@custom "x" (func)
