"""D-Bus over jeepney, with no Qt: a connection with a worker thread, and exported objects.

Both the app's MPRIS services and the simulator's stand-in desktop client use it,
so it may import neither of them (tests/test_layers.py).
"""
