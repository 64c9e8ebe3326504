# stub: Debian's typeguard 2.x lacks typeguard_ignore; ZigZag only uses it as a no-op decorator
def typeguard_ignore(f):
    return f
def typechecked(f=None, **kw):
    return f if f is not None else (lambda g: g)
