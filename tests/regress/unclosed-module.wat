(module (func (block (loop
