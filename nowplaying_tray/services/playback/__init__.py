"""What is playing: the sources that can tell, and the hub that owns the answer."""
