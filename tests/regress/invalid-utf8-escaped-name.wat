(module (func (export "\ff")))
