"""The untrained placeholder bundle (models/placeholder): its export (model and manifest) and its check
(models/placeholder/tools/make-bundle runs both)."""
import os

from ttsvoice import MODELS_DIR

BUNDLE_DIR = os.path.join(MODELS_DIR, "placeholder")
