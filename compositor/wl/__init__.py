"""compositor/wl"""
