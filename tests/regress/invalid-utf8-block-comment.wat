(module (; í € surrogate ;))
