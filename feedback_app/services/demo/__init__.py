"""Demo data, always marked as demo: staff accounts with published passwords
(``accounts``), responses in every survey and language (``responses``), and a demo
codebook with coded comments and approved quotes (``insight``).

Imported only by ``cli`` (which refuses demo accounts in production); nothing else may
import it. Never imports: any blueprint.
"""
