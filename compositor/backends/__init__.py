"""compositor/backends"""
