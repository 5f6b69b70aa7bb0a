"""Reads that cross relations: each page's data in a constant number of queries."""
