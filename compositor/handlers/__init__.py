"""One module per protocol: the request handlers of its interfaces."""
