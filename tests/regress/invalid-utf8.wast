(module)
(invoke "øˆ€€€")
