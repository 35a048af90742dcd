"""The first stage: reading inputs. ``plain``: text files (encodings, binary files,
streaming); ``archive``: the limits for zip files we did not make."""
