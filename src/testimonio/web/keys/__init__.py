"""Key management inside the web app's trust boundary: the master key ring, each row's data
key, sealing identity fields and narratives, and master-key rotation. ``cases``, ``imports``
and ``evidence`` use it; it uses no other app's actions."""
