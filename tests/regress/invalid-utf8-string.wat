(module (func (export "Ã")))
