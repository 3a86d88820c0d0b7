"""What the teacher tools say to festival: its voices by speaker and its Scheme string quoting."""

# the festival voices the bundle's speakers are taught by
VOICES = {"slt": "voice_cmu_us_slt_arctic_hts", "kal": "voice_kal_diphone"}


def scheme_string(s):
    """S as a Scheme string literal (backslashes and double quotes escaped)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
