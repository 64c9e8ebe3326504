# Golden files for NpyTest and MatFilesTest, written by numpy/scipy (the formats' reference writers).
# Regenerate: python3 make_fixtures.py   (the values are formulas the tests recompute: v[i, j, ...] = 0.5 * flat - 1)
import numpy as np, scipy.io as sio
from numpy.lib import format as npf

def vals(shape, dtype):
    return (0.5 * np.arange(int(np.prod(shape))) - 1).reshape(shape).astype(dtype)

np.save('c_f4_2x3.npy', vals((2, 3), np.float32))
np.save('fortran_f8_3x4.npy', np.asfortranarray(vals((3, 4), np.float64)))
np.save('fortran_f4_2x3x4.npy', np.asfortranarray(vals((2, 3, 4), np.float32)))
np.save('vector_f8_5.npy', vals((5,), np.float64))
np.save('bigendian_f8_2x2.npy', vals((2, 2), '>f8'))
np.save('int32_2x2.npy', vals((2, 2), np.int32))
with open('v2_f4_2x3.npy', 'wb') as f:
    npf.write_array(f, vals((2, 3), np.float32), version=(2, 0))
nan = vals((2, 3), np.float32); nan[1, 2] = np.nan
np.save('nan_f4_2x3.npy', nan)
sio.savemat('ops.mat', {'A': vals((3, 4), np.float64), 'B': vals((2, 5), np.float32),
                        'name': 'not a matrix', 'C': vals((2, 2), np.int16)}, format='5')
print('numpy', np.__version__, 'scipy', __import__('scipy').__version__)
