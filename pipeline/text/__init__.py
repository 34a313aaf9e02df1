"""Language knowledge, no stage logic: Arabic characters and normalisation, sentence splitting for
Arabic and English, numbers / months / Hijri dates, text the model must not touch.

Stages and checks import from here; nothing here imports a stage.
"""
