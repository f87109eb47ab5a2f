raise ImportError("netty_pysocket._socket: binding not written yet")
