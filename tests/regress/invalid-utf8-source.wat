(module (func €))
