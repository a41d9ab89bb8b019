"""Lets the tests import the training scripts (they live one folder up and are not a package)."""
import os
import sys

TRAIN = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = os.path.dirname(TRAIN)
sys.path.insert(0, TRAIN)
