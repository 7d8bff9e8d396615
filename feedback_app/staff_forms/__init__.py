"""Forms more than one staff blueprint uses (a neutral home, so that no blueprint imports
another): the period chooser and the themed summary's choices."""
