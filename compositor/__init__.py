"""compositor"""
