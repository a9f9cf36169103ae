"""How a signature is made: desk token (the official's USB token through the local agent),
remote signing service (the CA keeps the key, the official confirms on the phone) or server key
(the organisation's seal in the HSM). One contract in ``base.py``, one registry."""
