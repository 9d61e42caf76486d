"""Benchmarks behind `make bench`: each prints `name: value unit` lines."""
