def catalogue():
    raise NotImplementedError
