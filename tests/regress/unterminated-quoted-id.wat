(module (func $"abc))
