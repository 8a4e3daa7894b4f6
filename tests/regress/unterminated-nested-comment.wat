(module (; outer (; inner ;) still open
