"""Demo data, always marked as demo: staff accounts with published passwords
(``accounts``), responses in every survey and language (``responses``), and a demo
codebook with coded comments and approved quotes (``insight``).

Imported only by ``cli`` (refused in production there). Nothing else may import it.
"""
