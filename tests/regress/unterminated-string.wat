(module (func (export "f))
