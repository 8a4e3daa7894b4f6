(module (func $"\c3\28"))
