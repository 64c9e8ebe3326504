from multiprocess import *
