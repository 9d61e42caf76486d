"""The national partner directory (estate agencies, landlords, support networks...)."""
