"""Who the users are (layer 7): the users file, argon2id passwords, the sign-in throttle.

May import every layer below; never `streamlit` or `ui`.
"""
