"""Who may do what (layer 2): the roles and their permissions, checked by the store and the services.

May import only the foundation modules. Who the users are (the users file, passwords, sign-in)
lives in `analytics.accounts`.
"""
